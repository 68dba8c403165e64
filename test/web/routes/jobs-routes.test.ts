import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { serve } from '@hono/node-server';
import { loadConfig } from '../../../src/config.js';
import { startHub } from '../../../src/main.js';
import { createLogger } from '../../../src/platform/logger.js';
import { startTestHub, tempDir, TEST_PASSWORD, type Agent, type TestHub } from '../../helpers/hub.js';
import { auditCount, cookieHeader, formData, html, mainText, redirectTarget, type El } from '../web-helpers.js';

const HOUR = 3_600_000;

/** A job that stays put: its task does not exist and its run time is an hour ahead. */
const parked = (hub: TestHub, task = 'test.parked', payload: unknown = {}, spec: { queueName?: string; jobKey?: string; priority?: number } = {}) =>
  hub.ctx.queue.addJob(task, payload, { runAt: new Date(hub.clock.now() + HOUR), ...spec });

/** A dead job, as a job that failed for good leaves it. */
const dead = async (hub: TestHub, task = 'test.dead', payload: unknown = {}, reason = 'upstream said no', spec: { queueName?: string } = {}) => {
  const job = await parked(hub, task, payload, spec);
  await hub.ctx.queue.permanentlyFailJobs([job.id], reason);
  return job.id;
};

const stateOf = (hub: TestHub, id: number): string | undefined =>
  (hub.ctx.db.sqlite.prepare('SELECT state FROM jobs_view WHERE id = ?').get(id) as { state: string } | undefined)?.state;

const flashAfter = async (agent: Agent, res: Response): Promise<string> => {
  const doc = await html(await agent.get(redirectTarget(res)));
  return doc.get('main [role="status"]').text();
};

const rowIds = (doc: El): number[] => doc.findAll('table.sy-jobs tbody tr').map((tr) => Number(tr.attr('id')!.slice('job-'.length)));

const count = (doc: El, key: string): number => Number(doc.get(`[data-count="${key}"]`).text());

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

/** Reads a server-sent event stream up to the next complete event (a blank line), failing after a deadline. */
const nextEvent = async (reader: ReadableStreamDefaultReader<Uint8Array>, buffer: { text: string }, ms = 3000): Promise<string | undefined> => {
  const decoder = new TextDecoder();
  const deadline = Date.now() + ms;
  for (;;) {
    const end = buffer.text.indexOf('\n\n');
    if (end !== -1) {
      const event = buffer.text.slice(0, end);
      buffer.text = buffer.text.slice(end + 2);
      return event;
    }
    let timer: NodeJS.Timeout | undefined;
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no event in time')), Math.max(1, deadline - Date.now())))),
    ]).finally(() => clearTimeout(timer));
    if (chunk.done) return undefined;
    buffer.text += decoder.decode(chunk.value, { stream: true });
  }
};

/** The HTML an SSE event carries, its data lines joined back together. */
const eventData = (event: string): { name: string | undefined; data: string } => {
  const lines = event.split('\n');
  return {
    name: lines.find((l) => l.startsWith('event: '))?.slice('event: '.length),
    data: lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice('data: '.length)).join('\n'),
  };
};

const eventually = async (check: () => boolean, what: string, ms = 2000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('the jobs page shows counts by state and queue, linked to the live stream, with help and a menu entry', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    await parked(hub, 'test.a', {}, { queueName: 'hr-sync' });
    await parked(hub, 'test.a');
    await hub.ctx.queue.addJob('test.ready', {});
    await dead(hub, 'test.b', {}, 'nope', { queueName: 'hr-sync' });
    const viewer = await hub.signIn('viewer');
    const res = await viewer.get('/admin/jobs');
    assert.equal(res.status, 200);
    const doc = await html(res);
    assert.deepEqual(doc.problems, []);
    assert.equal(count(doc, 'queued'), 1, 'ready to run now');
    assert.equal(count(doc, 'scheduled'), 2, 'queued with a run time ahead');
    assert.equal(count(doc, 'running'), 0);
    assert.equal(count(doc, 'retrying'), 0);
    assert.equal(count(doc, 'dead'), 1);

    const live = doc.get('#jobs-live');
    assert.equal(live.attr('hx-ext'), 'sse');
    assert.equal(live.attr('sse-connect'), '/admin/jobs/stream');
    assert.equal(live.get('[sse-swap]').attr('sse-swap'), 'counts');

    const queueRow = doc.get('table[aria-label="Jobs by queue"]').findAll('tbody tr').find((tr) => tr.text().startsWith('hr-sync'))!;
    assert.deepEqual(queueRow.findAll('td').map((td) => td.text()), ['1', '0', '0', '1']);
    assert.equal(queueRow.get('a').attr('href'), '/admin/jobs?queue=hr-sync');

    assert.equal(doc.get('a[href="/admin/help/jobs"]').text(), 'Help: Jobs');
    assert.equal(doc.get('aside a[aria-current="page"]').attr('href'), '/admin/jobs');
    assert.equal(doc.get('aside a[aria-current="page"]').text(), 'Jobs');
    assert.equal(doc.findAll('table.sy-jobs tbody tr').length, 4);
    // A viewer sees no way to act.
    assert.equal(doc.find('input[type="checkbox"]'), undefined);
    assert.equal(doc.find('form[method="post"][action^="/admin/jobs"]'), undefined);
    assert.match(mainText(doc), /Cron schedule/);
  } finally {
    await hub.close();
  }
});

