import type { Logger } from '../platform/logger.js';

export const POOLS = ['default', 'ui_fast'] as const;
export type PoolName = (typeof POOLS)[number];

export const JOB_KEY_MODES = ['replace', 'preserve_run_at', 'unsafe_dedupe'] as const;
export type JobKeyMode = (typeof JOB_KEY_MODES)[number];

/** graphile-worker's TaskSpec, plus the pool that runs the job. */
export interface JobSpec {
  queueName?: string;
  runAt?: Date;
  maxAttempts?: number;
  priority?: number;
  jobKey?: string;
  jobKeyMode?: JobKeyMode;
  pool?: PoolName;
}

export interface Job {
  id: number;
  taskIdentifier: string;
  pool: PoolName;
  queueName: string | null;
  payload: unknown;
  priority: number;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  key: string | null;
  lockedAt: Date | null;
  lockedBy: string | null;
  createdAt: Date;
}

export type AddJobFn = (identifier: string, payload?: unknown, spec?: JobSpec) => Promise<Job>;

export interface JobHelpers {
  job: Job;
  logger: Logger;
  addJob: AddJobFn;
  /** Fired when the runner shuts down or the task times out: stop soon and let the job be retried. */
  abortSignal: AbortSignal;
}

export type Task = ((payload: unknown, helpers: JobHelpers) => void | Promise<void>) & TaskOptions;

/** Options a task may carry as properties, so a task stays a plain function (graphile-worker compatible). */
export interface TaskOptions {
  /** After this age (from the job's creation) a failure is final instead of retried. */
  maxAgeMs?: number;
  /** A run longer than this is aborted and counted as a failure. */
  timeoutMs?: number;
}

export type TaskList = Record<string, Task>;

/** Attaches options to a task function without changing how it is called. */
export const defineTask = <T extends (payload: unknown, helpers: JobHelpers) => void | Promise<void>>(fn: T, options: TaskOptions): T & TaskOptions =>
  Object.assign(fn, options);

/** Raw row as stored; the hot paths work on this shape without conversion. */
export interface JobRow {
  id: number;
  task_identifier: string;
  pool: string;
  queue_name: string | null;
  payload: string;
  priority: number;
  run_at: number;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  errors: string;
  key: string | null;
  locked_at: number | null;
  locked_by: string | null;
  created_at: number;
  updated_at: number;
}

export const toJob = (row: JobRow): Job => ({
  id: row.id,
  taskIdentifier: row.task_identifier,
  pool: row.pool as PoolName,
  queueName: row.queue_name,
  payload: JSON.parse(row.payload) as unknown,
  priority: row.priority,
  runAt: new Date(row.run_at),
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  lastError: row.last_error,
  key: row.key,
  lockedAt: row.locked_at === null ? null : new Date(row.locked_at),
  lockedBy: row.locked_by,
  createdAt: new Date(row.created_at),
});
