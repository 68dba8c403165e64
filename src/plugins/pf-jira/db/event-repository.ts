import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { PfDb } from './plugin-db.js';
import { pfjEvents } from './schema.js';
import type { Decision } from '../rules/rule-types.js';
import type { FieldProblem } from '../jira/field-resolver.js';
import type { EventEnvelope, EventSource, EntityType } from '../events/envelope.js';

export const EVENT_STATUSES = ['received', 'routed', 'dropped', 'synced', 'failed', 'dead', 'discarded'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface StoredEvent extends EventEnvelope {
  id: number;
  receivedAt: number;
  status: EventStatus;
  decision: Decision | null;
  scope: string | null;
  issueKey: string | null;
  error: string | null;
  /** Why Jira (or the mappings) refused the sync, field by field; null unless the last sync failed that way. */
  problems: FieldProblem[] | null;
  correlationId: string | null;
  updatedAt: number;
}

export interface EventFilter {
  status?: EventStatus;
  type?: string;
  entityId?: string;
  /** A PeopleForce id, or part of the person's name or email. */
  person?: string;
  ruleId?: number;
  beforeId?: number;
  limit?: number;
}

/** Which dead deliveries to show or act on; every field narrows. */
export interface DeadFilter {
  person?: string;
  ruleId?: number;
  projectKey?: string;
  /** Part of the error text or of a per-field problem. */
  error?: string;
}

/** The dead events of one (entity, scope): what one sync job retries. */
export interface DeadDeliveryRow {
  entityType: string;
  entityId: string;
  scope: string;
  events: number;
  diedAt: number;
}

type Row = typeof pfjEvents.$inferSelect;

const escapeLike = (value: string): string => `%${value.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** The person an event is about: their PeopleForce id exactly, or part of their name or email. */
const personMatch = (text: string): SQL =>
  sql`(${pfjEvents.entityId} = ${text} OR json_extract(${pfjEvents.payload}, '$.full_name') LIKE ${escapeLike(text)} ESCAPE '\\' OR json_extract(${pfjEvents.payload}, '$.email') LIKE ${escapeLike(text)} ESCAPE '\\')`;

const deadWhere = (filter: DeadFilter): SQL | undefined => {
  const where: SQL[] = [eq(pfjEvents.status, 'dead')];
  if (filter.person) where.push(personMatch(filter.person));
  if (filter.ruleId !== undefined) where.push(eq(pfjEvents.ruleId, filter.ruleId));
  if (filter.projectKey) where.push(sql`json_extract(${pfjEvents.decision}, '$.projectKey') = ${filter.projectKey}`);
  if (filter.error) where.push(sql`(${pfjEvents.error} LIKE ${escapeLike(filter.error)} ESCAPE '\\' OR ${pfjEvents.problems} LIKE ${escapeLike(filter.error)} ESCAPE '\\')`);
  return and(...where);
};

/** A replay's dedupe key names the event it copies, so an event can list its replays. */
export const replayDedupeKey = (originalId: number, unique: string): string => `replay:${originalId}:${unique}`;

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
  problems: row.problems ? (JSON.parse(row.problems) as FieldProblem[]) : null,
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
      .set({ decision: JSON.stringify(decision), status, scope, ruleId: decision.ruleId, ruleVersion: decision.ruleVersion, error: null, problems: null, updatedAt: now })
      .where(eq(pfjEvents.id, id))
      .run().changes;
  },

  setOutcome(ids: number[], outcome: { status: EventStatus; issueKey?: string | null; error?: string | null; problems?: FieldProblem[] | null }, now: number): number {
    if (!ids.length) return 0;
    const set: Partial<Row> = { status: outcome.status, updatedAt: now };
    if (outcome.issueKey !== undefined) set.issueKey = outcome.issueKey;
    if (outcome.error !== undefined) set.error = outcome.error;
    if (outcome.problems !== undefined) set.problems = outcome.problems?.length ? JSON.stringify(outcome.problems) : null;
    return db.update(pfjEvents).set(set).where(inArray(pfjEvents.id, ids)).run().changes;
  },

  /** Puts events back to `received` so they are routed again from the start (a replay). */
  resetForReplay(ids: number[], now: number): number {
    if (!ids.length) return 0;
    return db
      .update(pfjEvents)
      .set({ status: 'received', scope: null, error: null, problems: null, updatedAt: now })
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
    if (filter.person) where.push(personMatch(filter.person));
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

  /** Dead deliveries matching the filter, the most recently dead first. */
  deadDeliveries(filter: DeadFilter, limit: number, offset: number): DeadDeliveryRow[] {
    return db
      .select({ entityType: pfjEvents.entityType, entityId: pfjEvents.entityId, scope: sql<string>`coalesce(${pfjEvents.scope}, '')`, events: sql<number>`count(*)`, diedAt: sql<number>`max(${pfjEvents.updatedAt})` })
      .from(pfjEvents)
      .where(deadWhere(filter))
      .groupBy(pfjEvents.entityType, pfjEvents.entityId, pfjEvents.scope)
      .orderBy(sql`max(${pfjEvents.updatedAt}) desc`, pfjEvents.entityId)
      .limit(limit)
      .offset(offset)
      .all();
  },

  /** How many dead deliveries, and dead events in them, match the filter. */
  countDead(filter: DeadFilter): { deliveries: number; events: number } {
    const row = db
      .select({
        deliveries: sql<number>`count(DISTINCT ${pfjEvents.entityType} || ':' || ${pfjEvents.entityId} || '|' || coalesce(${pfjEvents.scope}, ''))`,
        events: sql<number>`count(*)`,
      })
      .from(pfjEvents)
      .where(deadWhere(filter))
      .get();
    return { deliveries: row?.deliveries ?? 0, events: row?.events ?? 0 };
  },

  /** The dead events of one delivery, oldest first (the sync job sends the newest). */
  deadOfDelivery(entityType: string, entityId: string, scope: string): StoredEvent[] {
    return db
      .select()
      .from(pfjEvents)
      .where(and(eq(pfjEvents.entityType, entityType), eq(pfjEvents.entityId, entityId), eq(pfjEvents.scope, scope), eq(pfjEvents.status, 'dead')))
      .orderBy(asc(pfjEvents.occurredAt), asc(pfjEvents.id))
      .all()
      .map(toEvent);
  },

  /** The newest event of a link scope that synced, if any. */
  lastSynced(entityType: string, entityId: string, scope: string): StoredEvent | undefined {
    const row = db
      .select()
      .from(pfjEvents)
      .where(and(eq(pfjEvents.entityType, entityType), eq(pfjEvents.entityId, entityId), eq(pfjEvents.scope, scope), eq(pfjEvents.status, 'synced')))
      .orderBy(desc(pfjEvents.occurredAt), desc(pfjEvents.id))
      .limit(1)
      .get();
    return row ? toEvent(row) : undefined;
  },

  /** Puts dead events back to `routed`, so the next sync job sends them again; other events are left alone. */
  reviveDead(ids: number[], now: number): number {
    if (!ids.length) return 0;
    return db
      .update(pfjEvents)
      .set({ status: 'routed', error: null, problems: null, updatedAt: now })
      .where(and(inArray(pfjEvents.id, ids), eq(pfjEvents.status, 'dead')))
      .run().changes;
  },

  /** Marks dead events as discarded (kept for the trace, pruned like dead ones); other events are left alone. */
  discardDead(ids: number[], now: number): number {
    if (!ids.length) return 0;
    return db
      .update(pfjEvents)
      .set({ status: 'discarded', updatedAt: now })
      .where(and(inArray(pfjEvents.id, ids), eq(pfjEvents.status, 'dead')))
      .run().changes;
  },

  /** Events replayed from this one, oldest first. */
  replaysOf(id: number): StoredEvent[] {
    return db
      .select()
      .from(pfjEvents)
      .where(sql`${pfjEvents.dedupeKey} LIKE ${`replay:${id}:%`}`)
      .orderBy(asc(pfjEvents.id))
      .all()
      .map(toEvent);
  },

  /** The event this one replays, when it is a replay. */
  replayOrigin(id: number): number | undefined {
    const key = db.select({ key: pfjEvents.dedupeKey }).from(pfjEvents).where(eq(pfjEvents.id, id)).get()?.key;
    const match = key ? /^replay:(\d+):/.exec(key) : null;
    return match ? Number(match[1]) : undefined;
  },

  countByStatus(): Record<EventStatus, number> {
    const counts = Object.fromEntries(EVENT_STATUSES.map((s) => [s, 0])) as Record<EventStatus, number>;
    for (const row of db.select({ status: pfjEvents.status, n: sql<number>`count(*)` }).from(pfjEvents).groupBy(pfjEvents.status).all()) {
      counts[row.status as EventStatus] = row.n;
    }
    return counts;
  },

  /**
   * Events of one run (a poll's `poll:<startedAt>`) by status. Such events
   * arrive after the run started, so `since` narrows the scan to the newest events.
   */
  countByCorrelation(correlationId: string, since: number): Partial<Record<EventStatus, number>> {
    const counts: Partial<Record<EventStatus, number>> = {};
    const rows = db
      .select({ status: pfjEvents.status, n: sql<number>`count(*)` })
      .from(pfjEvents)
      .where(and(sql`${pfjEvents.receivedAt} >= ${since}`, eq(pfjEvents.correlationId, correlationId)))
      .groupBy(pfjEvents.status)
      .all();
    for (const row of rows) counts[row.status as EventStatus] = row.n;
    return counts;
  },

  /** Deletes finished events received before `before`; events still in flight are kept whatever their age. */
  prune(before: number): number {
    return db.delete(pfjEvents).where(and(lt(pfjEvents.receivedAt, before), inArray(pfjEvents.status, ['dropped', 'synced', 'dead', 'discarded']))).run().changes;
  },
});

export type EventRepository = ReturnType<typeof createEventRepository>;