test('the page lists the cron schedule, the pools, task statistics and storage sizes', async () => {
  const hub = await startTestHub();
  try {
    const day = new Date(hub.clock.now()).toISOString().slice(0, 10);
    hub.ctx.db.sqlite
      .prepare('INSERT INTO job_stats (task_identifier, day, succeeded, failed, dead, total_ms, max_ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run('test.stats', day, 8, 1, 1, 2500, 1200);
    const doc = await html(await (await hub.signIn('viewer')).get('/admin/jobs'));
    const cron = doc.get('table[aria-labelledby="jobs-cron-title"]');
    const vacuum = cron.findAll('tbody tr').find((tr) => tr.text().includes('maintenance.incremental_vacuum'))!;
    assert.ok(vacuum, 'the built-in maintenance entries are listed');
    const cells = vacuum.findAll('td').map((td) => td.text());
    assert.equal(cells[1], '41 * * * *');
    assert.equal(cells[2], 'maintenance.incremental_vacuum');
    assert.match(cells[4]!, /^\d{4}-\d{2}-\d{2} \d{2}:41:00 UTC \(in \d+ (min|s)\)$/);

    const pools = doc.get('table[aria-labelledby="jobs-pools-title"]').findAll('tbody tr').map((tr) => tr.findAll('td').map((td) => td.text()));
    assert.deepEqual(pools.map((p) => p[0]), ['default', 'ui_fast']);
    assert.equal(pools[0]![1], String(hub.config.jobConcurrency));
    assert.equal(pools[0]![2], '0');

    const stats = doc.get('table[aria-labelledby="jobs-stats-title"]').findAll('tbody tr').find((tr) => tr.text().includes('test.stats'))!;
    assert.deepEqual(stats.findAll('td').map((td) => td.text()), ['test.stats', '8', '1', '1', '250 ms', '1.2 s']);

    assert.match(doc.get('[data-storage="database"]').text(), /^\d+(\.\d)? (KB|MB)$/);
    assert.match(doc.get('[data-storage="wal"]').text(), /^\d+(\.\d)? (B|KB|MB)$/);
    assert.match(doc.get('[data-storage="free"]').text(), /^\d+ \(\d+(\.\d)? (B|KB|MB)\)$/);
  } finally {
    await hub.close();
  }
});

test('the filter narrows the list by task, queue, state and text inside payloads and errors', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const alice = (await parked(hub, 'test.people', { employee: { email: 'alice@example.com' } })).id;
    const bob = (await parked(hub, 'test.people', { employee: { email: 'bob@example.com' } }, { queueName: 'hr' })).id;
    const other = (await parked(hub, 'test.other', { n: 1 })).id;
    const deadOne = await dead(hub, 'test.people', { n: 2 }, 'Jira answered 401 for alice');
    const viewer = await hub.signIn('viewer');
    const list = async (query: string) => rowIds(await html(await viewer.get(`/admin/jobs?${query}`)));

    assert.deepEqual(await list(''), [deadOne, other, bob, alice], 'newest first');
    assert.deepEqual(await list('task=test.people'), [deadOne, bob, alice]);
    assert.deepEqual(await list('queue=hr'), [bob]);
    assert.deepEqual(await list('state=dead'), [deadOne]);
    assert.deepEqual(await list('text=alice'), [deadOne, alice], 'payload values and errors');
    assert.deepEqual(await list('text=ALICE&task=test.people&state=queued'), [alice]);
    assert.deepEqual(await list('text=employee'), [], 'key names are not searched');

    const doc = await html(await viewer.get('/admin/jobs?task=test.people&text=alice'));
    assert.equal(doc.get('#jobs-task option[selected]').attr('value'), 'test.people');
    assert.equal(doc.get('#jobs-text').attr('value'), 'alice');
    assert.deepEqual(doc.findAll('#jobs-task option').map((o) => o.attr('value')), ['', 'test.other', 'test.people']);
    assert.deepEqual(doc.findAll('#jobs-state option').map((o) => o.attr('value')), ['', 'queued', 'running', 'retrying', 'dead']);
    assert.equal(doc.get('#jobs-total').text(), '2 jobs match this filter.');
    const row = doc.get(`tr#job-${alice}`);
    assert.equal(row.get('a').attr('href'), `/admin/jobs/${alice}`);
    assert.equal(row.get('[data-state]').text(), 'scheduled');
    assert.equal(doc.get(`tr#job-${deadOne} .sy-last-error`).text(), 'Jira answered 401 for alice');
  } finally {
    await hub.close();
  }
});

