import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engineFixture, eventually, type EngineFixture } from '../engine-fixture.js';

const DAY = 86_400_000;
const inDays = (f: EngineFixture, n: number) => new Date(f.hub.clock.now() + n * DAY).toISOString().slice(0, 10);

const hire = (f: EngineFixture, overrides: Record<string, unknown> = {}) =>
  f.pf.sim.hire({
    first_name: 'Mila',
    last_name: `Tester${Math.floor(Math.random() * 1e6)}`,
    email: `mila.${Math.floor(Math.random() * 1e9)}@example.com`,
    department: 'Engineering',
    position: 'Backend Engineer',
    employment_type: 'Full-Time',
    hired_on: inDays(f, 14),
    ...overrides,
  });

const eventFor = (f: EngineFixture, employeeId: number, type: string, status: string) =>
  f.events.list({ entityId: String(employeeId), type, limit: 50 }).find((e) => e.status === status);

describe('issue sync through the simulators', () => {
  let f: EngineFixture;
  before(async () => {
    f = await engineFixture();
  });
  after(async () => {
    await f.close();
  });

  test('a new hire becomes one IT onboarding issue with mapped fields, labels and the sync property', async () => {
    const employee = hire(f);
    const [issue] = await eventually(() => (f.issuesOf(employee.id).length ? f.issuesOf(employee.id) : undefined), 'the onboarding issue');
    assert.ok(issue);
    assert.equal(issue.project, 'IT');
    assert.equal(issue.issuetype.name, 'Onboarding');
    assert.match(String(issue.fields.summary), /^Onboard Mila Tester\d+ \(Backend Engineer\)$/);
    assert.equal((issue.fields.customfield_10030 as { value: string }).value, 'Engineering');
    assert.equal(issue.fields.customfield_10031, employee.hired_on);
    assert.deepEqual([...issue.labels].sort(), ['onboarding', `pf-employee-${employee.id}`, 'switchyard'].sort());
    const property = issue.properties['switchyard.sync'] as { entityKey: string; scope: string };
    assert.equal(property.entityKey, `employee:${employee.id}`);
    assert.match(property.scope, /^rule:\d+$/);
    const event = await eventually(() => eventFor(f, employee.id, 'employee_create', 'synced'), 'the synced event');
    assert.equal(event.issueKey, issue.key);
    assert.match(event.decision?.reason ?? '', /New hires → IT onboarding/);
  });

  test('a later change updates the same issue instead of creating another', async () => {
    const employee = hire(f);
    await eventually(() => f.issuesOf(employee.id).length === 1, 'the first issue');
    f.pf.sim.update(employee.id, { position: 'Staff Engineer' });
    await eventually(() => eventFor(f, employee.id, 'employee_update', 'synced'), 'the update to sync');
    const issues = f.issuesOf(employee.id);
    assert.equal(issues.length, 1);
    assert.match(String(issues[0]?.fields.summary), /\(Staff Engineer\)$/);
  });

  test('a contractor is dropped by the DROP rule, with the rule named in the reason', async () => {
    const employee = hire(f, { employment_type: 'Contractor' });
    const event = await eventually(() => eventFor(f, employee.id, 'employee_create', 'dropped'), 'the dropped event');
    assert.match(event.decision?.reason ?? '', /Contractors are not onboarded/);
    assert.equal(event.decision?.via, 'rule');
    assert.equal(f.issuesOf(employee.id).length, 0);
  });

  test('an event no rule matches lands in the fallback project', async () => {
    const employee = hire(f, { hired_on: inDays(f, -10) });
    await eventually(() => f.issuesOf(employee.id).length === 1, 'the onboarding issue');
    f.pf.sim.terminate(employee.id, { on: inDays(f, 0), comment: 'Changed their mind' });
    await eventually(() => f.issuesOf(employee.id).some((i) => i.project === 'HR'), 'the offboarding issue');
    f.pf.sim.revertTermination(employee.id);
    const event = await eventually(() => eventFor(f, employee.id, 'employee_termination_revert', 'synced'), 'the revert to reach the fallback');
    assert.equal(event.decision?.via, 'fallback');
    const fallback = f.issuesOf(employee.id).find((i) => i.project === 'OPS');
    assert.ok(fallback, 'an OPS issue');
    assert.match(String(fallback.fields.summary), /termination reverted/);
  });

  test('a termination opens an HR offboarding issue at High priority with the last working day', async () => {
    const employee = hire(f, { hired_on: inDays(f, -400) });
    f.pf.sim.terminate(employee.id, { on: inDays(f, 0), comment: 'Moving abroad' });
    const issue = await eventually(() => f.issuesOf(employee.id).find((i) => i.project === 'HR'), 'the offboarding issue');
    assert.equal(issue.issuetype.name, 'Offboarding');
    assert.equal((issue.fields.priority as { name: string }).name, 'High');
    assert.match(String(issue.fields.customfield_10035), new RegExp(`^${inDays(f, 0)}T`));
  });

  test('a linked issue deleted in Jira is created again on the next change (ghost record)', async () => {
    const employee = hire(f);
    const first = await eventually(() => f.issuesOf(employee.id)[0], 'the first issue');
    f.jira.sim.deleteIssue(first.key);
    f.pf.sim.update(employee.id, { position: 'Data Engineer' });
    const second = await eventually(() => f.issuesOf(employee.id)[0], 'the recreated issue');
    assert.notEqual(second.key, first.key);
    // Jira holds the new issue a moment before the engine commits its link.
    await eventually(() => f.links.byIssueKey(second.key)?.state === 'linked', 'the new link');
    assert.equal(f.links.byIssueKey(first.key), undefined, 'the stale link is purged');
  });

  test('the 400 trap: an option Jira re-created with a new id is picked up after refreshing create metadata', async () => {
    const warm = hire(f, { department: 'Sales' });
    await eventually(() => f.issuesOf(warm.id).length === 1, 'a first Sales issue, which caches the create screen');
    f.jira.sim.removeOption({ fieldId: 'customfield_10030', value: 'Sales' });
    const recreated = f.jira.sim.addOption({ fieldId: 'customfield_10030', value: 'Sales' });
    const employee = hire(f, { department: 'Sales' });
    const issue = await eventually(() => f.issuesOf(employee.id)[0], 'the issue after the retry');
    assert.equal((issue.fields.customfield_10030 as { id: string }).id, recreated.id);
    assert.notEqual(recreated.id, (f.issuesOf(warm.id)[0]?.fields.customfield_10030 as { id: string }).id, 'the option really has a new id');
  });

  test('a second 400 with fresh metadata makes the delivery dead with the per-field reason', async () => {
    f.jira.sim.addFieldToScreen({ project: 'IT', issueTypeId: 'Onboarding', name: 'Badge number', type: 'textfield', required: true });
    const employee = hire(f);
    const event = await eventually(() => eventFor(f, employee.id, 'employee_create', 'dead'), 'the dead event', 15_000, () => f.advance(60_000));
    assert.match(event.error ?? '', /Badge number/);
    assert.equal(f.issuesOf(employee.id).length, 0);
  });
});

