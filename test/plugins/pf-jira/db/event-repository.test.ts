import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { DbHandle } from '../../../../src/db/connection.js';
import { createEventRepository, type EventRepository, type EventStatus } from '../../../../src/plugins/pf-jira/db/event-repository.js';
import { pluginDb } from '../../../../src/plugins/pf-jira/db/plugin-db.js';
import type { EventEnvelope } from '../../../../src/plugins/pf-jira/events/envelope.js';
import type { Decision } from '../../../../src/plugins/pf-jira/rules/rule-types.js';
import { migratedDb } from '../../../helpers/db.js';

let handle: DbHandle;
let events: EventRepository;

beforeEach(() => {
  handle = migratedDb();
  events = createEventRepository(pluginDb(handle));
});

afterEach(() => handle.close());

const T0 = Date.UTC(2026, 2, 1);

const envelope = (overrides: Partial<EventEnvelope> = {}): EventEnvelope => ({
  source: 'webhook',
  type: 'employee_create',
  entityType: 'employee',
  entityId: '42',
  occurredAt: T0,
  payload: { id: 42, first_name: 'Ada' },
  ...overrides,
});

let dedupe = 0;
/** Stores an event and returns its id. */
const add = (overrides: Partial<EventEnvelope> = {}, now = T0): number => {
  const stored = events.insert(envelope(overrides), { dedupeKey: `k-${++dedupe}`, correlationId: null, now });
  assert.ok(stored);
  return stored.id;
};

const decision = (overrides: Partial<Decision> = {}): Decision => ({
  action: 'SYNC',
  via: 'rule',
  ruleId: 7,
  ruleVersion: 3,
  ruleName: 'Onboarding',
  projectKey: 'OPS',
  issueTypeId: '10001',
  issueTypeName: 'Task',
  reason: 'matched rule 7',
  ...overrides,
});

const statusOf = (id: number): EventStatus | undefined => events.get(id)?.status;

test('stores an event as received with its envelope, times and correlation id', () => {
  const stored = events.insert(envelope(), { dedupeKey: 'hash-1', correlationId: 'req-9', now: T0 + 5 });
  assert.deepEqual(stored, {
    id: stored?.id,
    source: 'webhook',
    type: 'employee_create',
    entityType: 'employee',
    entityId: '42',
    occurredAt: T0,
    payload: { id: 42, first_name: 'Ada' },
    receivedAt: T0 + 5,
    status: 'received',
    decision: null,
    scope: null,
    issueKey: null,
    error: null,
    problems: null,
    correlationId: 'req-9',
    updatedAt: T0 + 5,
  });
  assert.deepEqual(events.get(stored!.id), stored);
});

test('refuses a second event with the same dedupe key, returning undefined', () => {
  assert.ok(events.insert(envelope(), { dedupeKey: 'hash-1', correlationId: null, now: T0 }));
  assert.equal(events.insert(envelope({ type: 'employee_update' }), { dedupeKey: 'hash-1', correlationId: null, now: T0 }), undefined);
  assert.equal(events.list().length, 1);
});

test('stores any number of events without a dedupe key', () => {
  assert.ok(events.insert(envelope(), { dedupeKey: null, correlationId: null, now: T0 }));
  assert.ok(events.insert(envelope(), { dedupeKey: null, correlationId: null, now: T0 }));
  assert.equal(events.list().length, 2);
});

test('finds the id stored under a dedupe key', () => {
  const stored = events.insert(envelope(), { dedupeKey: 'hash-1', correlationId: null, now: T0 });
  assert.equal(events.idByDedupeKey('hash-1'), stored?.id);
  assert.equal(events.idByDedupeKey('hash-2'), undefined);
});

test('lists events awaiting routing for one entity, oldest occurrence first', () => {
  const late = add({ occurredAt: T0 + 2000 });
  const early = add({ occurredAt: T0 + 1000 });
  const sameTimeLater = add({ occurredAt: T0 + 2000 });
  add({ entityId: '43' });
  add({ entityType: 'leave_request' });
  const routed = add();
  events.recordDecision(routed, decision(), 'routed', 'rule:7', T0);
  assert.deepEqual(events.awaitingRouting('employee', '42').map((e) => e.id), [early, late, sameTimeLater]);
});

