import fs from 'node:fs';
import type { DbHandle } from '../db/connection.js';
import { notFound, validationError } from '../errors.js';
import { assertRole, type Actor } from '../platform/actor.js';
import type { AuditService } from '../platform/audit.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events.js';
import type { CronEntryStatus } from './cron-scheduler.js';
import type { JobQueue } from './queue.js';
import type { JobRunner } from './runner.js';
import { prepareReadJobs, type JobFilter, type JobState, type JobViewRow } from './sql/read-jobs.js';

export const JOB_STATES: JobState[] = ['queued', 'running', 'retrying', 'dead'];
const BULK_BATCH = 500;
const DAY_MS = 86_400_000;

export interface JobView {
  id: number;
  task: string;
  pool: string;
  queue: string | null;
  /** 'scheduled' is a queued job whose run time is still ahead. */
  state: JobState | 'scheduled';
  payload: unknown;
  priority: number;
  runAt: number;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  errors: { attempt: number | null; at: number; message: string }[];
  key: string | null;
  lockedBy: string | null;
  createdAt: number;
}

export interface StorageInfo {
  databaseBytes: number;
  walBytes: number;
  freePages: number;
  pageSize: number;
}

/** What the jobs page and the API show and do; both call these functions. */
export interface JobCounts {
  byState: Record<JobState, number>;
  /** Queued jobs whose run time is still ahead (already included in byState.queued). */
  scheduled: number;
  byQueue: { queue: string | null; counts: Record<JobState, number> }[];
}

