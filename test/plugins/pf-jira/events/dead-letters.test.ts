import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { transactionRunner } from '../../../../src/db/transaction.js';
import { AppError } from '../../../../src/errors.js';
import { systemActor, type Actor } from '../../../../src/platform/actor.js';
import { createDeadLetters, type DeadLetters } from '../../../../src/plugins/pf-jira/events/dead-letters.js';
import { syncJobSpec } from '../../../../src/plugins/pf-jira/sync/route-task.js';
import { pfRoutes } from '../../../../src/plugins/pf-jira/web/pf-routes.js';
import { engineFixture, eventually, type EngineFixture } from '../engine-fixture.js';

const operator: Actor = { userId: 2, email: 'ops@example.com', role: 'operator', ip: null, requestId: 'req-ops' };
const viewer: Actor = { userId: 3, email: 'view@example.com', role: 'viewer', ip: null, requestId: 'req-view' };

const DAY = 86_400_000;

describe('dead letters', () => {
  let f: EngineFixture;
  let dead: DeadLetters;
  let onboardingId: number;

  const hire = (department: string, lastName = `Tester${Math.floor(Math.random() * 1e6)}`) =>
    f.pf.sim.hire({
      first_name: 'Noor',
      last_name: lastName,
      email: `noor.${Math.floor(Math.random() * 1e9)}@example.com`,
      department,
      position: 'Counsel',
      employment_type: 'Full-Time',
      hired_on: new Date(f.hub.clock.now() + 14 * DAY).toISOString().slice(0, 10),
    });

  const deadEventOf = (employeeId: number) =>
    eventually(() => f.events.list({ entityId: String(employeeId), limit: 20 }).find((e) => e.status === 'dead'), 'the dead event', 15_000, () => f.advance(60_000));

  const mapDepartment = (mapping: { sourceType: 'STATIC' | 'PF_PAYLOAD'; value: string }) => {
    const rule = f.rules.get(onboardingId);
    const mappings = rule.mappings.map((m) => (m.fieldId === 'customfield_10030' ? { ...m, ...mapping } : m));
    f.rules.update(onboardingId, { ...rule, mappings }, systemActor, rule.version);
  };

  before(async () => {
    f = await engineFixture();
    onboardingId = f.rules.list().find((r) => r.name === 'New hires → IT onboarding')!.id;
    dead = createDeadLetters({
      repo: f.events,
      rules: f.rules,
      queue: f.hub.ctx.queue,
      audit: f.hub.ctx.audit,
      tx: transactionRunner(f.hub.ctx.db),
      clock: f.hub.clock,
      adviceLinks: { ruleEdit: pfRoutes.ruleEdit, fallbackSettings: '/admin/settings#domain-pf-jira', connections: pfRoutes.connections },
      syncMaxAttempts: 12,
    });
  });
  after(async () => {
    await f.close();
  });

  test('a department Jira has no option for dies with the problem in words and a fix that links the rule', async () => {
    const employee = hire('Legal');
    const event = await deadEventOf(employee.id);
    assert.ok(event.problems?.some((p) => p.fieldId === 'customfield_10030' && /“Legal” is not one of the allowed values for Department/.test(p.message)), JSON.stringify(event.problems));

    const { deliveries, matching } = dead.list({ person: employee.full_name ?? `${employee.first_name} ${employee.last_name}` });
    assert.equal(matching.deliveries, 1);
    const [delivery] = deliveries;
    assert.ok(delivery);
    assert.equal(delivery.entityId, String(employee.id));
    assert.equal(delivery.rule?.name, 'New hires → IT onboarding');
    assert.equal(delivery.rule?.version, f.rules.get(onboardingId).version);
    assert.equal(delivery.decision?.projectKey, 'IT');
    assert.ok(delivery.attempts && delivery.attempts.made >= 1, 'the dead sync job is kept and its attempts shown');
    const advice = delivery.advice.problems.find((p) => p.fieldId === 'customfield_10030');
    assert.equal(advice?.fix, '“Legal” no longer exists in Department; edit the mapping.');
    assert.equal(advice?.link?.href, pfRoutes.ruleEdit(onboardingId));
  });

  test('after the mapping is fixed, a retry syncs the delivery into exactly one issue', async () => {
    const employee = hire('Legal');
    const event = await deadEventOf(employee.id);
    const jobKey = syncJobSpec(`employee:${employee.id}`, event.scope!, 12).jobKey;
    assert.equal(f.hub.ctx.queue.jobByKey(jobKey)?.state, 'dead');

    mapDepartment({ sourceType: 'STATIC', value: 'Operations' });
    try {
      const result = dead.retry(operator, [event.id]);
      assert.deepEqual(result, { deliveries: 1, events: 1 });
      const synced = await eventually(() => (f.events.get(event.id)?.status === 'synced' ? f.events.get(event.id) : undefined), 'the retried event to sync', 15_000, () => f.advance(1_000));
      assert.equal(synced.problems, null);
      const issues = f.issuesOf(employee.id);
      assert.equal(issues.length, 1);
      assert.equal(synced.issueKey, issues[0]?.key);
      assert.equal((issues[0]?.fields.customfield_10030 as { value: string }).value, 'Operations');
      assert.equal(f.hub.ctx.queue.jobByKey(jobKey), undefined, 'the one sync job finished and is gone');
    } finally {
      mapDepartment({ sourceType: 'PF_PAYLOAD', value: '$.department.name' });
    }
  });

  test('discarding keeps the events as discarded, removes the dead job and leaves other deliveries alone', async () => {
    const [a, b] = [hire('Legal'), hire('Legal')];
    const [ea, eb] = [await deadEventOf(a.id), await deadEventOf(b.id)];
    const result = dead.discard(operator, [ea.id]);
    assert.deepEqual(result, { deliveries: 1, events: 1 });
    assert.equal(f.events.get(ea.id)?.status, 'discarded');
    assert.equal(f.events.get(eb.id)?.status, 'dead');
    assert.equal(f.hub.ctx.queue.jobByKey(syncJobSpec(`employee:${a.id}`, ea.scope!, 12).jobKey), undefined);
    assert.equal(f.hub.ctx.queue.jobByKey(syncJobSpec(`employee:${b.id}`, eb.scope!, 12).jobKey)?.state, 'dead');
    assert.deepEqual(dead.discard(operator, [ea.id]), { deliveries: 0, events: 0 }, 'a second discard changes nothing');
    const entry = f.hub.ctx.db.sqlite.prepare("SELECT actor_email AS who, after FROM audit_log WHERE action = 'pf-jira.dead_letter.discard' ORDER BY id").get() as { who: string; after: string };
    assert.equal(entry.who, 'ops@example.com');
    assert.deepEqual(JSON.parse(entry.after), { by: 'selection', deliveries: 1, events: 1 });
  });

  test('bulk actions by filter count what matched and what changed', async () => {
    const surname = `Bulk${Math.floor(Math.random() * 1e6)}`;
    const people = [hire('Legal', surname), hire('Legal', surname), hire('Legal', surname)];
    for (const p of people) await deadEventOf(p.id);
    assert.deepEqual(dead.count({ person: surname }), { deliveries: 3, events: 3 });
    assert.deepEqual(dead.count({ person: surname, error: 'not one of the allowed values' }), { deliveries: 3, events: 3 });
    assert.deepEqual(dead.count({ person: surname, projectKey: 'HR' }), { deliveries: 0, events: 0 });
    assert.deepEqual(dead.count({ person: surname, ruleId: onboardingId }), { deliveries: 3, events: 3 });

    assert.deepEqual(dead.discardMatching(operator, { person: surname }), { deliveries: 3, events: 3 });
    assert.deepEqual(dead.count({ person: surname }), { deliveries: 0, events: 0 });
    assert.ok(dead.count().deliveries >= 1, 'deliveries outside the filter are still dead');
  });

  test('retry by filter queues every matching delivery again', async () => {
    const surname = `Again${Math.floor(Math.random() * 1e6)}`;
    const people = [hire('Legal', surname), hire('Legal', surname)];
    for (const p of people) await deadEventOf(p.id);
    mapDepartment({ sourceType: 'STATIC', value: 'Operations' });
    try {
      assert.deepEqual(dead.retryMatching(operator, { person: surname }), { deliveries: 2, events: 2 });
      for (const p of people) await eventually(() => f.issuesOf(p.id).length === 1, 'an issue for each retried person', 15_000, () => f.advance(1_000));
    } finally {
      mapDepartment({ sourceType: 'PF_PAYLOAD', value: '$.department.name' });
    }
  });

  test('viewers may look but not retry or discard, and an empty selection is refused', async () => {
    assert.throws(() => dead.retry(viewer, [1]), (err: unknown) => err instanceof AppError && err.status === 403);
    assert.throws(() => dead.discardMatching(viewer, {}), (err: unknown) => err instanceof AppError && err.status === 403);
    assert.throws(() => dead.retry(operator, []), (err: unknown) => err instanceof AppError && err.status === 422);
    assert.ok(dead.list({}).matching.deliveries >= 0);
  });
});