test('records a decision with its status, scope and rule, clearing a previous error', () => {
  const id = add();
  events.setOutcome([id], { status: 'failed', error: 'boom' }, T0);
  assert.equal(events.recordDecision(id, decision(), 'routed', 'rule:7', T0 + 10), 1);
  const e = events.get(id);
  assert.deepEqual([e?.status, e?.scope, e?.error, e?.updatedAt], ['routed', 'rule:7', null, T0 + 10]);
  assert.deepEqual(e?.decision, decision());
  assert.deepEqual(events.list({ ruleId: 7 }).map((x) => x.id), [id]);
  assert.equal(events.recordDecision(9999, decision(), 'dropped', null, T0), 0);
});

test('lists events awaiting sync for one scope, including failed ones, oldest first', () => {
  const a = add({ occurredAt: T0 + 300 });
  const b = add({ occurredAt: T0 + 100 });
  const synced = add();
  const otherScope = add();
  const dropped = add();
  const notYetRouted = add();
  for (const id of [a, b, synced]) events.recordDecision(id, decision(), 'routed', 'rule:7', T0);
  events.recordDecision(otherScope, decision(), 'routed', 'fallback', T0);
  events.recordDecision(dropped, decision({ action: 'DROP' }), 'dropped', 'rule:7', T0);
  events.setOutcome([a], { status: 'failed', error: 'timeout' }, T0);
  events.setOutcome([synced], { status: 'synced', issueKey: 'OPS-1' }, T0);
  assert.deepEqual(events.awaitingSync('employee', '42', 'rule:7').map((e) => e.id), [b, a]);
  assert.deepEqual(events.awaitingSync('employee', '42', 'fallback').map((e) => e.id), [otherScope]);
  assert.equal(statusOf(notYetRouted), 'received');
});

test('sets an outcome only on the ids given, leaving unnamed fields alone', () => {
  const [a, b, c] = [add(), add(), add()];
  events.setOutcome([a, b, c], { status: 'failed', issueKey: 'OPS-9', error: 'boom' }, T0);
  assert.equal(events.setOutcome([a, b], { status: 'synced', issueKey: 'OPS-1' }, T0 + 50), 2);
  assert.deepEqual(
    [a, b, c].map((id) => {
      const e = events.get(id)!;
      return [e.status, e.issueKey, e.error, e.updatedAt];
    }),
    [
      ['synced', 'OPS-1', 'boom', T0 + 50],
      ['synced', 'OPS-1', 'boom', T0 + 50],
      ['failed', 'OPS-9', 'boom', T0],
    ],
  );
  events.setOutcome([a], { status: 'synced', error: null }, T0);
  assert.equal(events.get(a)?.error, null);
});

test('sets no outcome for an empty id list', () => {
  const id = add();
  assert.equal(events.setOutcome([], { status: 'dead' }, T0), 0);
  assert.equal(statusOf(id), 'received');
});

test('puts replayed events back to received without scope or error', () => {
  const [a, b] = [add(), add()];
  for (const id of [a, b]) events.recordDecision(id, decision(), 'routed', 'rule:7', T0);
  events.setOutcome([a, b], { status: 'dead', error: 'gave up' }, T0);
  assert.equal(events.resetForReplay([a], T0 + 99), 1);
  const e = events.get(a)!;
  assert.deepEqual([e.status, e.scope, e.error, e.updatedAt], ['received', null, null, T0 + 99]);
  assert.equal(statusOf(b), 'dead');
  assert.equal(events.resetForReplay([], T0), 0);
});

test('keeps per-field problems with an outcome and clears them on a new decision or a replay', () => {
  const id = add();
  events.recordDecision(id, decision(), 'routed', 'rule:7', T0);
  const problems = [{ fieldId: 'customfield_1', fieldName: 'Department', message: '“Legal” is not one of the allowed values for Department.' }];
  events.setOutcome([id], { status: 'dead', error: 'refused', problems }, T0);
  assert.deepEqual(events.get(id)?.problems, problems);
  events.setOutcome([id], { status: 'dead', error: 'refused', problems: [] }, T0);
  assert.equal(events.get(id)?.problems, null, 'an empty list is stored as none');
  events.setOutcome([id], { status: 'dead', problems }, T0);
  events.recordDecision(id, decision(), 'routed', 'rule:7', T0);
  assert.equal(events.get(id)?.problems, null);
  events.setOutcome([id], { status: 'dead', problems }, T0);
  events.resetForReplay([id], T0);
  assert.equal(events.get(id)?.problems, null);
});