describe('issue sync under faults', () => {
  let f: EngineFixture;
  before(async () => {
    f = await engineFixture({ indexDelayMs: 30_000, settings: { jiraTimeoutSeconds: 1, searchIndexGraceSeconds: 60 } });
  });
  after(async () => {
    await f.close();
  });

  test('waits out a 429 Retry-After and then creates the issue once', async () => {
    f.jira.sim.faults.add({ kind: 'status', status: 429, retryAfterSeconds: 1, count: 1, match: '^POST /rest/api/3/issue$' });
    const started = performance.now();
    const employee = hire(f);
    await eventually(() => f.issuesOf(employee.id).length === 1, 'the issue after the rate limit');
    assert.ok(performance.now() - started >= 1000, 'the retry came after Retry-After');
    assert.equal(f.jira.sim.faults.list().length, 0, 'the 429 was served');
  });

  test('an answer lost after Jira created the issue does not produce a duplicate', async () => {
    // Jira makes the issue, then the answer never arrives in time: the engine cannot know whether it exists.
    f.jira.sim.faults.add({ kind: 'slow_after', delayMs: 1500, count: 1, match: '^POST /rest/api/3/issue$' });
    const employee = hire(f);
    await eventually(() => f.issuesOf(employee.id).length === 1, 'Jira to hold the issue');
    const link = await eventually(() => f.links.forEntity(`employee:${employee.id}`).find((l) => l.state === 'pending'), 'the unfinished intent');
    assert.equal(link.issueKey, null);
    // Jira's search has not indexed it yet, so the engine must wait rather than create again.
    await eventually(() => eventFor(f, employee.id, 'employee_create', 'failed'), 'the timed-out attempt to be recorded');
    f.advance(10_000);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(f.issuesOf(employee.id).length, 1, 'no second create while the index lags');
    const synced = await eventually(() => eventFor(f, employee.id, 'employee_create', 'synced'), 'the intent to be resolved', 15_000, () => f.advance(5_000));
    assert.equal(f.issuesOf(employee.id).length, 1);
    assert.equal(synced.issueKey, f.issuesOf(employee.id)[0]?.key);
    assert.equal(f.links.get(`employee:${employee.id}`, link.scope)?.state, 'linked');
  });

  test('Jira refusing the credentials marks the connection failing, and a later success clears it', async () => {
    f.jira.sim.faults.add({ kind: 'status', status: 401, count: 1, match: '^POST /rest/api/3/issue$' });
    const jiraState = () => JSON.parse((f.hub.ctx.db.sqlite.prepare("SELECT value FROM pfj_state WHERE key = 'connection.jira'").get() as { value: string }).value) as { state: string };
    const employee = hire(f);
    await eventually(() => jiraState().state === 'failing', 'the connection to be marked failing');
    await eventually(() => f.issuesOf(employee.id).length === 1, 'the retry to succeed', 15_000, () => f.advance(5 * 60_000));
    assert.equal(jiraState().state, 'ok');
  });
});
