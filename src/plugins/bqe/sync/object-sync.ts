import { randomUUID } from 'node:crypto';
import type { RunInTransaction } from '../../../db/transaction.js';
import { isAppError } from '../../../errors.js';
import type { Clock } from '../../../platform/clock.js';
import type { EventBus } from '../../../platform/events.js';
import type { Logger } from '../../../platform/logger.js';
import { isUpstreamError } from '../../../platform/upstream-error.js';
import type { BqeRecord } from '../api/list-response.js';
import type { Connection } from '../db/connection-repository.js';
import type { MirrorRepository, Promotion, UpsertOutcome } from '../db/mirror-repository.js';
import type { RunCounts, SyncObject, SyncRepository, SyncRun, SyncTrigger } from '../db/sync-repository.js';
import type { ProviderMetadata } from '../provider.js';
import type { Predicate } from '../where-clause.js';
import { toClientInput, toProjectInput } from './record-mapping.js';
import { OffsetMissingError, PageRepeatError, RunStoppedError } from './sync-errors.js';
import { syncWhere } from './sync-filter.js';
import './sync-events.js';

/** What a sync needs of BQEProjectsClient / BQEClientsClient. */
export interface ObjectListClient {
  listPage(options: { page: number; where?: Predicate; orderByCursor?: boolean; signal?: AbortSignal; log?: Logger }): Promise<BqeRecord[]>;
}

export interface LimiterWaits {
  waits: number;
  waitMs: number;
}

export interface ObjectSyncDeps {
  meta: ProviderMetadata;
  mirrors: MirrorRepository;
  syncRepo: SyncRepository;
  tx: RunInTransaction;
  clock: Clock;
  bus: EventBus;
  logger: Logger;
  clientsFor: (connection: Connection) => Record<SyncObject, ObjectListClient>;
  /** The rate limiter's running totals for a connection; a run records how much they grew while it paged. */
  limiterStats: (connectionId: number) => LimiterWaits;
}

export interface SliceInput {
  connection: Connection;
  object: SyncObject;
  trigger: SyncTrigger;
  signal: AbortSignal;
  log?: Logger;
}