test('groups dead events into deliveries per person and scope, newest death first, with counts', () => {
  const [a1, a2, b, c] = [add({ entityId: '1' }), add({ entityId: '1' }), add({ entityId: '2' }), add({ entityId: '3' })];
  for (const id of [a1, a2, b]) events.recordDecision(id, decision(), 'routed', 'rule:7', T0);
  events.recordDecision(c, decision({ ruleId: 9, projectKey: 'HR' }), 'routed', 'rule:9', T0);
  events.setOutcome([a1, a2], { status: 'dead', error: 'Department refused' }, T0 + 1);
  events.setOutcome([b], { status: 'dead', error: 'Jira timed out' }, T0 + 3);
  events.setOutcome([c], { status: 'dead', error: 'Department refused' }, T0 + 2);
  assert.deepEqual(
    events.deadDeliveries({}, 10, 0).map((d) => [d.entityId, d.scope, d.events, d.diedAt]),
    [['2', 'rule:7', 1, T0 + 3], ['3', 'rule:9', 1, T0 + 2], ['1', 'rule:7', 2, T0 + 1]],
  );
  assert.deepEqual(events.countDead({}), { deliveries: 3, events: 4 });
  assert.deepEqual(events.countDead({ error: 'department' }), { deliveries: 2, events: 3 });
  assert.deepEqual(events.countDead({ ruleId: 9 }), { deliveries: 1, events: 1 });
  assert.deepEqual(events.countDead({ projectKey: 'HR' }), { deliveries: 1, events: 1 });
  assert.deepEqual(events.countDead({ person: '1' }), { deliveries: 1, events: 2 });
  assert.deepEqual(events.deadDeliveries({}, 1, 1).map((d) => d.entityId), ['3']);
  assert.deepEqual(events.deadOfDelivery('employee', '1', 'rule:7').map((e) => e.id), [a1, a2]);
});

test('finds people by PeopleForce id, or part of their name or email, case-insensitively', () => {
  const ada = add({ entityId: '42', payload: { full_name: 'Ada Lovelace', email: 'ada@example.com' } });
  const bob = add({ entityId: '7', payload: { full_name: 'Bob 100%_Sure', email: 'bob@corp.example' } });
  assert.deepEqual(events.list({ person: 'lovelace' }).map((e) => e.id), [ada]);
  assert.deepEqual(events.list({ person: 'CORP.example' }).map((e) => e.id), [bob]);
  assert.deepEqual(events.list({ person: '42' }).map((e) => e.id), [ada]);
  assert.deepEqual(events.list({ person: '100%_' }).map((e) => e.id), [bob], 'LIKE wildcards in the search are taken literally');
  assert.deepEqual(events.list({ person: '%' }).map((e) => e.id), [bob]);
});

test('revives or discards only events that are still dead', () => {
  const [dead, synced] = [add(), add()];
  events.setOutcome([dead], { status: 'dead', error: 'gave up', problems: [{ fieldId: 'x', fieldName: 'X', message: 'no' }] }, T0);
  events.setOutcome([synced], { status: 'synced' }, T0);
  assert.equal(events.reviveDead([dead, synced], T0 + 1), 1);
  const revived = events.get(dead)!;
  assert.deepEqual([revived.status, revived.error, revived.problems, revived.updatedAt], ['routed', null, null, T0 + 1]);
  assert.equal(statusOf(synced), 'synced');
  events.setOutcome([dead], { status: 'dead' }, T0);
  assert.equal(events.discardDead([dead, synced], T0 + 2), 1);
  assert.equal(statusOf(dead), 'discarded');
  assert.equal(events.discardDead([dead], T0 + 3), 0);
  assert.equal(events.reviveDead([], T0), 0);
});

test('names the newest synced event of a scope', () => {
  const [old, newer] = [add({ occurredAt: T0 }), add({ occurredAt: T0 + 5 })];
  for (const id of [old, newer]) events.recordDecision(id, decision(), 'routed', 'rule:7', T0);
  assert.equal(events.lastSynced('employee', '42', 'rule:7'), undefined);
  events.setOutcome([old, newer], { status: 'synced', issueKey: 'OPS-1' }, T0);
  assert.equal(events.lastSynced('employee', '42', 'rule:7')?.id, newer);
});

