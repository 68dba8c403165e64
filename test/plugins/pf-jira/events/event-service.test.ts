import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { transactionRunner } from '../../../../src/db/transaction.js';
import { createAuditRepository } from '../../../../src/db/repositories/audit-repository.js';
import { AppError } from '../../../../src/errors.js';
import type { Actor } from '../../../../src/platform/actor.js';
import { createAuditService, type AuditService } from '../../../../src/platform/audit.js';
import { createLinkRepository, type LinkRepository } from '../../../../src/plugins/pf-jira/db/link-repository.js';
import type { EventEnvelope } from '../../../../src/plugins/pf-jira/events/envelope.js';
import { createEventService, type EventService } from '../../../../src/plugins/pf-jira/events/event-service.js';
import { ROUTE_TASK } from '../../../../src/plugins/pf-jira/events/intake.js';
import { intakeFixture } from './intake-fixture.js';

const operator: Actor = { userId: 2, email: 'ops@example.com', role: 'operator', ip: '10.0.0.2', requestId: 'req-7' };
const viewer: Actor = { userId: 3, email: 'view@example.com', role: 'viewer', ip: null, requestId: 'req-8' };

let f: ReturnType<typeof intakeFixture>;
let links: LinkRepository;
let audit: AuditService;
let service: EventService;

beforeEach(() => {
  f = intakeFixture();
  links = createLinkRepository(f.db);
  audit = createAuditService(createAuditRepository(f.handle.db), f.clock);
  service = createEventService({ repo: f.events, links, intake: f.intake, audit, tx: transactionRunner(f.handle) });
});

afterEach(() => f.close());

const change = (entityId: string, overrides: Partial<EventEnvelope> = {}): EventEnvelope => ({
  source: 'webhook',
  type: 'employee_update',
  entityType: 'employee',
  entityId,
  occurredAt: Date.parse('2026-03-02T08:00:00Z'),
  payload: { id: Number(entityId), first_name: 'Olena' },
  ...overrides,
});

let n = 0;
/** Records an event through the real intake and returns its id. */
const record = (entityId = '7', overrides: Partial<EventEnvelope> = {}): number => {
  const result = f.intake.record(change(entityId, overrides), { dedupeKey: `webhook:${++n}`, correlationId: null });
  assert.equal(result.status, 'queued');
  return result.eventId!;
};

const rejectsWithAppError = (fn: () => unknown, status: number, code: string) =>
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.status, status);
    assert.equal(err.code, code);
    return true;
  });

test('lists events newest first with no next page when everything fits', () => {
  const ids = [record('1'), record('2'), record('3')];
  const page = service.list({});
  assert.deepEqual(page.events.map((e) => e.id), ids.reverse());
  assert.equal(page.nextBeforeId, undefined);
});

test('pages by 50 and names the id to continue before', () => {
  const ids = Array.from({ length: 51 }, (_, i) => record(String(i)));
  const first = service.list({});
  assert.equal(first.events.length, 50);
  assert.equal(first.events[0]?.id, ids[50]);
  assert.equal(first.nextBeforeId, ids[1]);
  const second = service.list({ beforeId: first.nextBeforeId });
  assert.deepEqual(second.events.map((e) => e.id), [ids[0]]);
  assert.equal(second.nextBeforeId, undefined);
});

test('has no next page when exactly 50 events match', () => {
  for (let i = 0; i < 50; i++) record(String(i));
  assert.equal(service.list({}).nextBeforeId, undefined);
});

test('filters by a known status, type and entity, and ignores an unknown status', () => {
  const a = record('1', { type: 'employee_create' });
  const b = record('2');
  f.events.setOutcome([a], { status: 'synced' }, f.clock.now());
  assert.deepEqual(service.list({ status: 'synced' }).events.map((e) => e.id), [a]);
  assert.deepEqual(service.list({ status: 'exploded' }).events.map((e) => e.id), [b, a]);
  assert.deepEqual(service.list({ type: 'employee_update' }).events.map((e) => e.id), [b]);
  assert.deepEqual(service.list({ entityId: '1' }).events.map((e) => e.id), [a]);
  assert.deepEqual(service.list({ status: '', type: '', entityId: '' }).events.length, 2);
});

test('counts events by status', () => {
  const a = record('1');
  record('2');
  f.events.setOutcome([a], { status: 'dead' }, f.clock.now());
  assert.deepEqual(service.counts(), { received: 1, routed: 0, dropped: 0, synced: 0, failed: 0, dead: 1, discarded: 0 });
});

