import type { DbHandle } from '../db/connection.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events.js';
import { JobSpecError } from './errors.js';
import { serializePayload } from './payload.js';
import { prepareAddJob, type NewJob } from './sql/add-job.js';
import { prepareAdminJobs } from './sql/admin-jobs.js';
import { JOB_KEY_MODES, POOLS, toJob, type Job, type JobKeyMode, type JobRow, type JobSpec, type PoolName } from './types.js';

export const DEFAULT_MAX_ATTEMPTS = 25;

const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,128}$/;

/** How a worker pool takes a job straight from addJob: reserve a slot, then accept the inserted row (or cancel). */
export interface JobTaker {
  reserve(): string | null;
  accept(row: JobRow): void;
  cancel(): void;
}

/** A job found by its key, as pages show it: its state and every failed attempt. */
export interface KeyedJob {
  job: Job;
  state: 'queued' | 'running' | 'retrying' | 'dead';
  errors: { attempt: number | null; at: number; message: string }[];
}

export interface RescheduleOptions {
  runAt?: Date;
  attempts?: number;
  priority?: number;
}

/**
 * The queue's write side: adding jobs and the admin operations. Workers in
 * this process are woken the moment a ready job is added.
 */
export class JobQueue {
  readonly #add: ReturnType<typeof prepareAddJob>;
  readonly #admin: ReturnType<typeof prepareAdminJobs>;
  readonly #wakers = new Map<PoolName, (runAt: number) => void>();
  readonly #takers = new Map<PoolName, JobTaker>();