test('the list pages by 50, newest first, and the page links keep the filter', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const ids: number[] = [];
    for (let i = 0; i < 55; i++) ids.push((await parked(hub, 'test.many', { i })).id);
    await parked(hub, 'test.few');
    const viewer = await hub.signIn('viewer');
    const first = await html(await viewer.get('/admin/jobs?task=test.many'));
    assert.equal(rowIds(first).length, 50);
    assert.equal(rowIds(first)[0], ids[54]);
    assert.equal(first.get('nav.pagination').text().includes('Page 1 of 2'), true);
    const older = first.get('a.pagination-next').attr('href')!;
    assert.equal(older, '/admin/jobs?task=test.many&page=2');
    const second = await html(await viewer.get(older));
    assert.deepEqual(rowIds(second), ids.slice(0, 5).reverse());
    assert.equal(second.get('a.pagination-previous').attr('href'), '/admin/jobs?task=test.many');
    assert.deepEqual(rowIds(await html(await viewer.get('/admin/jobs?task=test.many&page=9'))), [], 'past the end is an empty page');
  } finally {
    await hub.close();
  }
});

test('an unknown state filter answers 422 with the message beside the field and lists nothing', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    await parked(hub);
    const res = await (await hub.signIn('viewer')).get('/admin/jobs?state=finished');
    assert.equal(res.status, 422);
    const doc = await html(res);
    assert.equal(doc.get('form[aria-label="Filter jobs"] [role="alert"]').text(), 'The filter is not valid.');
    assert.equal(doc.get('#jobs-state-error').text(), 'Choose one of: queued, running, retrying, dead.');
    assert.equal(doc.get('#jobs-state').attr('aria-invalid'), 'true');
    assert.deepEqual(rowIds(doc), []);
    assert.equal(count(doc, 'scheduled'), 1, 'the counts still show');
  } finally {
    await hub.close();
  }
});

