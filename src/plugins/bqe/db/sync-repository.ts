import { and, desc, eq, ne, notInArray, sql } from 'drizzle-orm';
import type { BqeDb } from './plugin-db.js';
import { bqeSyncCursors, bqeSyncRuns } from './schema.js';

export type SyncObject = 'project' | 'client';
export type SyncMode = 'delta' | 'full';
export type SyncTrigger = 'schedule' | 'manual';
export type SyncRunStatus = 'running' | 'succeeded' | 'failed';

/** Where one connection's sync of one object stands between slices. */
export interface SyncCursor {
  connectionId: number;
  object: SyncObject;
  /** Highest lastUpdated of a finished run (naive BQE time); null until the first run finishes. */
  cursor: string | null;
  fullRequested: boolean;
  activeRunId: number | null;
  nextPage: number | null;
  lastFullSyncAt: number | null;
  updatedAt: number;
}

export const RUN_COUNTERS = [
  'pages',
  'requests',
  'fetched',
  'inserted',
  'updated',
  'unchanged',
  'duplicates',
  'skipped',
  'promoted',
  'deleted',
  'missing',
  'rateWaits',
  'rateWaitMs',
] as const;
export type RunCounter = (typeof RUN_COUNTERS)[number];
export type RunCounts = Record<RunCounter, number>;

export interface SyncRun extends RunCounts {
  id: number;
  connectionId: number;
  object: SyncObject;
  mode: SyncMode;
  trigger: SyncTrigger;
  status: SyncRunStatus;
  startedAt: number;
  finishedAt: number | null;
  /** The cursor the run's `where` was built from (a continued slice rebuilds the same filter from it). */
  cursorFrom: string | null;
  /** The highest lastUpdated the run has committed so far. */
  cursorTo: string | null;
  error: string | null;
  correlationId: string | null;
}

export interface NewRun {
  connectionId: number;
  object: SyncObject;
  mode: SyncMode;
  trigger: SyncTrigger;
  cursorFrom: string | null;
  correlationId: string | null;
  now: number;
}

export const zeroCounts = (): RunCounts => Object.fromEntries(RUN_COUNTERS.map((k) => [k, 0])) as RunCounts;

type CursorRow = typeof bqeSyncCursors.$inferSelect;
type RunRow = typeof bqeSyncRuns.$inferSelect;

const toCursor = (row: CursorRow): SyncCursor => ({ ...row, object: row.object as SyncObject });
const toRun = (row: RunRow): SyncRun => ({
  ...row,
  object: row.object as SyncObject,
  mode: row.mode as SyncMode,
  trigger: row.trigger as SyncTrigger,
  status: row.status as SyncRunStatus,
});

const K = bqeSyncCursors;
const R = bqeSyncRuns;

