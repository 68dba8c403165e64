import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestHub, tempDir, type Agent, type TestHub } from '../../helpers/hub.js';
import { auditCount, html, redirectTarget } from '../web-helpers.js';

let hub: TestHub;

before(async () => {
  hub = await startTestHub({ startJobs: false });
});

after(() => hub.close());

const report = (agent: Agent, body: unknown, headers: Record<string, string> = {}) =>
  agent.request('POST', '/admin/io/latency', {
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': agent.csrfToken, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const browserRow = (action: string) => hub.ctx.latency.snapshot().find((r) => r.action === action)?.browser;

test('records the browser samples of a valid report and answers 204', async () => {
  const viewer = await hub.signIn('viewer');
  const res = await report(viewer, { samples: [{ action: 'Beacon test', ms: 120 }, { action: 'Beacon test', ms: 80 }] });
  assert.equal(res.status, 204);
  assert.deepEqual(browserRow('Beacon test'), { count: 2, p50: 80, p95: 120, p99: 120 });
});

test('refuses a report that is not JSON with 415', async () => {
  const viewer = await hub.signIn('viewer');
  const res = await report(viewer, 'samples=1', { 'Content-Type': 'text/plain' });
  assert.equal(res.status, 415);
  const body = (await res.json()) as { error: { code: string } };
  assert.equal(body.error.code, 'unsupported_media_type');
});

test('refuses malformed JSON and out-of-range samples with 422, recording none of them', async () => {
  const viewer = await hub.signIn('viewer');
  const broken = await report(viewer, '{"samples": [');
  assert.equal(broken.status, 422);

  const cases: [unknown, string][] = [
    [{ samples: [{ action: 'Too slow', ms: 600_001 }] }, 'samples.0.ms'],
    [{ samples: [{ action: 'Negative', ms: -1 }] }, 'samples.0.ms'],
    [{ samples: [{ action: 'x'.repeat(121), ms: 1 }] }, 'samples.0.action'],
    [{ samples: [{ action: 'Extra', ms: 1, user: 'a' }] }, 'samples.0'],
    [{ samples: Array.from({ length: 101 }, () => ({ action: 'Many', ms: 1 })) }, 'samples'],
    [{ samples: [{ action: 'Text', ms: '12' }] }, 'samples.0.ms'],
    [[{ action: 'Bare list', ms: 1 }], 'body'],
  ];
  for (const [body, fieldName] of cases) {
    const res = await report(viewer, body);
    assert.equal(res.status, 422, JSON.stringify(body).slice(0, 80));
    const json = (await res.json()) as { error: { code: string; message: string; details: { fields: Record<string, string> } } };
    assert.equal(json.error.code, 'validation_failed');
    assert.ok(json.error.message);
    assert.ok(json.error.details.fields[fieldName], `${fieldName} in ${JSON.stringify(json.error.details.fields)}`);
  }
  for (const name of ['Too slow', 'Negative', 'Extra', 'Many', 'Text', 'Bare list']) assert.equal(browserRow(name), undefined);
});

test('refuses a report without the CSRF token', async () => {
  const viewer = await hub.signIn('viewer');
  const res = await report(viewer, { samples: [{ action: 'No token', ms: 5 }] }, { 'X-CSRF-Token': 'wrong' });
  assert.equal(res.status, 403);
  assert.equal(browserRow('No token'), undefined);
});

test('refuses a report from someone signed out', async () => {
  const res = await report(hub.agent(), { samples: [{ action: 'Signed out', ms: 5 }] });
  assert.notEqual(res.status, 204);
  assert.equal(browserRow('Signed out'), undefined);
});

test('shows the cache, the job pools and server and browser latency to a viewer, without cache controls', async () => {
  hub.ctx.cache.set('diag:shown', { a: 1 });
  const viewer = await hub.signIn('viewer');
  await viewer.get('/admin/jobs');
  await report(viewer, { samples: [{ action: 'GET /admin/jobs', ms: 42 }] });
  const doc = await html(await viewer.get('/admin/io'));
  assert.equal(doc.get('h1').text(), 'Diagnostics');
  assert.equal(doc.get('aside a[aria-current="page"]').text(), 'Diagnostics');
  assert.ok(doc.find('a[href="/admin/help/diagnostics"]'));
  const row = doc.get('tr[data-cache-key="diag:shown"]');
  assert.equal(row.get('[data-freshness]').text(), 'not read yet');
  assert.equal(doc.find('button[aria-label="Purge diag:shown"]'), undefined);
  assert.equal(doc.find('form[aria-label="Purge cache entries by prefix"]'), undefined);
  assert.deepEqual(doc.findAll('tr[data-pool]').map((tr) => tr.attr('data-pool')), ['default', 'ui_fast']);
  assert.equal(doc.get('tr[data-pool="default"] [data-utilization="1m"]').text(), '0 %');
  const jobs = doc.get('tr[data-action="GET /admin/jobs"]');
  assert.notEqual(jobs.get('[data-source="server"]').text(), '—');
  assert.equal(jobs.get('[data-source="browser"]').text(), '1');
  assert.ok(doc.get('#diagnostics-live').attr('hx-trigger')?.includes('every 5s'));
  for (const header of ['p95', 'Utilization, 1 min', 'State']) {
    const th = doc.findAll('th').find((el) => el.text().startsWith(header));
    assert.ok(th?.find('.sy-tip[data-tip][aria-label]'), `a tooltip on ${header}`);
  }
});

test('serves the sections alone for polling, timed under their own name', async () => {
  const viewer = await hub.signIn('viewer');
  const res = await viewer.get('/admin/io/live', { 'HX-Request': 'true' });
  assert.equal(res.status, 200);
  const doc = await html(res);
  assert.equal(doc.find('h1'), undefined);
  assert.ok(doc.get('#diag-pools-title'));
  assert.ok((hub.ctx.latency.snapshot().find((r) => r.action === 'Diagnostics refresh')?.server?.count ?? 0) >= 1);
});

test('says what fills the latency table when the hub has just restarted', async () => {
  const dataDir = tempDir();
  const first = await startTestHub({ startJobs: false, dataDir });
  const viewer = await first.signIn('viewer');
  await first.close();
  const restarted = await startTestHub({ startJobs: false, dataDir });
  try {
    const again = restarted.agent();
    for (const [name, value] of viewer.cookies) again.cookies.set(name, value);
    const doc = await html(await again.get('/admin/io'));
    assert.match(doc.get('[data-empty="latency"]').text(), /Browse a few pages/);
  } finally {
    await restarted.close();
  }
});

test('an operator purges one key, audited, and the page says so', async () => {
  hub.ctx.cache.set('diag:one', 1);
  hub.ctx.cache.set('diag:two', 2);
  const operator = await hub.signIn('operator');
  const before = auditCount(hub.ctx, 'cache.purge');
  const res = await operator.post('/admin/io/cache/purge', { key: 'diag:one' });
  assert.equal(redirectTarget(res), '/admin/io');
  const doc = await html(await operator.get('/admin/io'));
  assert.match(doc.get('main [role="status"]').text(), /Purged diag:one/);
  assert.equal(hub.ctx.cache.peek('diag:one'), undefined);
  assert.equal(hub.ctx.cache.peek('diag:two')?.value, 2);
  assert.equal(auditCount(hub.ctx, 'cache.purge'), before + 1);
});

test('an operator purges by prefix through htmx and gets the sections back with a message', async () => {
  hub.ctx.cache.set('bulk:a', 1);
  hub.ctx.cache.set('bulk:b', 2);
  hub.ctx.cache.set('kept', 3);
  const operator = await hub.signIn('operator');
  const res = await operator.post('/admin/io/cache/purge-prefix', { prefix: 'bulk:' }, { 'HX-Request': 'true' });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('HX-Trigger') ?? '', /Purged 2 entries starting with bulk:/);
  const doc = await html(res);
  assert.equal(doc.find('tr[data-cache-key="bulk:a"]'), undefined);
  assert.ok(doc.get('tr[data-cache-key="kept"]'));
  assert.equal(auditCount(hub.ctx, 'cache.purge_prefix') >= 1, true);
});

test('refresh hands the key to its refresher without waiting, and says when none exists', async () => {
  const asked: string[] = [];
  hub.ctx.cache.registerRefresher('refreshable:', (key) => asked.push(key));
  hub.ctx.cache.set('refreshable:x', 1);
  hub.ctx.cache.set('plain', 1);
  const operator = await hub.signIn('operator');
  const page = await html(await operator.get('/admin/io'));
  assert.ok(page.get('button[aria-label="Refresh refreshable:x"]'));
  assert.equal(page.find('button[aria-label="Refresh plain"]'), undefined);

  const queued = await operator.post('/admin/io/cache/refresh', { key: 'refreshable:x' });
  assert.match((await html(await operator.get(redirectTarget(queued)))).get('main [role="status"]').text(), /Refresh queued for refreshable:x/);
  assert.deepEqual(asked, ['refreshable:x']);
  assert.equal(auditCount(hub.ctx, 'cache.refresh'), 1);

  const none = await operator.post('/admin/io/cache/refresh', { key: 'plain' });
  assert.match((await html(await operator.get(redirectTarget(none)))).get('main [role="status"]').text(), /No plugin refreshes plain/);
  assert.equal(auditCount(hub.ctx, 'cache.refresh'), 1);
});

test('a viewer may not purge or refresh', async () => {
  hub.ctx.cache.set('guarded', 1);
  const viewer = await hub.signIn('viewer');
  for (const [path, form] of [['/admin/io/cache/purge', { key: 'guarded' }], ['/admin/io/cache/purge-prefix', { prefix: '' }], ['/admin/io/cache/refresh', { key: 'guarded' }]] as const) {
    assert.equal((await viewer.post(path, form)).status, 403, path);
  }
  assert.equal(hub.ctx.cache.peek('guarded')?.value, 1);
});

test('a purge without the CSRF token changes nothing', async () => {
  hub.ctx.cache.set('csrf-kept', 1);
  const operator = await hub.signIn('operator');
  const res = await operator.request('POST', '/admin/io/cache/purge', { form: { key: 'csrf-kept', _csrf: 'forged' } });
  assert.equal(res.status, 403);
  assert.equal(hub.ctx.cache.peek('csrf-kept')?.value, 1);
});

test('refreshing a pf-jira key queues its refresh job on the ui_fast pool', async () => {
  const pf = await startTestHub({ plugins: ['pf-jira'], startJobs: false });
  try {
    pf.ctx.cache.set('pf-jira:projects', []);
    const operator = await pf.signIn('operator');
    const res = await operator.post('/admin/io/cache/refresh', { key: 'pf-jira:projects' });
    assert.equal(redirectTarget(res), '/admin/io');
    const queued = () => pf.ctx.db.sqlite.prepare("SELECT task_identifier AS task, pool FROM jobs_view WHERE task_identifier = 'pf-jira.refresh_cache'").all();
    // The job is added without the request waiting for it.
    for (let turn = 0; turn < 50 && queued().length === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(queued(), [{ task: 'pf-jira.refresh_cache', pool: 'ui_fast' }]);
  } finally {
    await pf.close();
  }
});