  constructor(
    handle: DbHandle,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {
    this.#add = prepareAddJob(handle.sqlite);
    this.#admin = prepareAdminJobs(handle.sqlite);
  }

  /** A worker pool registers here to hear about new jobs, and to take a ready job as it is inserted. */
  onJobAdded(pool: PoolName, wake: (runAt: number) => void, taker: JobTaker): void {
    this.#wakers.set(pool, wake);
    this.#takers.set(pool, taker);
  }

  #toNewJob(identifier: string, payload: unknown, spec: JobSpec, now: number): { job: NewJob; mode: JobKeyMode } {
    if (typeof identifier !== 'string' || !IDENTIFIER.test(identifier)) throw new JobSpecError(`task identifier must be 1-128 letters, digits or _ . : - (got ${JSON.stringify(identifier)})`);
    const pool = spec.pool ?? 'default';
    if (!POOLS.includes(pool)) throw new JobSpecError(`pool must be one of ${POOLS.join(', ')} (got ${JSON.stringify(pool)})`);
    const maxAttempts = spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1000) throw new JobSpecError(`maxAttempts must be a whole number from 1 to 1000 (got ${maxAttempts})`);
    const priority = spec.priority ?? 0;
    if (!Number.isInteger(priority) || Math.abs(priority) > 32767) throw new JobSpecError(`priority must be a whole number from -32767 to 32767 (got ${priority})`);
    if (spec.runAt !== undefined && (!(spec.runAt instanceof Date) || Number.isNaN(spec.runAt.getTime()))) throw new JobSpecError('runAt must be a valid Date');
    if (spec.jobKeyMode !== undefined && !JOB_KEY_MODES.includes(spec.jobKeyMode)) throw new JobSpecError(`jobKeyMode must be one of ${JOB_KEY_MODES.join(', ')}`);
    if (spec.jobKey !== undefined && (typeof spec.jobKey !== 'string' || spec.jobKey.length === 0 || spec.jobKey.length > 512)) throw new JobSpecError('jobKey must be a non-empty string of at most 512 characters');
    if (spec.queueName !== undefined && (typeof spec.queueName !== 'string' || spec.queueName.length === 0 || spec.queueName.length > 128)) throw new JobSpecError('queueName must be a non-empty string of at most 128 characters');
    return {
      job: {
        task_identifier: identifier,
        locked_by: null,
        pool,
        queue_name: spec.queueName ?? null,
        payload: serializePayload(payload),
        priority,
        run_at: spec.runAt ? spec.runAt.getTime() : now,
        max_attempts: maxAttempts,
        key: spec.jobKey ?? null,
        now,
      },
      mode: spec.jobKeyMode ?? 'replace',
    };
  }

  #announce(row: JobRow): void {
    this.events.emit('job.queued', { id: row.id, task: row.task_identifier, pool: row.pool, runAt: row.run_at });
    this.#wakers.get(row.pool as PoolName)?.(row.run_at);
  }

  addJobSync(identifier: string, payload: unknown = {}, spec: JobSpec = {}): Job {
    const { job, mode } = this.#toNewJob(identifier, payload, spec, this.clock.now());
    if (job.key !== null) {
      const row = this.#add.one(job, mode);
      this.#announce(row);
      return toJob(row);
    }
    // An idle local worker takes a plain ready job in the INSERT itself: no separate claim round trip.
    const taker = job.queue_name === null && job.run_at <= job.now ? this.#takers.get(job.pool as PoolName) : undefined;
    job.locked_by = taker?.reserve() ?? null;
    let row: JobRow;
    try {
      row = this.#add.insertWithoutKey(job);
    } catch (err) {
      if (job.locked_by !== null) taker!.cancel();
      throw err;
    }
    this.events.emit('job.queued', { id: row.id, task: row.task_identifier, pool: row.pool, runAt: row.run_at });
    if (job.locked_by !== null) taker!.accept(row);
    else this.#wakers.get(row.pool as PoolName)?.(row.run_at);
    return toJob(row);
  }

  async addJob(identifier: string, payload: unknown = {}, spec: JobSpec = {}): Promise<Job> {
    return this.addJobSync(identifier, payload, spec);
  }

  /** Adds all in one transaction: every job is stored, or (on any invalid one) none. */
  async addJobs(specs: { identifier: string; payload?: unknown; spec?: JobSpec }[]): Promise<Job[]> {
    const now = this.clock.now();
    const prepared = specs.map((s, i) => {
      try {
        return this.#toNewJob(s.identifier, s.payload ?? {}, s.spec ?? {}, now);
      } catch (err) {
        throw new JobSpecError(`job ${i}: ${(err as Error).message}`);
      }
    });
    const rows = this.#add.many(prepared);
    for (const row of rows) this.#announce(row);
    return rows.map(toJob);
  }

  /** The job holding a key, with its state and attempt history; undefined once it succeeded (and was removed) or never existed. */
  jobByKey(jobKey: string): KeyedJob | undefined {
    const row = this.#admin.jobByKey(jobKey);
    if (!row) return undefined;
    return { job: toJob(row), state: row.state as KeyedJob['state'], errors: JSON.parse(row.errors) as KeyedJob['errors'] };
  }

  async removeJob(jobKey: string): Promise<Job | undefined> {
    const row = this.#admin.removeJob(jobKey);
    return row ? toJob(row) : undefined;
  }

  async completeJobs(ids: number[]): Promise<Job[]> {
    return this.#admin.completeJobs(ids).map(toJob);
  }

  async permanentlyFailJobs(ids: number[], reason = 'marked as failed by an admin'): Promise<Job[]> {
    return this.#admin.permanentlyFailJobs(ids, reason, this.clock.now()).map(toJob);
  }

  async rescheduleJobs(ids: number[], options: RescheduleOptions): Promise<Job[]> {
    const rows = this.#admin.rescheduleJobs(ids, { runAt: options.runAt?.getTime() ?? null, attempts: options.attempts ?? null, priority: options.priority ?? null }, this.clock.now());
    for (const row of rows) this.#wakers.get(row.pool as PoolName)?.(row.run_at);
    return rows.map(toJob);
  }

  /** Runs the jobs now; a dead job gets one more attempt. */
  async retryJobs(ids: number[]): Promise<Job[]> {
    const rows = this.#admin.retryJobs(ids, this.clock.now());
    for (const row of rows) this.#wakers.get(row.pool as PoolName)?.(row.run_at);
    return rows.map(toJob);
  }
}
