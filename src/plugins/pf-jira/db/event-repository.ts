import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { PfDb } from './plugin-db.js';
import { pfjEvents } from './schema.js';
import type { Decision } from '../rules/rule-types.js';
import type { EventEnvelope, EventSource, EntityType } from '../events/envelope.js';

export const EVENT_STATUSES = ['received', 'routed', 'dropped', 'synced', 'failed', 'dead'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface StoredEvent extends EventEnvelope {
  id: number;
  receivedAt: number;
  status: EventStatus;
  decision: Decision | null;
  scope: string | null;
  issueKey: string | null;
  error: string | null;
  correlationId: string | null;
  updatedAt: number;
}

export interface EventFilter {
  status?: EventStatus;
  type?: string;
  entityId?: string;
  ruleId?: number;
  beforeId?: number;
  limit?: number;
}

type Row = typeof pfjEvents.$inferSelect;

const toEvent = (row: Row): StoredEvent => ({
  id: row.id,
  source: row.source as EventSource,
  type: row.type,
  entityType: row.entityType as EntityType,
  entityId: row.entityId,
  occurredAt: row.occurredAt,
  payload: JSON.parse(row.payload) as Record<string, unknown>,
  receivedAt: row.receivedAt,
  status: row.status as EventStatus,
  decision: row.decision ? (JSON.parse(row.decision) as Decision) : null,
  scope: row.scope,
  issueKey: row.issueKey,
  error: row.error,
  correlationId: row.correlationId,
  updatedAt: row.updatedAt,
});

/** The event log's SQL. Status changes take lists of ids and report how many rows changed. */
export const createEventRepository = (db: PfDb) => ({
  /** Stores an event; returns undefined when an event with the same dedupe key is already stored. */
  insert(envelope: EventEnvelope, options: { dedupeKey: string | null; correlationId: string | null; now: number }): StoredEvent | undefined {
    const row = db
      .insert(pfjEvents)
      .values({
        source: envelope.source,
        type: envelope.type,
        entityType: envelope.entityType,
        entityId: envelope.entityId,
        occurredAt: envelope.occurredAt,
        receivedAt: options.now,
        payload: JSON.stringify(envelope.payload),
        dedupeKey: options.dedupeKey,
        status: 'received',
        correlationId: options.correlationId,
        updatedAt: options.now,
      })
      .onConflictDoNothing({ target: pfjEvents.dedupeKey })
      .returning()
      .get();
    return row ? toEvent(row) : undefined;
  },

  /** The id of the event stored under this dedupe key (a replay names the original). */
  idByDedupeKey(dedupeKey: string): number | undefined {
    return db.select({ id: pfjEvents.id }).from(pfjEvents).where(eq(pfjEvents.dedupeKey, dedupeKey)).get()?.id;
  },

  get(id: number): StoredEvent | undefined {
    const row = db.select().from(pfjEvents).where(eq(pfjEvents.id, id)).get();
    return row ? toEvent(row) : undefined;
  },

  /** Events of one entity still waiting for a routing decision, oldest first. */
  awaitingRouting(entityType: string, entityId: string): StoredEvent[] {
    return db
      .select()
      .from(pfjEvents)
      .where(and(eq(pfjEvents.entityType, entityType), eq(pfjEvents.entityId, entityId), eq(pfjEvents.status, 'received')))
      .orderBy(asc(pfjEvents.occurredAt), asc(pfjEvents.id))
      .all()
      .map(toEvent);
  },

  /** Events routed to one link scope and not yet synced (routed, or failed and retrying), oldest first. */
  awaitingSync(entityType: string, entityId: string, scope: string): StoredEvent[] {
    return db
      .select()
      .from(pfjEvents)
      .where(and(eq(pfjEvents.entityType, entityType), eq(pfjEvents.entityId, entityId), eq(pfjEvents.scope, scope), inArray(pfjEvents.status, ['routed', 'failed'])))
      .orderBy(asc(pfjEvents.occurredAt), asc(pfjEvents.id))
      .all()
      .map(toEvent);
  },

  recordDecision(id: number, decision: Decision, status: 'routed' | 'dropped', scope: string | null, now: number): number {
    return db
      .update(pfjEvents)
      .set({ decision: JSON.stringify(decision), status, scope, ruleId: decision.ruleId, ruleVersion: decision.ruleVersion, error: null, updatedAt: now })
      .where(eq(pfjEvents.id, id))
      .run().changes;
  },

  setOutcome(ids: number[], outcome: { status: EventStatus; issueKey?: string | null; error?: string | null }, now: number): number {
    if (!ids.length) return 0;
    const set: Partial<Row> = { status: outcome.status, updatedAt: now };
    if (outcome.issueKey !== undefined) set.issueKey = outcome.issueKey;
    if (outcome.error !== undefined) set.error = outcome.error;
    return db.update(pfjEvents).set(set).where(inArray(pfjEvents.id, ids)).run().changes;
  },

  /** Puts events back to `received` so they are routed again from the start (a replay). */
  resetForReplay(ids: number[], now: number): number {
    if (!ids.length) return 0;
    return db
      .update(pfjEvents)
      .set({ status: 'received', scope: null, error: null, updatedAt: now })
      .where(inArray(pfjEvents.id, ids))
      .run().changes;
  },

  /** Recent payloads seen for any of these event types (all types when empty), newest first: realistic samples for validation. */
  recentPayloads(types: string[], limit: number): Record<string, unknown>[] {
    const where = types.length ? inArray(pfjEvents.type, types) : undefined;
    return db
      .select({ payload: pfjEvents.payload })
      .from(pfjEvents)
      .where(where)
      .orderBy(desc(pfjEvents.receivedAt), desc(pfjEvents.id))
      .limit(limit)
      .all()
      .map((row) => JSON.parse(row.payload) as Record<string, unknown>);
  },

  list(filter: EventFilter = {}): StoredEvent[] {
    const where: SQL[] = [];
    if (filter.status) where.push(eq(pfjEvents.status, filter.status));
    if (filter.type) where.push(eq(pfjEvents.type, filter.type));
    if (filter.entityId) where.push(eq(pfjEvents.entityId, filter.entityId));
    if (filter.ruleId !== undefined) where.push(eq(pfjEvents.ruleId, filter.ruleId));
    if (filter.beforeId !== undefined) where.push(lt(pfjEvents.id, filter.beforeId));
    return db
      .select()
      .from(pfjEvents)
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(pfjEvents.id))
      .limit(filter.limit ?? 50)
      .all()
      .map(toEvent);
  },

  countByStatus(): Record<EventStatus, number> {
    const counts = Object.fromEntries(EVENT_STATUSES.map((s) => [s, 0])) as Record<EventStatus, number>;
    for (const row of db.select({ status: pfjEvents.status, n: sql<number>`count(*)` }).from(pfjEvents).groupBy(pfjEvents.status).all()) {
      counts[row.status as EventStatus] = row.n;
    }
    return counts;
  },

  /** Deletes finished events received before `before`; events still in flight are kept whatever their age. */
  prune(before: number): number {
    return db.delete(pfjEvents).where(and(lt(pfjEvents.receivedAt, before), inArray(pfjEvents.status, ['dropped', 'synced', 'dead']))).run().changes;
  },
});

export type EventRepository = ReturnType<typeof createEventRepository>;