export const createJobsService = (deps: { handle: DbHandle; queue: JobQueue; runner: () => JobRunner | undefined; audit: AuditService; clock: Clock; events?: EventBus }) => {
  const read = prepareReadJobs(deps.handle.sqlite);
  /** Tells live pages (SSE) that admin actions changed jobs; the runner announces its own changes. */
  const changed = (action: 'retry' | 'delete' | 'reschedule', ids: number[]) => {
    if (ids.length) deps.events?.emit('job.changed', { action, ids });
  };

  const toView = (row: JobViewRow): JobView => ({
    id: row.id,
    task: row.task_identifier,
    pool: row.pool,
    queue: row.queue_name,
    state: row.state === 'queued' && row.run_at > deps.clock.now() ? 'scheduled' : row.state,
    payload: JSON.parse(row.payload) as unknown,
    priority: row.priority,
    runAt: row.run_at,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    errors: JSON.parse(row.errors) as JobView['errors'],
    key: row.key,
    lockedBy: row.locked_by,
    createdAt: row.created_at,
  });

  const parseIds = (ids: unknown[]): number[] => {
    const out = ids.map((v) => Number(v));
    if (out.length === 0 || out.some((n) => !Number.isInteger(n) || n <= 0)) throw validationError('Choose at least one job.', { ids: 'Job ids are positive whole numbers.' });
    return [...new Set(out)];
  };

  const ensureFilter = (filter: JobFilter): JobFilter => {
    if (filter.state && !JOB_STATES.includes(filter.state)) throw validationError('The filter is not valid.', { state: `Choose one of: ${JOB_STATES.join(', ')}.` });
    return filter;
  };

  return {
    /** Jobs per state and per queue: the cheap part of overview(), for live updates. */
    counts(): JobCounts {
      const byState = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
      for (const r of read.countsByState()) byState[r.state] = r.n;
      const queues = new Map<string, Record<JobState, number>>();
      for (const r of read.countsByQueue()) {
        const entry = queues.get(r.queue) ?? (Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>);
        entry[r.state] = r.n;
        queues.set(r.queue, entry);
      }
      return {
        byState,
        scheduled: read.countScheduled(deps.clock.now())?.n ?? 0,
        byQueue: [...queues.entries()].map(([queue, counts]) => ({ queue: queue || null, counts })),
      };
    },

    overview() {
      const runner = deps.runner();
      return {
        ...this.counts(),
        pools: runner?.pools() ?? [],
        cron: runner?.cron.status() ?? ([] as CronEntryStatus[]),
        stats: read.stats(new Date(deps.clock.now() - 7 * DAY_MS).toISOString().slice(0, 10)),
        storage: this.storage(),
      };
    },

    storage(): StorageInfo {
      const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
      return {
        databaseBytes: size(deps.handle.file),
        walBytes: size(`${deps.handle.file}-wal`),
        freePages: deps.handle.sqlite.pragma('freelist_count', { simple: true }) as number,
        pageSize: deps.handle.sqlite.pragma('page_size', { simple: true }) as number,
      };
    },

    tasks: () => read.tasks(),

    list(filter: JobFilter, page: number, pageSize = 50) {
      const { rows, total } = read.list(ensureFilter(filter), pageSize, (page - 1) * pageSize);
      return { jobs: rows.map(toView), total, pages: Math.max(1, Math.ceil(total / pageSize)) };
    },

    get(id: number): JobView {
      const row = read.byId(id);
      if (!row) throw notFound(`Job #${id} does not exist (it may have succeeded and been removed).`);
      return toView(row);
    },

    async retry(actor: Actor, ids: unknown[]): Promise<number> {
      assertRole(actor, 'operator', 'retry jobs');
      const retried = await deps.queue.retryJobs(parseIds(ids));
      deps.audit.record(actor, { action: 'jobs.retry', targetType: 'job', targetId: retried.map((j) => j.id).join(','), after: { count: retried.length } });
      changed('retry', retried.map((j) => j.id));
      return retried.length;
    },

    async remove(actor: Actor, ids: unknown[]): Promise<number> {
      assertRole(actor, 'operator', 'delete jobs');
      const removed = await deps.queue.completeJobs(parseIds(ids));
      deps.audit.record(actor, { action: 'jobs.delete', targetType: 'job', targetId: removed.map((j) => j.id).join(','), before: removed.map((j) => ({ id: j.id, task: j.taskIdentifier, attempts: j.attempts })) });
      changed('delete', removed.map((j) => j.id));
      return removed.length;
    },

    async reschedule(actor: Actor, ids: unknown[], input: { runAt?: unknown; priority?: unknown }): Promise<number> {
      assertRole(actor, 'operator', 'reschedule jobs');
      const errors: Record<string, string> = {};
      const runAt = typeof input.runAt === 'string' && input.runAt ? new Date(input.runAt) : undefined;
      if (runAt && Number.isNaN(runAt.getTime())) errors.runAt = 'Enter a date and time.';
      const priority = input.priority === undefined || input.priority === '' ? undefined : Number(input.priority);
      if (priority !== undefined && (!Number.isInteger(priority) || Math.abs(priority) > 32767)) errors.priority = 'Enter a whole number from -32767 to 32767.';
      if (!runAt && priority === undefined) errors.runAt ??= 'Enter a new run time or priority.';
      if (Object.keys(errors).length) throw validationError('The job was not rescheduled.', errors);
      const moved = await deps.queue.rescheduleJobs(parseIds(ids), { ...(runAt ? { runAt } : {}), ...(priority !== undefined ? { priority } : {}) });
      deps.audit.record(actor, { action: 'jobs.reschedule', targetType: 'job', targetId: moved.map((j) => j.id).join(','), after: { runAt: runAt?.toISOString() ?? null, priority: priority ?? null, count: moved.length } });
      changed('reschedule', moved.map((j) => j.id));
      return moved.length;
    },

    /** Applies retry or delete to every job matching the filter, in batches; running jobs are never touched. */
    async bulk(actor: Actor, action: 'retry' | 'delete', filter: JobFilter): Promise<number> {
      assertRole(actor, 'operator', `${action} jobs in bulk`);
      ensureFilter(filter);
      let after = 0;
      let count = 0;
      for (;;) {
        const ids = read.idsMatching(filter, after, BULK_BATCH);
        if (ids.length === 0) break;
        after = ids[ids.length - 1]!;
        const done = action === 'retry' ? await deps.queue.retryJobs(ids) : await deps.queue.completeJobs(ids);
        count += done.length;
        changed(action, done.map((j) => j.id));
      }
      deps.audit.record(actor, { action: `jobs.bulk_${action}`, targetType: 'job', after: { filter, count } });
      return count;
    },

    pruneStats(retentionDays: number): number {
      return read.pruneStats(new Date(deps.clock.now() - retentionDays * DAY_MS).toISOString().slice(0, 10));
    },
  };
};

export type JobsService = ReturnType<typeof createJobsService>;