/** Sync cursors (one per connection and object) and the history of sync runs. */
export const createSyncRepository = (db: BqeDb) => {
  const cursorKey = (connectionId: number, object: SyncObject) => and(eq(K.connectionId, connectionId), eq(K.object, object));

  const ensureCursor = (connectionId: number, object: SyncObject, now: number): SyncCursor => {
    db.insert(K).values({ connectionId, object, cursor: null, fullRequested: false, activeRunId: null, nextPage: null, lastFullSyncAt: null, updatedAt: now }).onConflictDoNothing().run();
    return toCursor(db.select().from(K).where(cursorKey(connectionId, object)).get() as CursorRow);
  };

  const updateCursor = (connectionId: number, object: SyncObject, changes: Partial<Omit<CursorRow, 'connectionId' | 'object'>>, now: number): void => {
    ensureCursor(connectionId, object, now);
    db.update(K).set({ ...changes, updatedAt: now }).where(cursorKey(connectionId, object)).run();
  };

  return {
    getCursor(connectionId: number, object: SyncObject): SyncCursor | undefined {
      const row = db.select().from(K).where(cursorKey(connectionId, object)).get();
      return row ? toCursor(row) : undefined;
    },

    ensureCursor,

    cursors(connectionId: number): SyncCursor[] {
      return db.select().from(K).where(eq(K.connectionId, connectionId)).orderBy(K.object).all().map(toCursor);
    },

    /** The watermark only moves forward; a lower value (a run that saw nothing newer) leaves it. */
    advanceCursor(connectionId: number, object: SyncObject, cursor: string, now: number): void {
      const current = ensureCursor(connectionId, object, now).cursor;
      if (current !== null && current >= cursor) return;
      updateCursor(connectionId, object, { cursor }, now);
    },

    requestFull(connectionId: number, object: SyncObject, now: number): void {
      updateCursor(connectionId, object, { fullRequested: true }, now);
    },

    /** Records the slice position: the run being continued and the page it continues from. */
    setPosition(connectionId: number, object: SyncObject, position: { activeRunId: number | null; nextPage: number | null }, now: number): void {
      updateCursor(connectionId, object, position, now);
    },

    /** A full sweep read every page: the request is served and the time recorded. */
    completeFull(connectionId: number, object: SyncObject, now: number): void {
      updateCursor(connectionId, object, { fullRequested: false, lastFullSyncAt: now }, now);
    },

    /**
     * The UTC offset changed, so stored watermarks are in the wrong wall-clock
     * time: forget them (the next run of each object is full) and stop runs in
     * progress, whose filters were built in the old offset.
     */
    resetCursors(connectionId: number, now: number, reason: string): number {
      db.update(K).set({ cursor: null, activeRunId: null, nextPage: null, updatedAt: now }).where(eq(K.connectionId, connectionId)).run();
      return db
        .update(R)
        .set({ status: 'failed', finishedAt: now, error: reason })
        .where(and(eq(R.connectionId, connectionId), eq(R.status, 'running')))
        .run().changes;
    },

    startRun(run: NewRun): SyncRun {
      const row = db
        .insert(R)
        .values({
          connectionId: run.connectionId,
          object: run.object,
          mode: run.mode,
          trigger: run.trigger,
          status: 'running',
          startedAt: run.now,
          finishedAt: null,
          ...zeroCounts(),
          cursorFrom: run.cursorFrom,
          cursorTo: null,
          error: null,
          correlationId: run.correlationId,
        })
        .returning()
        .get();
      return toRun(row);
    },

    getRun(id: number): SyncRun | undefined {
      const row = db.select().from(R).where(eq(R.id, id)).get();
      return row ? toRun(row) : undefined;
    },

    /** Adds to the run's counters and, when given, raises its high-water mark. */
    addToRun(runId: number, counts: Partial<RunCounts>, cursorTo?: string | null): SyncRun {
      const increments = Object.fromEntries(
        Object.entries(counts)
          .filter(([, n]) => n !== 0)
          .map(([key, n]) => {
            const column = R[key as RunCounter];
            return [key, sql`${column} + ${n}`];
          }),
      );
      const raise = cursorTo ? { cursorTo: sql<string>`CASE WHEN ${R.cursorTo} IS NULL OR ${R.cursorTo} < ${cursorTo} THEN ${cursorTo} ELSE ${R.cursorTo} END` } : {};
      if (Object.keys(increments).length === 0 && !cursorTo) return toRun(db.select().from(R).where(eq(R.id, runId)).get() as RunRow);
      return toRun(db.update(R).set({ ...increments, ...raise }).where(eq(R.id, runId)).returning().get() as RunRow);
    },

    /** Ends a running run; a run that already ended (e.g. stopped by an offset change) keeps its outcome. */
    finishRun(runId: number, outcome: { status: 'succeeded' | 'failed'; error?: string | null; now: number }): SyncRun {
      db.update(R)
        .set({ status: outcome.status, error: outcome.error ?? null, finishedAt: outcome.now })
        .where(and(eq(R.id, runId), eq(R.status, 'running')))
        .run();
      return toRun(db.select().from(R).where(eq(R.id, runId)).get() as RunRow);
    },

    /** A connection's runs, newest first (optionally of one object). */
    history(connectionId: number, options: { object?: SyncObject; limit: number }): SyncRun[] {
      const where = options.object ? and(eq(R.connectionId, connectionId), eq(R.object, options.object)) : eq(R.connectionId, connectionId);
      return db.select().from(R).where(where).orderBy(desc(R.id)).limit(options.limit).all().map(toRun);
    },

    latestRun(connectionId: number, object: SyncObject): SyncRun | undefined {
      const row = db.select().from(R).where(and(eq(R.connectionId, connectionId), eq(R.object, object))).orderBy(desc(R.id)).limit(1).get();
      return row ? toRun(row) : undefined;
    },

    /** Keeps the newest `keep` runs of a connection and object; returns how many older ones were removed. */
    pruneRuns(connectionId: number, object: SyncObject, keep: number): number {
      const scope = and(eq(R.connectionId, connectionId), eq(R.object, object));
      const kept = db.select({ id: R.id }).from(R).where(scope).orderBy(desc(R.id)).limit(keep).all().map((r) => r.id);
      if (kept.length < keep) return 0;
      return db.delete(R).where(and(scope, notInArray(R.id, kept), ne(R.status, 'running'))).run().changes;
    },
  };
};

export type SyncRepository = ReturnType<typeof createSyncRepository>;