test('returns recent payloads newest first, limited, filtered by type', () => {
  add({ type: 'employee_create', payload: { n: 1 } }, T0 + 1);
  add({ type: 'employee_update', payload: { n: 2 } }, T0 + 2);
  add({ type: 'employee_create', payload: { n: 3 } }, T0 + 3);
  add({ type: 'leave_request_approve', payload: { n: 4 } }, T0 + 3);
  assert.deepEqual(events.recentPayloads([], 10), [{ n: 4 }, { n: 3 }, { n: 2 }, { n: 1 }]);
  assert.deepEqual(events.recentPayloads([], 2), [{ n: 4 }, { n: 3 }]);
  assert.deepEqual(events.recentPayloads(['employee_create'], 10), [{ n: 3 }, { n: 1 }]);
  assert.deepEqual(events.recentPayloads(['employee_create', 'employee_update'], 2), [{ n: 3 }, { n: 2 }]);
  assert.deepEqual(events.recentPayloads(['unknown'], 10), []);
});

test('lists events newest first, filtered by status, type, entity and rule', () => {
  const a = add({ type: 'employee_create' });
  const b = add({ type: 'employee_update', entityId: '43' });
  const c = add({ type: 'employee_update' });
  events.recordDecision(c, decision({ ruleId: 8 }), 'routed', 'rule:8', T0);
  assert.deepEqual(events.list().map((e) => e.id), [c, b, a]);
  assert.deepEqual(events.list({ status: 'received' }).map((e) => e.id), [b, a]);
  assert.deepEqual(events.list({ type: 'employee_update' }).map((e) => e.id), [c, b]);
  assert.deepEqual(events.list({ entityId: '42' }).map((e) => e.id), [c, a]);
  assert.deepEqual(events.list({ ruleId: 8 }).map((e) => e.id), [c]);
  assert.deepEqual(events.list({ type: 'employee_update', status: 'routed' }).map((e) => e.id), [c]);
});

test('pages through the list with beforeId and limit', () => {
  const ids = Array.from({ length: 5 }, () => add());
  const first = events.list({ limit: 2 });
  assert.deepEqual(first.map((e) => e.id), [ids[4], ids[3]]);
  const second = events.list({ limit: 2, beforeId: first.at(-1)!.id });
  assert.deepEqual(second.map((e) => e.id), [ids[2], ids[1]]);
  const third = events.list({ limit: 2, beforeId: second.at(-1)!.id });
  assert.deepEqual(third.map((e) => e.id), [ids[0]]);
});

test('limits the list to 50 events by default', () => {
  for (let i = 0; i < 55; i++) add();
  assert.equal(events.list().length, 50);
});

test('counts events by status, with zero for statuses not seen', () => {
  const [a, b] = [add(), add(), add()];
  events.setOutcome([a!], { status: 'synced' }, T0);
  events.setOutcome([b!], { status: 'dead' }, T0);
  assert.deepEqual(events.countByStatus(), { received: 1, routed: 0, dropped: 0, synced: 1, failed: 0, dead: 1, discarded: 0 });
});

test('prunes old finished events but keeps old events still in flight and recent finished ones', () => {
  const byStatus = new Map<EventStatus, number>();
  for (const status of ['received', 'routed', 'dropped', 'synced', 'failed', 'dead', 'discarded'] as const) {
    const id = add({}, T0);
    if (status !== 'received') events.setOutcome([id], { status }, T0);
    byStatus.set(status, id);
  }
  const recent = add({}, T0 + 10_000);
  events.setOutcome([recent], { status: 'synced' }, T0 + 10_000);
  assert.equal(events.prune(T0 + 10_000), 4);
  assert.deepEqual(
    events.list().map((e) => e.status).sort(),
    ['failed', 'received', 'routed', 'synced'],
  );
  assert.ok(events.get(recent));
  assert.equal(events.get(byStatus.get('synced')!), undefined);
});

test('counts the events of one run by status, leaving other runs and older events out', () => {
  const run = (correlationId: string | null, now: number, status?: EventStatus) => {
    const stored = events.insert(envelope(), { dedupeKey: `run-${++dedupe}`, correlationId, now });
    assert.ok(stored);
    if (status) events.setOutcome([stored.id], { status }, now);
  };
  run('poll:1000', T0, 'synced');
  run('poll:1000', T0 + 1, 'synced');
  run('poll:1000', T0 + 2, 'dropped');
  run('poll:1000', T0 + 3);
  run('poll:2000', T0 + 4, 'synced');
  run(null, T0 + 5, 'dead');
  run('poll:1000', T0 - 1, 'dead');
  assert.deepEqual(events.countByCorrelation('poll:1000', T0), { synced: 2, dropped: 1, received: 1 });
  assert.deepEqual(events.countByCorrelation('poll:3000', T0), {});
});
