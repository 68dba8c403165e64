import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { VALIDATE_ALL_TASK } from '../../../src/plugins/pf-jira/engine.js';
import { SWEEP_TASK } from '../../../src/plugins/pf-jira/sync/reverse-sweep.js';
import { engineFixture, eventually, type EngineFixture } from './engine-fixture.js';

const DAY = 86_400_000;

describe('the pf-jira plugin in a running hub', () => {
  let f: EngineFixture;
  before(async () => {
    f = await engineFixture();
  });
  after(async () => {
    await f.close();
  });

  const runTask = async (task: string) => {
    const job = await f.hub.ctx.queue.addJob(task, {}, {});
    await eventually(() => !f.hub.ctx.db.sqlite.prepare('SELECT 1 FROM jobs WHERE id = ?').get(job.id), `${task} to finish`);
  };

  test('schema drift disables a rule at nightly validation, with reasons and an alert', async () => {
    const alerts: string[] = [];
    const stop = f.hub.ctx.events.on('alert.raised', (a) => alerts.push(a.title));
    f.jira.sim.setFieldRequired({ project: 'HR', issueTypeId: 'Offboarding', fieldId: 'duedate', required: true });
    await runTask(VALIDATE_ALL_TASK);
    stop();
    const offboarding = f.rules.list().find((r) => r.name === 'Terminations → HR offboarding');
    assert.equal(offboarding?.enabled, false);
    assert.equal(offboarding?.validationStatus, 'invalid');
    assert.match(offboarding?.validationErrors.join(' ') ?? '', /Due date/);
    assert.ok(alerts.some((t) => t.includes('Terminations → HR offboarding')));
    const onboarding = f.rules.list().find((r) => r.name === 'New hires → IT onboarding');
    assert.equal(onboarding?.validationStatus, 'valid');
    assert.equal(onboarding?.enabled, true);
  });

  test('refuses an unsigned webhook without storing or queueing anything', async () => {
    const before = f.events.list({ limit: 1000 }).length;
    const res = await fetch(`${f.hubUrl}/hooks/pf-jira/peopleforce`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action: 'employee_create', data: { id: 1 } }) });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'signature_missing');
    assert.equal(f.events.list({ limit: 1000 }).length, before);
  });

  test('refuses a replayed delivery with 409 naming the first event', async () => {
    const body = { action: 'employee_update', data: { id: 133705, attributes: { first_name: 'Replay', last_name: 'Case', email: 'replay@example.com' }, meta: { created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-02T00:00:00Z' } } };
    assert.equal((await f.webhook(body)).status, 202);
    const again = await f.webhook(body);
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'replayed');
  });

  test('the connections page tests both connections against the simulators', async () => {
    const admin = await f.hub.signIn('admin');
    const page = await (await admin.get('/admin/pf-jira/connections')).text();
    assert.match(page, /\/hooks\/pf-jira\/peopleforce/);
    const jira = await admin.request('POST', '/admin/pf-jira/connections/jira/test', { headers: { 'HX-Request': 'true', 'X-CSRF-Token': admin.csrfToken } });
    assert.match(await jira.text(), /Connected to Jira as Demo Admin/);
    const pf = await admin.request('POST', '/admin/pf-jira/connections/peopleforce/test', { headers: { 'HX-Request': 'true', 'X-CSRF-Token': admin.csrfToken } });
    assert.match(await pf.text(), /Connected to PeopleForce: \d+ employees/);
  });

  test('a bad site URL on the connections form is refused beside the field and nothing is saved', async () => {
    const admin = await f.hub.signIn('admin');
    const before = f.hub.ctx.domainConfig.get('pf-jira').settings.jiraSiteUrl;
    const res = await admin.post('/admin/pf-jira/connections/jira', { jiraSiteUrl: 'not a url', jiraEmail: 'x@example.com', jiraApiToken: '' });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /Enter an http\(s\) URL/);
    assert.equal(f.hub.ctx.domainConfig.get('pf-jira').settings.jiraSiteUrl, before);
  });

  test('a viewer sees the events and rules pages but cannot replay', async () => {
    const viewer = await f.hub.signIn('viewer');
    const employee = f.pf.sim.hire({ first_name: 'Vera', last_name: 'Viewer', email: 'vera.viewer@example.com', department: 'IT', position: 'Support', employment_type: 'Full-Time', hired_on: new Date(f.hub.clock.now() + 7 * DAY).toISOString().slice(0, 10) });
    const event = await eventually(() => f.events.list({ entityId: String(employee.id), limit: 5 })[0], 'the event');
    const events = await (await viewer.get('/admin/pf-jira/events')).text();
    assert.match(events, /Vera Viewer/);
    const detail = await (await viewer.get(`/admin/pf-jira/events/${event.id}`)).text();
    assert.doesNotMatch(detail, /Replay against the current rules/);
    assert.equal((await viewer.post(`/admin/pf-jira/events/${event.id}/replay`)).status, 403);
    assert.match(await (await viewer.get('/admin/pf-jira/rules')).text(), /New hires → IT onboarding/);
  });

  test('an operator replays an event as a new event against the current rules', async () => {
    const operator = await f.hub.signIn('operator');
    const original = f.events.list({ limit: 1 })[0];
    assert.ok(original);
    const res = await operator.post(`/admin/pf-jira/events/${original.id}/replay`);
    assert.equal(res.status, 303);
    const copy = f.events.list({ limit: 1 })[0];
    assert.equal(copy?.source, 'replay');
    assert.equal(copy?.entityId, original.entityId);
  });

  test('the reverse sweep re-links an issue whose link the database lost', async () => {
    const employee = f.pf.sim.hire({ first_name: 'Sweep', last_name: 'Case', email: 'sweep.case@example.com', department: 'IT', position: 'Support', employment_type: 'Full-Time', hired_on: new Date(f.hub.clock.now() + 7 * DAY).toISOString().slice(0, 10) });
    const issue = await eventually(() => f.issuesOf(employee.id)[0], 'the issue');
    const link = await eventually(() => f.links.byIssueKey(issue.key), 'the link');
    f.links.remove(link.id);
    await runTask(SWEEP_TASK);
    assert.equal(f.links.byIssueKey(issue.key)?.state, 'linked');
    const viewer = await f.hub.signIn('viewer');
    assert.match(await (await viewer.get('/admin/pf-jira/events')).text(), /Last reverse sweep .*re-linked/s);
  });
});