test('the job page shows the payload, every error with its time, attempts, next run, key, queue and pool', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const job = await parked(hub, 'test.sync', { employee: { id: 42, email: 'ana@example.com' } }, { queueName: 'hr', jobKey: 'employee:42', priority: 3 });
    const t1 = hub.clock.now() - 60_000;
    const t2 = hub.clock.now() - 5_000;
    hub.ctx.db.sqlite
      .prepare('UPDATE jobs SET attempts = 2, last_error = ?, errors = ? WHERE id = ?')
      .run('timeout after 30 s', JSON.stringify([{ attempt: 1, at: t1, message: 'Jira answered 503' }, { attempt: 2, at: t2, message: 'timeout after 30 s' }]), job.id);
    const viewer = await hub.signIn('viewer');
    const res = await viewer.get(`/admin/jobs/${job.id}`);
    assert.equal(res.status, 200);
    const doc = await html(res);
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.get('h1').text(), `Job #${job.id}`);
    assert.deepEqual(doc.findAll('nav.breadcrumb a').map((a) => a.text()), ['Overview', 'Jobs', `Job #${job.id}`]);
    assert.equal(doc.get('a[href="/admin/help/jobs"]').text(), 'Help: Jobs');
    const details = Object.fromEntries(doc.get('table.sy-kv').findAll('tr').map((tr) => [tr.get('th').text(), tr.get('td').text()]));
    assert.equal(details.State, 'retrying');
    assert.equal(details.Task, 'test.sync');
    assert.equal(details.Attempts, `2 / 25`);
    assert.equal(details['Next run'], `${new Date(job.runAt).toISOString().replace('T', ' ').slice(0, 19)} UTC (in 1 h)`);
    assert.equal(details.Key, 'employee:42');
    assert.equal(details.Queue, 'hr (runs one at a time)');
    assert.equal(details.Pool, 'default');
    assert.equal(details.Priority, '3');
    assert.deepEqual(JSON.parse(doc.get('pre.sy-payload').rawText()), { employee: { id: 42, email: 'ana@example.com' } });
    const errors = doc.get('ol.sy-job-errors').findAll('li');
    assert.equal(errors.length, 2);
    assert.match(errors[0]!.text(), new RegExp(`^Attempt 2 · ${new Date(t2).toISOString().replace('T', ' ').slice(0, 19)} UTC timeout after 30 s$`));
    assert.match(errors[1]!.text(), /^Attempt 1 · .* UTC Jira answered 503$/);
    // Viewers read; they get no forms.
    assert.equal(doc.find('form[method="post"][action^="/admin/jobs"]'), undefined);
    assert.match(doc.get('section[aria-labelledby="job-actions-title"]').text(), /Operators and admins can retry/);

    const operator = await html(await (await hub.signIn('operator')).get(`/admin/jobs/${job.id}`));
    assert.ok(operator.find(`form[action="/admin/jobs/${job.id}/retry"]`));
    assert.ok(operator.find(`form[action="/admin/jobs/${job.id}/delete"]`));
    const reschedule = operator.get(`form[action="/admin/jobs/${job.id}/reschedule"]`);
    assert.equal(reschedule.get('#job-run-at').attr('type'), 'datetime-local');
    assert.equal(reschedule.get('#job-run-at').attr('value'), new Date(job.runAt).toISOString().slice(0, 16));
    assert.equal(reschedule.get('label[for="job-run-at"]').text(), 'Run at (UTC)');
    assert.equal(reschedule.get('#job-priority').attr('value'), '3');
    assert.ok(reschedule.get('input[name="_csrf"]').attr('value'));
  } finally {
    await hub.close();
  }
});

test('a dead job shows why it failed and offers retry and delete, not reschedule', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const id = await dead(hub, 'test.dead', { a: 1 }, 'the employee has no email');
    const doc = await html(await (await hub.signIn('operator')).get(`/admin/jobs/${id}`));
    assert.equal(doc.get('[data-field="next-run"]').text(), 'none: the job is dead until someone retries it');
    assert.match(doc.get('ol.sy-job-errors li').text(), /^Marked as failed · .* UTC the employee has no email$/);
    assert.ok(doc.find(`form[action="/admin/jobs/${id}/retry"]`));
    assert.equal(doc.find(`form[action="/admin/jobs/${id}/reschedule"]`), undefined);
    assert.ok(doc.get(`form[action="/admin/jobs/${id}/delete"] button[data-confirm]`));
  } finally {
    await hub.close();
  }
});

test('an unknown job id is a 404 page and a non-numeric one a 400, for pages and actions alike', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const operator = await hub.signIn('operator');
    const missing = await operator.get('/admin/jobs/999999');
    assert.equal(missing.status, 404);
    assert.match(mainText(await html(missing)), /Job #999999 does not exist/);
    const bad = await operator.get('/admin/jobs/abc');
    assert.equal(bad.status, 400);
    assert.match(mainText(await html(bad)), /A job id is a positive whole number\./);
    for (const action of ['retry', 'delete', 'reschedule']) {
      const form: Record<string, string> = action === 'reschedule' ? { runAt: '2030-01-01T10:00' } : {};
      assert.equal((await operator.post(`/admin/jobs/999999/${action}`, form)).status, 404, action);
      assert.equal((await operator.post(`/admin/jobs/0/${action}`, form)).status, 400, action);
    }
  } finally {
    await hub.close();
  }
});