test('gets one event with the links of its entity under every scope', () => {
  const id = record('7');
  const ruleLink = links.recordIntent({ entityKey: 'employee:7', scope: 'rule:1', projectKey: 'OPS', clientToken: 't1', ruleId: 1, ruleVersion: 1, now: f.clock.now() });
  const fallback = links.recordIntent({ entityKey: 'employee:7', scope: 'fallback', projectKey: 'OPS', clientToken: 't2', ruleId: null, ruleVersion: null, now: f.clock.now() + 1 });
  links.recordIntent({ entityKey: 'employee:8', scope: 'fallback', projectKey: 'OPS', clientToken: 't3', ruleId: null, ruleVersion: null, now: f.clock.now() });
  links.recordIntent({ entityKey: 'leave_request:7', scope: 'fallback', projectKey: 'OPS', clientToken: 't4', ruleId: null, ruleVersion: null, now: f.clock.now() });
  const detail = service.get(id);
  assert.equal(detail.event.id, id);
  assert.equal(detail.event.entityId, '7');
  assert.deepEqual(detail.links.map((l) => l.id), [fallback.id, ruleLink.id]);
});

test('refuses to get an unknown event with a 404', () => {
  rejectsWithAppError(() => service.get(999), 404, 'not_found');
});

test('replays an event as a new replay event with a routing job and an audit entry', () => {
  const id = record('7', { type: 'employee_terminate', payload: { id: 7, status: 'terminated' } });
  f.events.recordDecision(id, { action: 'DROP', via: 'no_match', ruleId: null, ruleVersion: null, ruleName: null, projectKey: null, issueTypeId: null, issueTypeName: null, reason: 'nothing matched' }, 'dropped', null, f.clock.now());
  f.handle.sqlite.prepare('DELETE FROM jobs').run();

  const { eventId, firstDecision } = service.replay(operator, id);
  assert.equal(firstDecision?.via, 'no_match', 'the replay reports how the original was decided');

  assert.notEqual(eventId, id);
  const replayed = f.events.get(eventId);
  const original = f.events.get(id);
  assert.deepEqual(
    [replayed?.source, replayed?.type, replayed?.entityType, replayed?.entityId, replayed?.occurredAt, replayed?.status, replayed?.correlationId],
    ['replay', 'employee_terminate', 'employee', '7', original?.occurredAt, 'received', 'req-7'],
  );
  assert.deepEqual(replayed?.payload, { id: 7, status: 'terminated' });
  assert.equal(original?.status, 'dropped');
  assert.equal(original?.decision?.reason, 'nothing matched');
  assert.deepEqual(f.jobs().map((j) => [j.task, j.key]), [[ROUTE_TASK, 'pf-jira:route:employee:7']]);
  assert.deepEqual(f.events.replaysOf(id).map((e) => e.id), [eventId], 'the original lists its replay');
  assert.equal(f.events.replayOrigin(eventId), id, 'the replay names its original');

  const entries = audit.search({ action: 'pf-jira.event.replay', limit: 10, offset: 0 }).rows;
  assert.equal(entries.length, 1);
  assert.deepEqual(
    [entries[0]?.actorEmail, entries[0]?.targetType, entries[0]?.targetId, entries[0]?.requestId, JSON.parse(entries[0]?.after ?? 'null')],
    ['ops@example.com', 'pf-jira.event', String(id), 'req-7', { replayEventId: eventId, firstRuleId: null, firstRuleVersion: null }],
  );
});

test('replays the same event twice as two new events', () => {
  const id = record('7');
  const first = service.replay(operator, id).eventId;
  const second = service.replay(operator, id).eventId;
  assert.notEqual(first, second);
  assert.equal(f.events.list({ entityId: '7' }).length, 3);
});

test('refuses a replay by a viewer with a 403 and changes nothing', () => {
  const id = record('7');
  f.handle.sqlite.prepare('DELETE FROM jobs').run();
  rejectsWithAppError(() => service.replay(viewer, id), 403, 'forbidden');
  assert.equal(f.events.list().length, 1);
  assert.deepEqual(f.jobs(), []);
  assert.equal(audit.search({ limit: 10, offset: 0 }).total, 0);
});

test('refuses to replay an unknown event with a 404 and audits nothing', () => {
  rejectsWithAppError(() => service.replay(operator, 999), 404, 'not_found');
  assert.equal(audit.search({ limit: 10, offset: 0 }).total, 0);
});
