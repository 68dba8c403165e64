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

/** A job as tasks and callers see it; dates are made on access, since most tasks never read them. */
class StoredJob implements Job {
  readonly payload: unknown;
  constructor(private readonly row: JobRow) {
    this.payload = JSON.parse(row.payload) as unknown;
  }
  get id() { return this.row.id; }
  get taskIdentifier() { return this.row.task_identifier; }
  get pool() { return this.row.pool as PoolName; }
  get queueName() { return this.row.queue_name; }
  get priority() { return this.row.priority; }
  get runAt() { return new Date(this.row.run_at); }
  get attempts() { return this.row.attempts; }
  get maxAttempts() { return this.row.max_attempts; }
  get lastError() { return this.row.last_error; }
  get key() { return this.row.key; }
  get lockedAt() { return this.row.locked_at === null ? null : new Date(this.row.locked_at); }
  get lockedBy() { return this.row.locked_by; }
  get createdAt() { return new Date(this.row.created_at); }
  toJSON(): Record<string, unknown> {
    return { id: this.id, taskIdentifier: this.taskIdentifier, pool: this.pool, queueName: this.queueName, payload: this.payload, priority: this.priority, runAt: this.runAt, attempts: this.attempts, maxAttempts: this.maxAttempts, lastError: this.lastError, key: this.key, lockedAt: this.lockedAt, lockedBy: this.lockedBy, createdAt: this.createdAt };
  }
}

export const toJob = (row: JobRow): Job => new StoredJob(row);