test('Retry now gives a dead job another attempt, now, and says so', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const id = await dead(hub);
    const other = await dead(hub);
    const operator = await hub.signIn('operator');
    const res = await operator.post(`/admin/jobs/${id}/retry`);
    assert.equal(redirectTarget(res), `/admin/jobs/${id}`);
    assert.equal(await flashAfter(operator, res), `Job #${id} is queued to run now.`);
    assert.equal(stateOf(hub, id), 'retrying');
    assert.equal(hub.ctx.jobs.get(id).runAt, hub.clock.now());
    assert.equal(stateOf(hub, other), 'dead', 'other jobs are untouched');
    assert.equal(auditCount(hub.ctx, 'jobs.retry'), 1);
  } finally {
    await hub.close();
  }
});

test('an htmx-boosted action follows the redirect; a plain htmx one gets HX-Redirect', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const a = await dead(hub);
    const b = await dead(hub);
    const operator = await hub.signIn('operator');
    const boosted = await operator.post(`/admin/jobs/${a}/retry`, {}, { 'HX-Request': 'true', 'HX-Boosted': 'true' });
    assert.equal(redirectTarget(boosted), `/admin/jobs/${a}`);
    const fragment = await operator.post(`/admin/jobs/${b}/delete`, {}, { 'HX-Request': 'true' });
    assert.equal(fragment.status, 204);
    assert.equal(fragment.headers.get('HX-Redirect'), '/admin/jobs');
    assert.equal(stateOf(hub, b), undefined);
  } finally {
    await hub.close();
  }
});

test('Reschedule reads the time as UTC, sets the priority, and says so', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const job = await parked(hub);
    const operator = await hub.signIn('operator');
    const res = await operator.post(`/admin/jobs/${job.id}/reschedule`, { runAt: '2030-01-02T03:04', priority: '-5' });
    assert.equal(redirectTarget(res), `/admin/jobs/${job.id}`);
    assert.equal(await flashAfter(operator, res), `Job #${job.id} rescheduled.`);
    const after = hub.ctx.jobs.get(job.id);
    assert.equal(after.runAt, Date.parse('2030-01-02T03:04:00Z'));
    assert.equal(after.priority, -5);
    assert.equal(auditCount(hub.ctx, 'jobs.reschedule'), 1);
  } finally {
    await hub.close();
  }
});

test('Reschedule with an invalid date or priority answers 422 beside the field and changes nothing', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const job = await parked(hub, 'test.parked', {}, { priority: 2 });
    const operator = await hub.signIn('operator');
    const res = await operator.post(`/admin/jobs/${job.id}/reschedule`, { runAt: '2030-13-45T99:00', priority: 'high' });
    assert.equal(res.status, 422);
    const doc = await html(res);
    assert.equal(doc.get('#job-run-at-error').text(), 'Enter a date and time.');
    assert.equal(doc.get('#job-run-at').attr('aria-invalid'), 'true');
    assert.equal(doc.get('#job-run-at').attr('value'), '2030-13-45T99:00', 'what was typed is kept');
    assert.equal(doc.get('#job-priority-error').text(), 'Enter a whole number from -32767 to 32767.');
    assert.equal(doc.get('section[aria-labelledby="job-actions-title"] [role="alert"]').text(), 'The job was not rescheduled.');
    const after = hub.ctx.jobs.get(job.id);
    assert.equal(after.runAt, job.runAt.getTime());
    assert.equal(after.priority, 2);
    assert.equal(auditCount(hub.ctx, 'jobs.reschedule'), 0);
    // The form as the page shows it, resubmitted with a good date, works.
    const form = formData(doc.get(`form[action="/admin/jobs/${job.id}/reschedule"]`));
    const fixed = await operator.post(`/admin/jobs/${job.id}/reschedule`, { ...form, runAt: '2031-06-01T12:00', priority: '2' });
    assert.equal(redirectTarget(fixed), `/admin/jobs/${job.id}`);
  } finally {
    await hub.close();
  }
});

test('Delete removes the job and returns to the list with a message', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const id = await dead(hub);
    const keep = await dead(hub);
    const operator = await hub.signIn('operator');
    const res = await operator.post(`/admin/jobs/${id}/delete`);
    assert.equal(redirectTarget(res), '/admin/jobs');
    assert.equal(await flashAfter(operator, res), `Deleted job #${id}.`);
    assert.equal(stateOf(hub, id), undefined);
    assert.equal(stateOf(hub, keep), 'dead');
    assert.equal((await operator.get(`/admin/jobs/${id}`)).status, 404);
    assert.equal(auditCount(hub.ctx, 'jobs.delete'), 1);
  } finally {
    await hub.close();
  }
});

