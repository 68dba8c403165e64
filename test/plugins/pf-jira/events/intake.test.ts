import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, test } from 'node:test';
import pino from 'pino';
import type { EventEnvelope } from '../../../../src/plugins/pf-jira/events/envelope.js';
import { ROUTE_TASK } from '../../../../src/plugins/pf-jira/events/intake.js';
import { intakeFixture } from './intake-fixture.js';

const change = (entityId: string, type = 'employee_update', entityType: EventEnvelope['entityType'] = 'employee'): EventEnvelope => ({
  source: 'webhook',
  type,
  entityType,
  entityId,
  occurredAt: Date.parse('2026-03-02T08:00:00Z'),
  payload: { id: Number(entityId), first_name: 'Olena' },
});

describe('intake', () => {
  let f: ReturnType<typeof intakeFixture>;
  beforeEach(() => {
    f = intakeFixture();
  });
  afterEach(() => f.close());

  test('stores the event and queues one routing job keyed by its entity', () => {
    const result = f.intake.record(change('133710'), { dedupeKey: 'webhook:a', correlationId: 'req-1' });
    assert.equal(result.status, 'queued');
    const stored = f.events.get(result.status === 'queued' ? result.eventId : 0);
    assert.equal(stored?.status, 'received');
    assert.equal(stored?.correlationId, 'req-1');
    assert.equal(stored?.receivedAt, f.clock.now());
    assert.deepEqual(f.jobs(), [{ task: ROUTE_TASK, key: 'pf-jira:route:employee:133710', payload: JSON.stringify({ entityType: 'employee', entityId: '133710' }), maxAttempts: 10 }]);
  });

  test('a burst of changes to one entity leaves one waiting job and every event', () => {
    for (const key of ['a', 'b', 'c']) f.intake.record(change('7'), { dedupeKey: `webhook:${key}`, correlationId: null });
    assert.equal(f.jobs().length, 1);
    assert.equal(f.events.awaitingRouting('employee', '7').length, 3);
  });

  test('different entities get their own jobs', () => {
    f.intake.record(change('1'), { dedupeKey: 'webhook:a', correlationId: null });
    f.intake.record(change('2'), { dedupeKey: 'webhook:b', correlationId: null });
    f.intake.record(change('1', 'leave_request_create', 'leave_request'), { dedupeKey: 'webhook:c', correlationId: null });
    assert.deepEqual(
      f.jobs().map((j) => j.key),
      ['pf-jira:route:employee:1', 'pf-jira:route:employee:2', 'pf-jira:route:leave_request:1'],
    );
  });

  test('a repeated dedupe key is a duplicate naming the first event, and stores nothing', () => {
    const first = f.intake.record(change('5'), { dedupeKey: 'webhook:same', correlationId: null });
    const again = f.intake.record(change('5'), { dedupeKey: 'webhook:same', correlationId: null });
    assert.deepEqual(again, { status: 'duplicate', eventId: first.status === 'queued' ? first.eventId : -1 });
    assert.equal(f.events.list().length, 1);
    assert.equal(f.jobs().length, 1);
  });

  test('an event is not stored when its job cannot be queued', () => {
    f.queue.addJobSync = () => {
      throw new Error('disk full');
    };
    assert.throws(() => f.intake.record(change('9'), { dedupeKey: 'webhook:x', correlationId: null }), /disk full/);
    assert.equal(f.events.list().length, 0);
  });

  test('logs one line per event with its id, type, entity and source', () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) }));
    const result = f.intake.record(change('11', 'employee_create'), { dedupeKey: 'webhook:l', correlationId: null, log });
    assert.equal(lines.length, 1);
    assert.deepEqual(
      { event: lines[0]?.event, type: lines[0]?.type, entity: lines[0]?.entity, source: lines[0]?.source, msg: lines[0]?.msg },
      { event: result.status === 'queued' ? result.eventId : -1, type: 'employee_create', entity: 'employee:11', source: 'webhook', msg: 'event received' },
    );
  });
});
