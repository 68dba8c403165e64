import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { POLL_NOW_TASK, VALIDATE_ALL_TASK } from '../../../../src/plugins/pf-jira/engine.js';
import { pfRoutes } from '../../../../src/plugins/pf-jira/web/pf-routes.js';
import type { Agent } from '../../../helpers/hub.js';
import { parseHtml, redirectTarget } from '../../../web/web-helpers.js';
import { engineFixture, eventually, type EngineFixture } from '../engine-fixture.js';

const DAY = 86_400_000;
const htmx = (agent: Agent) => ({ 'HX-Request': 'true', 'X-CSRF-Token': agent.csrfToken });

/** Reads an SSE response: everything until a pattern matches (or time is up), and the messages so far as [event, data]. */
const sseReader = (res: Response) => {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  // A read outlasting one readUntil() is kept for the next, so no chunk is lost.
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  const readUntil = async (pattern: RegExp, ms: number): Promise<string> => {
    const deadline = Date.now() + ms;
    while (!pattern.test(text) && Date.now() < deadline) {
      pending ??= reader.read();
      const chunk = await Promise.race([pending, new Promise<undefined>((r) => setTimeout(r, Math.max(1, deadline - Date.now())))]);
      if (!chunk) continue;
      pending = undefined;
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    return text;
  };
  const messages = () =>
    text
      .split('\n\n')
      .filter((block) => block.startsWith('event: '))
      .map((block) => {
        const [first, ...data] = block.split('\n');
        return [first!.slice('event: '.length), data.map((l) => l.replace(/^data: /, '')).join('\n')] as const;
      });
  return { reader, readUntil, messages };
};

describe('the routing rules dashboard', () => {
  let f: EngineFixture;
  let admin: Agent;
  let operator: Agent;
  let viewer: Agent;
  before(async () => {
    f = await engineFixture();
    admin = await f.hub.signIn('admin');
    operator = await f.hub.signIn('operator');
    viewer = await f.hub.signIn('viewer');
  });
  after(async () => {
    await f.close();
  });

  const page = async (agent: Agent, url: string = pfRoutes.rules) => {
    const res = await agent.get(url);
    assert.equal(res.status, 200);
    const doc = parseHtml(await res.text());
    assert.deepEqual(doc.problems, []);
    return doc;
  };
  const rowNames = (doc: ReturnType<typeof parseHtml>) => doc.findAll('#rules-body a.sy-rule-name').map((a) => a.text());
  const names = () => f.rules.list().map((r) => r.name);
  const idOf = (name: string) => f.rules.list().find((r) => r.name === name)?.id as number;

  test('lists the rules in priority order with target, badge, switch, edit and move controls', async () => {
    const doc = await page(admin);
    assert.deepEqual(rowNames(doc), names());
    const body = doc.get('#rules-body');
    assert.equal(body.attr('data-sortable'), pfRoutes.rulesReorder);
    const onboarding = doc.get(`#rule-row-${idOf('New hires → IT onboarding')}`);
    assert.equal(onboarding.get('[data-testid=rule-status]').parent?.attr('sse-swap'), `rule-badge-${idOf('New hires → IT onboarding')}`);
    assert.match(onboarding.text(), /IT \/ Onboarding/);
    assert.equal(onboarding.get('[data-testid=rule-status]').text(), 'Pending');
    assert.equal(onboarding.get('button[role=switch]').attr('aria-checked'), 'true');
    assert.ok(onboarding.find(`a[hx-get="${pfRoutes.ruleEdit(idOf('New hires → IT onboarding'))}"][hx-target="#sy-modal-root"]`));
    assert.ok(onboarding.find(`form[action="${pfRoutes.ruleMove(idOf('New hires → IT onboarding'), 'up')}"] button[formaction="${pfRoutes.ruleMove(idOf('New hires → IT onboarding'), 'down')}"]`));
    assert.ok(doc.find(`a[hx-get="${pfRoutes.ruleNew}"][data-latency="Modal open"]`));
    assert.ok(doc.find('#sy-modal-root'));
    assert.match(doc.get('[sse-connect]').attr('sse-connect') ?? '', /^\/admin\/pf-jira\/rules\/stream\?rev=\d+$/);
  });

  test('a viewer sees the list without switches, editing or moving', async () => {
    const doc = await page(viewer);
    assert.deepEqual(rowNames(doc), names());
    assert.equal(doc.find('#rules-body')?.has('data-sortable'), false);
    assert.equal(doc.find('button[role=switch]'), undefined);
    assert.equal(doc.find('form.sy-reorder'), undefined);
    assert.equal(doc.find(`a[href="${pfRoutes.ruleNew}"]`), undefined);
  });

  test('searches by name, project and condition text, and filters by action and on/off', async () => {
    assert.deepEqual(rowNames(await page(admin, `${pfRoutes.rules}?q=offboarding`)), ['Terminations → HR offboarding']);
    assert.deepEqual(rowNames(await page(admin, `${pfRoutes.rules}?q=HR`)), ['Terminations → HR offboarding']);
    assert.deepEqual(rowNames(await page(admin, `${pfRoutes.rules}?q=probation`)), ['New hires → IT onboarding']);
    assert.deepEqual(rowNames(await page(admin, `${pfRoutes.rules}?action=DROP`)), ['Contractors are not onboarded', 'Other employee changes are not ticketed']);
    assert.deepEqual(rowNames(await page(admin, `${pfRoutes.rules}?enabled=off`)), []);
    const filtered = await page(admin, `${pfRoutes.rules}?action=SYNC&status=nonsense`);
    assert.equal(filtered.find('#rules-body')?.has('data-sortable'), false, 'no reordering of a filtered list');
    assert.match(filtered.get('[data-testid=rules-count]').text(), /Showing 2 of 4 rules\. Reordering is offered only for the full list/);
    assert.equal(filtered.find('#rules-status option[selected]'), undefined, 'an unknown status is ignored');
  });

  test('htmx search answers with the results fragment only, carrying its live refresh', async () => {
    const res = await admin.get(`${pfRoutes.rules}?q=onboard&status=pending`, { 'HX-Request': 'true', 'HX-Target': 'rules-results' });
    const html = await res.text();
    assert.doesNotMatch(html, /<html/);
    const doc = parseHtml(html);
    assert.deepEqual(rowNames(doc), ['Contractors are not onboarded', 'New hires → IT onboarding']);
    const refresh = doc.get('#rules-refresh');
    assert.equal(refresh.attr('hx-get'), `${pfRoutes.rules}?q=onboard&status=pending`);
    assert.equal(refresh.attr('hx-trigger'), 'sse:rules-changed, sse:rule-validated');
  });

  test('reorders the rules, and refuses a stale order with 422 and the fresh list', async () => {
    const rules = f.rules.list();
    const reversed = [...rules].reverse();
    const res = await admin.request('POST', pfRoutes.rulesReorder, { form: { 'ids[]': reversed.map((r) => String(r.id)), 'versions[]': reversed.map((r) => String(r.version)) }, headers: htmx(admin) });
    assert.equal(res.status, 200);
    assert.deepEqual(rowNames(parseHtml(await res.text())), reversed.map((r) => r.name));
    assert.deepEqual(names(), reversed.map((r) => r.name));

    const stale = await admin.request('POST', pfRoutes.rulesReorder, { form: { 'ids[]': reversed.slice(1).map((r) => String(r.id)) }, headers: htmx(admin) });
    assert.equal(stale.status, 422);
    const doc = parseHtml(await stale.text());
    assert.match(doc.get('[role=alert]').text(), /Rules were added or deleted meanwhile; the list was reloaded/);
    assert.deepEqual(rowNames(doc), names());

    // The versions shown are older than the rules now: someone changed them meanwhile.
    const outdated = await admin.request('POST', pfRoutes.rulesReorder, { form: { 'ids[]': rules.map((r) => String(r.id)), 'versions[]': rules.map((r) => String(r.version)) }, headers: htmx(admin) });
    assert.equal(outdated.status, 409);
    assert.match(parseHtml(await outdated.text()).get('[role=alert]').text(), /was changed meanwhile .* the list was reloaded/);
    assert.deepEqual(names(), reversed.map((r) => r.name));

    f.rules.reorder(rules.map((r) => r.id), { userId: null, email: 'system', role: 'admin', ip: null, requestId: null });
  });

  test('reordering needs an admin', async () => {
    const ids = f.rules.list().map((r) => String(r.id));
    assert.equal((await operator.request('POST', pfRoutes.rulesReorder, { form: { 'ids[]': ids }, headers: htmx(operator) })).status, 403);
    assert.equal((await operator.post(pfRoutes.ruleMove(Number(ids[1]), 'up'))).status, 403);
  });

  test('moves a rule up and down without JavaScript: 303 back to the filtered list with a message', async () => {
    const id = idOf('New hires → IT onboarding');
    const res = await admin.request('POST', pfRoutes.ruleMove(id, 'up'), { form: { _csrf: admin.csrfToken }, headers: { Referer: `http://localhost${pfRoutes.rules}?q=hires` } });
    assert.equal(redirectTarget(res), `${pfRoutes.rules}?q=hires`);
    assert.equal(names()[0], 'New hires → IT onboarding');
    const back = await page(admin);
    assert.match(back.get('.notification').text(), /“New hires → IT onboarding” moved up; it is now number 1 of 4\./);
    await admin.post(pfRoutes.ruleMove(id, 'up'));
    assert.match((await page(admin)).get('.notification').text(), /is already first/);
    const down = await admin.request('POST', pfRoutes.ruleMove(id, 'down'), { form: {}, headers: htmx(admin) });
    assert.equal(down.status, 200, await down.clone().text());
    assert.match(down.headers.get('HX-Trigger') ?? '', /moved down; it is now number 2 of 4/);
    assert.equal(names()[1], 'New hires → IT onboarding');
  });

  test('an operator turns a rule off and on; a viewer may not', async () => {
    const id = idOf('Terminations → HR offboarding');
    assert.equal((await viewer.post(pfRoutes.ruleEnabled(id), { enabled: '0' })).status, 403);
    const off = await operator.request('POST', pfRoutes.ruleEnabled(id), { form: { enabled: '0' }, headers: htmx(operator) });
    assert.equal(off.status, 200);
    const row = parseHtml(await off.text()).get(`#rule-row-${id}`);
    assert.equal(row.get('button[role=switch]').attr('aria-checked'), 'false');
    assert.equal(f.rules.get(id).enabled, false);
    const on = await operator.post(pfRoutes.ruleEnabled(id), { enabled: '1' });
    assert.equal(redirectTarget(on), pfRoutes.rules);
    assert.equal(f.rules.get(id).enabled, true);
    assert.match((await page(operator)).get('.notification').text(), /is now on; it is being validated again/);
  });

  test('the live stream sends the list refresh, the sync panel, and the badge of each rule as its validation changes', async () => {
    const res = await admin.get(`${pfRoutes.rulesStream}?rev=-1`);
    assert.match(res.headers.get('Content-Type') ?? '', /^text\/event-stream/);
    const { readUntil, messages, reader } = sseReader(res);
    const id = idOf('Terminations → HR offboarding');
    const invalidRow = () => messages().some(([event, data]) => event === `rule-badge-${id}` && data.includes('data-status="invalid"'));
    try {
      await readUntil(/event: rules-changed/, 2000);
      assert.deepEqual(
        messages().map(([event]) => event),
        ['sync-panel', 'rules-changed'],
      );
      f.jira.sim.setFieldRequired({ project: 'HR', issueTypeId: 'Offboarding', fieldId: 'duedate', required: true });
      assert.equal((await operator.post(pfRoutes.rulesValidate)).status, 303);
      await eventually(async () => {
        await readUntil(/(?!)/, 100);
        return invalidRow() && messages().filter(([event]) => event === 'rules-changed').length > 1;
      }, 'the invalid badge and the list refresh after the rule was turned off');
      const row = messages().filter(([event]) => event === `rule-badge-${id}`).at(-1)?.[1] ?? '';
      assert.match(row, /Due date/);
      assert.ok(messages().some(([event]) => event === 'rule-validated'));
      assert.equal(f.rules.get(id).enabled, false);
    } finally {
      await reader.cancel();
      f.jira.sim.setFieldRequired({ project: 'HR', issueTypeId: 'Offboarding', fieldId: 'duedate', required: false });
    }
  });

  test('a stream opened by an up-to-date page sends no list refresh on connect', async () => {
    const doc = await page(admin);
    const url = doc.get('[sse-connect]').attr('sse-connect') as string;
    const { readUntil, messages, reader } = sseReader(await admin.get(url));
    await readUntil(/(?!)/, 700);
    await reader.cancel();
    assert.deepEqual(
      messages().map(([event]) => event),
      ['sync-panel'],
    );
  });

  test('the detail page shows status, reasons, history with changes and the events the rule decided', async () => {
    const id = idOf('Terminations → HR offboarding');
    const doc = await page(viewer, pfRoutes.rule(id));
    assert.equal(doc.get('h1').text(), 'Terminations → HR offboarding');
    assert.match(doc.get('[data-testid=rule-errors]').text(), /Due date/);
    const history = doc.get('table[aria-label="Version history"]').text();
    assert.match(history, /on\/off: on → off/);
    assert.match(history, /created/);
    assert.ok(doc.find(`a[href="${pfRoutes.events}?rule=${id}"]`));
    assert.equal((await viewer.get(pfRoutes.rule(99999))).status, 404);
  });

  test('Sync now queues a poll on the fast pool; the panel shows the run and what became of its events', async () => {
    f.pf.sim.clearWebhook();
    const queued: { task: string; pool: string }[] = [];
    const stop = f.hub.ctx.events.on('job.queued', (j) => queued.push(j));
    const syncNow = async () => {
      const res = await operator.request('POST', pfRoutes.pollNow, { form: {}, headers: htmx(operator) });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /Queued…|Polling PeopleForce|Last run/);
    };
    const lastAt = () => (f.hub.ctx.db.sqlite.prepare("SELECT value FROM pfj_state WHERE key = 'poll.last_summary'").get() as { value: string } | undefined)?.value;

    await syncNow();
    await eventually(lastAt, 'the baseline poll');
    const first = lastAt();
    const hire = f.pf.sim.hire({ first_name: 'Sync', last_name: 'Now', email: 'sync.now@example.com', department: 'IT', position: 'Support', employment_type: 'Full-Time', hired_on: new Date(f.hub.clock.now() + 7 * DAY).toISOString().slice(0, 10) });
    const existing = f.pf.sim.snapshot().employees.find((e) => e.id !== hire.id && e.status === 'employed');
    assert.ok(existing);
    f.pf.sim.update(existing.id, { last_name: 'Renamed' });
    f.hub.clock.advance(1000);
    await syncNow();
    await eventually(() => lastAt() !== first && lastAt(), 'the second poll');
    stop();
    assert.ok(queued.some((j) => j.task === POLL_NOW_TASK && j.pool === 'ui_fast'));

    const panel = await eventually(async () => {
      const doc = await page(viewer);
      return doc.get('[data-testid=sync-synced]').text() === '1' && doc.get('[data-testid=sync-pending]').text() === '0' ? doc : undefined;
    }, 'the new hire to be synced');
    const run = f.events.list({ limit: 1000 }).filter((e) => e.correlationId === `poll:${(JSON.parse(lastAt() as string) as { at: number }).at}`);
    assert.ok(run.some((e) => e.type === 'employee_create' && e.entityId === String(hire.id) && e.status === 'synced'));
    assert.equal(panel.get('[data-testid=sync-events]').text(), String(run.length));
    assert.equal(panel.get('[data-testid=sync-dropped]').text(), String(run.filter((e) => e.status === 'dropped').length));
    assert.ok(run.some((e) => e.entityId === String(existing.id) && e.status === 'dropped'));
    assert.equal(panel.get('[data-testid=sync-failed]').text(), '0');
    assert.ok(Number(panel.get('[data-testid=sync-seen]').text()) > 2);
    assert.equal(panel.find('#sync-panel form button'), undefined, 'a viewer cannot start a poll');
    assert.equal((await viewer.post(pfRoutes.pollNow)).status, 403);
  });

  test('Validate all rules now queues the nightly check on the fast pool', async () => {
    const queued: { task: string; pool: string }[] = [];
    const stop = f.hub.ctx.events.on('job.queued', (j) => queued.push(j));
    const res = await operator.post(pfRoutes.rulesValidate);
    stop();
    assert.equal(redirectTarget(res), pfRoutes.rules);
    assert.ok(queued.some((j) => j.task === VALIDATE_ALL_TASK && j.pool === 'ui_fast'));
    const live = await operator.request('POST', pfRoutes.rulesValidate, { form: {}, headers: htmx(operator) });
    assert.equal(live.status, 204, 'with htmx the page stays; badges change over the stream');
    assert.match(live.headers.get('HX-Trigger') ?? '', /Validation of every enabled rule was queued/);
    assert.equal((await viewer.post(pfRoutes.rulesValidate)).status, 403);
  });
});