test('a running job is left alone, with a warning instead of a success message', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const job = await parked(hub);
    hub.ctx.db.sqlite.prepare("UPDATE jobs SET locked_at = ?, locked_by = 'worker-test' WHERE id = ?").run(hub.clock.now(), job.id);
    const operator = await hub.signIn('operator');
    const page = await html(await operator.get(`/admin/jobs/${job.id}`));
    assert.match(page.get('section[aria-labelledby="job-actions-title"]').text(), /This job is running/);
    for (const action of ['retry', 'delete']) {
      const res = await operator.post(`/admin/jobs/${job.id}/${action}`);
      assert.equal(await flashAfter(operator, res), `Job #${job.id} is running, so it was not changed. Try again when it finishes.`, action);
    }
    assert.equal(stateOf(hub, job.id), 'running');
  } finally {
    await hub.close();
  }
});

test('viewers can read every jobs page, but every action answers 403 and changes nothing', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const id = await dead(hub);
    const viewer = await hub.signIn('viewer');
    assert.equal((await viewer.get('/admin/jobs')).status, 200);
    assert.equal((await viewer.get(`/admin/jobs/${id}`)).status, 200);
    const posts: [string, Record<string, string | string[]>][] = [
      [`/admin/jobs/${id}/retry`, {}],
      [`/admin/jobs/${id}/delete`, {}],
      [`/admin/jobs/${id}/reschedule`, { runAt: '2030-01-01T00:00' }],
      ['/admin/jobs/dead/retry', {}],
      ['/admin/jobs/dead/delete', {}],
      ['/admin/jobs/selected/retry', { 'ids[]': [String(id)] }],
      ['/admin/jobs/selected/delete', { 'ids[]': [String(id)] }],
    ];
    for (const [url, form] of posts) {
      const res = await viewer.post(url, form);
      assert.equal(res.status, 403, url);
      assert.match(mainText(await html(res)), /Your role \(viewer\) cannot (retry|delete|reschedule) jobs; it needs operator or higher\./, url);
    }
    assert.equal(stateOf(hub, id), 'dead');
    assert.equal((hub.ctx.db.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'jobs.%'").get() as { n: number }).n, 0);
    // Without a session nothing is shown at all.
    assert.equal(redirectTarget(await hub.agent().get('/admin/jobs')), '/login?next=%2Fadmin%2Fjobs');
  } finally {
    await hub.close();
  }
});

test('"Retry all dead jobs matching this filter" retries only dead jobs matching it and says how many', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const mine = [await dead(hub, 'test.a', { who: 'alice' }), await dead(hub, 'test.a', { who: 'alice' }), await dead(hub, 'test.a', { who: 'bob' })];
    const otherTask = await dead(hub, 'test.b', { who: 'alice' });
    const waiting = (await parked(hub, 'test.a', { who: 'alice' })).id;
    const operator = await hub.signIn('operator');

    const page = await html(await operator.get('/admin/jobs?task=test.a&text=alice'));
    const bulk = page.get('form[aria-label="Dead jobs matching this filter"]');
    assert.equal(bulk.get('[data-dead-matching]').text(), '2');
    assert.equal(bulk.attr('action'), '/admin/jobs/dead/retry');
    assert.equal(bulk.get('button[formaction]').attr('formaction'), '/admin/jobs/dead/delete');
    const form = formData(bulk);
    assert.deepEqual({ ...form, _csrf: '' }, { _csrf: '', task: 'test.a', text: 'alice' });

    const res = await operator.post('/admin/jobs/dead/retry', form);
    assert.equal(redirectTarget(res), '/admin/jobs?task=test.a&text=alice');
    assert.equal(await flashAfter(operator, res), 'Retried 2 jobs.');
    assert.deepEqual(mine.map((id) => stateOf(hub, id)), ['retrying', 'retrying', 'dead']);
    assert.equal(stateOf(hub, otherTask), 'dead');
    assert.equal(stateOf(hub, waiting), 'queued');
    assert.equal(auditCount(hub.ctx, 'jobs.bulk_retry'), 1);

    const again = await operator.post('/admin/jobs/dead/retry', form);
    assert.equal(await flashAfter(operator, again), 'No dead jobs matched this filter; nothing changed.');
    assert.equal((await html(await operator.get('/admin/jobs?task=test.a&text=alice'))).find('form[aria-label="Dead jobs matching this filter"]'), undefined);
  } finally {
    await hub.close();
  }
});