export interface SliceResult {
  /** False while the run has pages left: the caller queues the next slice. */
  done: boolean;
  /** Null when the object is not synced for this connection (client sync off). */
  run: SyncRun | null;
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Worth a retry by the job queue: network trouble, timeouts, 429 and 5xx, and
 * unexpected failures. Errors that say what must change first (re-authorise,
 * a page BQE repeats, a record that cannot be read, a refused request) end the
 * run without a retry.
 */
const retryable = (err: unknown): boolean => {
  if (isUpstreamError(err)) return err.transient;
  return !isAppError(err);
};

const tally = (outcomes: readonly UpsertOutcome[]): Partial<RunCounts> => {
  const counts = { inserted: 0, updated: 0, unchanged: 0, duplicates: 0, promoted: 0, skipped: 0 };
  const column: Record<UpsertOutcome, keyof typeof counts> = {
    inserted: 'inserted',
    updated: 'updated',
    unchanged: 'unchanged',
    duplicate: 'duplicates',
    moved: 'duplicates',
    promoted: 'promoted',
    skipped: 'skipped',
  };
  for (const outcome of outcomes) counts[column[outcome]]++;
  return counts;
};

const sameIds = (a: readonly string[] | null, b: readonly string[]): boolean => a !== null && a.length === b.length && a.every((id, i) => id === b[i]);

const newest = (values: readonly (string | null)[]): string | null =>
  values.reduce<string | null>((max, v) => (v !== null && (max === null || v > max) ? v : max), null);

/**
 * Syncs one object (projects or clients) of one connection, a slice at a
 * time: a slice reads up to provider.sync.pagesPerSlice pages of the run in
 * progress (or starts one) and commits each page in one transaction together
 * with the run's counts and the position of the next page, so a slice that
 * stops anywhere (crash, shutdown, failure) loses nothing committed and the
 * next slice continues from the next page.
 *
 * De-duplication uses the mirror rows themselves: every row a run writes or
 * confirms gets the run's id in seen_run_id, in the page's transaction, so a
 * record met again later in the run (another page, another slice) is known
 * to be a duplicate and is not written again. Skipped records (not admitted by
 * the client policy) have no row and are simply skipped again.
 *
 * BQE pages by offset, so a record that changes while a run is paging moves to
 * the end of the lastUpdated order and shifts the ones after its old place
 * back by one, which can hide a record at a page boundary. Such a run sees the
 * moved record twice; a run that met any duplicate therefore leaves the
 * watermark where it was (the next delta reads the same window again) and, if
 * it was a full sweep, marks nothing deleted and stays requested.
 */
export const createObjectSync = (deps: ObjectSyncDeps) => {
  const { meta, mirrors, syncRepo } = deps;
  const firstPage = meta.api.paging.firstPage;
  const pageSize = meta.api.paging.pageSize;

  const progress = (run: SyncRun): void => {
    deps.bus.emit('bqe.sync.progress', { connectionId: run.connectionId, object: run.object, runId: run.id, pages: run.pages, fetched: run.fetched, status: run.status });
  };

  /** Continues the run the cursor points at, or starts one: full when asked for or when nothing was synced yet. */
  const openRun = (connection: Connection, object: SyncObject, trigger: SyncTrigger, log: Logger): { run: SyncRun; page: number } => {
    const now = deps.clock.now();
    const cursor = syncRepo.ensureCursor(connection.id, object, now);
    const active = cursor.activeRunId === null ? undefined : syncRepo.getRun(cursor.activeRunId);
    if (active?.status === 'running') return { run: active, page: cursor.nextPage ?? firstPage };
    const mode = cursor.fullRequested || cursor.cursor === null ? 'full' : 'delta';
    const run = deps.tx(() => {
      const started = syncRepo.startRun({ connectionId: connection.id, object, mode, trigger, cursorFrom: cursor.cursor, correlationId: randomUUID(), now });
      syncRepo.setPosition(connection.id, object, { activeRunId: started.id, nextPage: firstPage }, now);
      return started;
    });
    log.info({ runId: run.id, mode, trigger, cursorFrom: run.cursorFrom, correlationId: run.correlationId }, 'bqe sync run started');
    progress(run);
    return { run, page: firstPage };
  };

  const fail = (run: SyncRun, err: unknown, counts: Partial<RunCounts>, log: Logger): SliceResult => {
    const now = deps.clock.now();
    const message = describe(err);
    const failed = deps.tx(() => {
      syncRepo.addToRun(run.id, counts);
      syncRepo.setPosition(run.connectionId, run.object, { activeRunId: null, nextPage: null }, now);
      const finished = syncRepo.finishRun(run.id, { status: 'failed', error: message, now });
      syncRepo.pruneRuns(run.connectionId, run.object, meta.sync.historyKept);
      return finished;
    });
    log.warn({ runId: run.id, err, pages: failed.pages, fetched: failed.fetched }, 'bqe sync run failed');
    progress(failed);
    if (retryable(err)) throw err;
    return { done: true, run: failed };
  };

  const complete = (run: SyncRun, connection: Connection, log: Logger): SliceResult => {
    const now = deps.clock.now();
    const stable = run.duplicates === 0;
    const finished = deps.tx(() => {
      if (stable && run.cursorTo !== null) syncRepo.advanceCursor(run.connectionId, run.object, run.cursorTo, now);
      if (run.mode === 'full' && stable) {
        const sweep = mirrors.sweepUnseen(run.connectionId, run.object, run.id, connection.deletionPolicy, now, { parentOnly: connection.parentOnly, maxLevel: connection.maxProjectLevel });
        syncRepo.addToRun(run.id, sweep);
        syncRepo.completeFull(run.connectionId, run.object, now);
      }
      syncRepo.setPosition(run.connectionId, run.object, { activeRunId: null, nextPage: null }, now);
      const done = syncRepo.finishRun(run.id, { status: 'succeeded', now });
      syncRepo.pruneRuns(run.connectionId, run.object, meta.sync.historyKept);
      return done;
    });
    if (!stable) {
      // The next run reads the same records again; see the note on createObjectSync.
      log.warn({ runId: run.id, duplicates: run.duplicates, mode: run.mode }, 'bqe records moved during the sync run: watermark and deletions left for the next run');
    }
    const { pages, requests, fetched, inserted, updated, unchanged, duplicates, skipped, promoted, deleted, missing, rateWaits, rateWaitMs, cursorTo } = finished;
    log.info({ runId: run.id, mode: run.mode, pages, requests, fetched, inserted, updated, unchanged, duplicates, skipped, promoted, deleted, missing, rateWaits, rateWaitMs, cursorTo }, 'bqe sync run finished');
    progress(finished);
    return { done: true, run: finished };
  };

  /**
   * Mirrors one page; throws (rolling the transaction back) when the page repeats the records already read,
   * or when the run was stopped meanwhile (resetCursors after an offset change), so nothing read in the old
   * offset lands after the reset.
   */
  const commitPage = (input: {
    run: SyncRun;
    connection: Connection & { utcOffsetMinutes: number };
    page: number;
    records: BqeRecord[];
    previousIds: readonly string[] | null;
    admit: ((externalId: string) => boolean) | undefined;
    waits: LimiterWaits;
  }): { run: SyncRun; promotions: Promotion[] } => {
    const { run, connection, page, records } = input;
    if (syncRepo.getRun(run.id)?.status !== 'running') throw new RunStoppedError(run.id);
    const now = deps.clock.now();
    const ctx = { runId: run.id, now, ...(input.admit ? { admit: input.admit } : {}) };
    const offset = connection.utcOffsetMinutes;
    let lastUpdated: (string | null)[];
    let result;
    if (run.object === 'project') {
      const rows = records.map((r) => toProjectInput(r, meta.objects.project, offset));
      lastUpdated = rows.map((r) => r.lastUpdated);
      result = mirrors.upsertProjects(connection.id, rows, ctx);
    } else {
      const rows = records.map((r) => toClientInput(r, meta.objects.client, offset));
      lastUpdated = rows.map((r) => r.lastUpdated);
      result = mirrors.upsertClients(connection.id, rows, ctx);
    }
    const ids = records.map((r) => r.id);
    const allSeen = result.outcomes.every((o) => o === 'duplicate');
    if (ids.length > 0 && (sameIds(input.previousIds, ids) || (ids.length === pageSize && allSeen))) throw new PageRepeatError(run.object, page);
    const counts = { pages: 1, requests: 1, fetched: records.length, ...tally(result.outcomes), rateWaits: input.waits.waits, rateWaitMs: input.waits.waitMs };
    const updated = syncRepo.addToRun(run.id, counts, newest(lastUpdated));
    syncRepo.setPosition(connection.id, run.object, { activeRunId: run.id, nextPage: page + 1 }, now);
    return { run: updated, promotions: result.promotions };
  };

  return {
    async runSlice(input: SliceInput): Promise<SliceResult> {
      const { connection, object, signal } = input;
      const log = (input.log ?? deps.logger).child({ connectionId: connection.id, object });
      if (object === 'client' && connection.clientSync === 'off') {
        log.info('bqe client sync is off for this connection; nothing to do');
        return { done: true, run: null };
      }
      const opened = openRun(connection, object, input.trigger, log);
      let run = opened.run;
      const offset = connection.utcOffsetMinutes;
      if (offset === null) return fail(run, new OffsetMissingError(), {}, log);
      const withOffset = { ...connection, utcOffsetMinutes: offset };

      let where: Predicate | undefined;
      try {
        where = syncWhere(meta, connection, object, run);
      } catch (err) {
        return fail(run, err, {}, log);
      }
      const client = deps.clientsFor(connection)[object];
      const referenced = object === 'client' && connection.clientSync === 'referenced' ? mirrors.referencedClientIds(connection.id) : undefined;
      const admit = referenced ? (externalId: string) => referenced.has(externalId) : undefined;

      let page = opened.page;
      let previousIds: string[] | null = null;
      for (let n = 0; n < meta.sync.pagesPerSlice; n++) {
        if (signal.aborted) return { done: false, run };
        const before = deps.limiterStats(connection.id);
        const waited = (): LimiterWaits => {
          const after = deps.limiterStats(connection.id);
          return { waits: after.waits - before.waits, waitMs: Math.round(after.waitMs - before.waitMs) };
        };
        let records: BqeRecord[];
        try {
          records = await client.listPage({ page, ...(where ? { where } : {}), orderByCursor: true, signal, log });
        } catch (err) {
          const { waits, waitMs } = waited();
          const counts = { requests: 1, rateWaits: waits, rateWaitMs: waitMs };
          if (signal.aborted) {
            run = syncRepo.addToRun(run.id, counts);
            return { done: false, run };
          }
          return fail(run, err, counts, log);
        }
        const waits = waited();
        let committed: { run: SyncRun; promotions: Promotion[] };
        try {
          committed = deps.tx(() => commitPage({ run, connection: withOffset, page, records, previousIds, admit, waits }));
        } catch (err) {
          return fail(run, err, { requests: 1, rateWaits: waits.waits, rateWaitMs: waits.waitMs }, log);
        }
        run = committed.run;
        for (const p of committed.promotions) log.info({ connection: connection.id, object, legacyId: p.legacyId, externalId: p.externalId, runId: run.id }, 'bqe legacy id promoted');
        progress(run);
        if (records.length < pageSize) return complete(run, connection, log);
        previousIds = records.map((r) => r.id);
        page++;
      }
      return { done: false, run };
    },
  };
};

export type ObjectSync = ReturnType<typeof createObjectSync>;