test('"Delete all dead jobs matching this filter" ignores the state filter and deletes only dead jobs', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const gone = [await dead(hub, 'test.a'), await dead(hub, 'test.a'), await dead(hub, 'test.a')];
    const kept = [await dead(hub, 'test.b'), (await parked(hub, 'test.a')).id];
    const operator = await hub.signIn('operator');
    const res = await operator.post('/admin/jobs/dead/delete', { task: 'test.a', state: 'queued' });
    assert.equal(redirectTarget(res), '/admin/jobs?task=test.a&state=queued');
    assert.equal(await flashAfter(operator, res), 'Deleted 3 jobs.');
    assert.deepEqual(gone.map((id) => stateOf(hub, id)), [undefined, undefined, undefined]);
    assert.deepEqual(kept.map((id) => stateOf(hub, id)), ['dead', 'queued']);
    assert.equal(auditCount(hub.ctx, 'jobs.bulk_delete'), 1);
  } finally {
    await hub.close();
  }
});

test('"Retry selected" and "Delete selected" act on the ticked jobs only; none ticked is a 422', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const [a, b, c, d] = [await dead(hub), await dead(hub), await dead(hub), await dead(hub)];
    const operator = await hub.signIn('operator');
    const page = await html(await operator.get('/admin/jobs?state=dead'));
    const form = page.get('form#jobs-selected');
    assert.equal(form.attr('action'), '/admin/jobs/selected/retry');
    assert.equal(form.get('button[formaction]').attr('formaction'), '/admin/jobs/selected/delete');
    const box = form.findAll('input[type="checkbox"]').find((el) => el.attr('name') === 'ids[]' && el.attr('value') === String(a));
    assert.equal(box?.attr('aria-label'), `Select job #${a}`);
    assert.ok(form.get('input[data-select-all]').attr('aria-label'));

    const retried = await operator.post('/admin/jobs/selected/retry', { ...formData(form), 'ids[]': [String(a), String(b)] });
    assert.equal(redirectTarget(retried), '/admin/jobs?state=dead');
    assert.equal(await flashAfter(operator, retried), 'Retried 2 jobs.');
    const deleted = await operator.post('/admin/jobs/selected/delete', { 'ids[]': [String(c), '999999'] });
    assert.equal(await flashAfter(operator, deleted), 'Deleted 1 of 2 jobs; the others are running or no longer exist.');
    assert.deepEqual([a, b, c, d].map((id) => stateOf(hub, id)), ['retrying', 'retrying', undefined, 'dead']);

    const none = await operator.post('/admin/jobs/selected/delete', { state: 'dead' });
    assert.equal(none.status, 422);
    const doc = await html(none);
    assert.equal(doc.get('main .notification[role="alert"]').text(), 'Choose at least one job.');
    assert.equal(stateOf(hub, d), 'dead');
  } finally {
    await hub.close();
  }
});

test('the stream answers with text/event-stream, sends the counts, and again after a job event', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const viewer = await hub.signIn('viewer');
    const res = await viewer.get('/admin/jobs/stream');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('Content-Type') ?? '', /^text\/event-stream/);
    assert.equal(res.headers.get('Cache-Control'), 'no-cache');
    const reader = res.body!.getReader();
    const buffer = { text: '' };
    try {
      const first = eventData((await nextEvent(reader, buffer))!);
      assert.equal(first.name, 'counts');
      assert.match(first.data, /data-count="scheduled">0</);

      await parked(hub);
      const second = eventData((await nextEvent(reader, buffer))!);
      assert.equal(second.name, 'counts');
      assert.match(second.data, /data-count="scheduled">1</);
      assert.match(second.data, /<ul class="sy-job-counts"/);

      // An admin action (no runner event) is announced too.
      const id = await dead(hub);
      await (await hub.signIn('operator')).post(`/admin/jobs/${id}/delete`);
      for (;;) {
        const next = eventData((await nextEvent(reader, buffer))!);
        if (/data-count="dead">0</.test(next.data) && /data-count="scheduled">1</.test(next.data)) break;
      }
    } finally {
      await reader.cancel();
    }
    await eventually(() => !hub.ctx.events.listening('job.changed') && !hub.ctx.events.listening('job.queued'), 'the stream removed its listeners');
  } finally {
    await hub.close();
  }
});

test('a burst of job events becomes one counts message', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const res = await (await hub.signIn('viewer')).get('/admin/jobs/stream');
    const reader = res.body!.getReader();
    const buffer = { text: '' };
    try {
      await nextEvent(reader, buffer);
      for (let i = 0; i < 20; i++) await parked(hub);
      const next = eventData((await nextEvent(reader, buffer))!);
      assert.match(next.data, /data-count="scheduled">20</, 'the one message already has all twenty');
      await assert.rejects(nextEvent(reader, buffer, 700), /no event in time/);
    } finally {
      await reader.cancel();
    }
  } finally {
    await hub.close();
  }
});

test('the stream ends when the hub stops, and no new one starts while it stops', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const viewer = await hub.signIn('viewer');
    const reader = (await viewer.get('/admin/jobs/stream')).body!.getReader();
    const buffer = { text: '' };
    await nextEvent(reader, buffer);
    hub.ctx.events.emit('hub.stopping', {});
    assert.equal(await nextEvent(reader, buffer), undefined, 'the stream ended');
    assert.equal(hub.ctx.events.listening('job.queued'), false);
    assert.equal((await viewer.get('/admin/jobs/stream')).status, 503);
  } finally {
    await hub.close();
  }
});

test('closing every connection (the shutdown timeout) ends a stream and removes its listeners', async () => {
  const hub = await startTestHub({ startJobs: false });
  const port = await freePort();
  const server = serve({ fetch: hub.app.fetch, port, hostname: '127.0.0.1' }) as Server;
  try {
    await new Promise((r) => server.once('listening', r));
    const viewer = await hub.signIn('viewer');
    const res = await fetch(`http://127.0.0.1:${port}/admin/jobs/stream`, { headers: { Cookie: cookieHeader(viewer) } });
    assert.match(res.headers.get('Content-Type') ?? '', /^text\/event-stream/);
    const reader = res.body!.getReader();
    await nextEvent(reader, { text: '' });
    assert.equal(hub.ctx.events.listening('job.queued'), true);
    const closed = new Promise((r) => server.close(r));
    server.closeAllConnections();
    await closed;
    await reader.read().then(
      (r) => assert.equal(r.done, true),
      () => undefined,
    );
    await eventually(() => !hub.ctx.events.listening('job.queued'), 'the stream removed its listeners');
  } finally {
    server.close();
    await hub.close();
  }
});

test('stopping the hub ends open streams at once instead of waiting for the shutdown timeout', async () => {
  const port = await freePort();
  const config = loadConfig(
    { HUB_DATA_DIR: tempDir(), HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'silent', HUB_ADMIN_EMAIL: 'ops@example.com', HUB_ADMIN_PASSWORD: TEST_PASSWORD },
    false,
  );
  const running = await startHub(config, createLogger({ level: 'silent', format: 'json' }));
  let stopped = false;
  try {
    const base = `http://127.0.0.1:${running.port}`;
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'ops@example.com', password: TEST_PASSWORD }).toString(),
    });
    assert.equal(login.status, 303);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const res = await fetch(`${base}/admin/jobs/stream`, { headers: { Cookie: cookie } });
    assert.equal(res.headers.get('Connection'), 'close');
    const reader = res.body!.getReader();
    const buffer = { text: '' };
    assert.equal(eventData((await nextEvent(reader, buffer))!).name, 'counts');
    const started = Date.now();
    await running.stop();
    stopped = true;
    assert.ok(Date.now() - started < 3000, `stop took ${Date.now() - started} ms`);
    assert.equal(await nextEvent(reader, buffer).catch(() => undefined), undefined, 'the stream ended');
  } finally {
    if (!stopped) await running.stop();
  }
});

test('the jobs help topic renders with its sections', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const res = await (await hub.signIn('viewer')).get('/admin/help/jobs');
    assert.equal(res.status, 200);
    const doc = await html(res);
    assert.equal(doc.get('main h1').text(), 'Jobs');
    const sections = doc.get('nav[aria-label="On this page"]').findAll('a').map((a) => a.text());
    for (const s of ['Job states', 'Retries and back-off', 'What to do with dead jobs', 'Bulk actions', 'The cron schedule', 'Retention']) assert.ok(sections.includes(s), s);
    const text = doc.get('article.sy-help').text();
    assert.match(text, /about 3 s, 7 s, 20 s, 55 s/);
    assert.match(text, /maintenance\.prune_history/);
    assert.match(text, /Keep job statistics for/);
  } finally {
    await hub.close();
  }
});
