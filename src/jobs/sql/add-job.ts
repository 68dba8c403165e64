import type Database from 'better-sqlite3';
import type { JobKeyMode, JobRow } from '../types.js';

export interface NewJob {
  task_identifier: string;
  /** Set when a worker in this process takes the job as it is inserted (its first attempt starts now). */
  locked_by: string | null;
  pool: string;
  queue_name: string | null;
  payload: string;
  priority: number;
  run_at: number;
  max_attempts: number;
  key: string | null;
  now: number;
}

/**
 * Inserts a job, applying graphile-worker's job-key modes: `replace` updates
 * a waiting job with the same key, `preserve_run_at` does too but keeps its
 * run time, `unsafe_dedupe` returns the existing job untouched. A job with the
 * key that is running keeps running without its key, and the new job takes it.
 */
export const prepareAddJob = (sqlite: Database.Database) => {
  const insert = sqlite.prepare<NewJob, JobRow>(
    `INSERT INTO jobs (task_identifier, pool, queue_name, payload, priority, run_at, attempts, max_attempts, errors, key, locked_at, locked_by, created_at, updated_at)
     VALUES (@task_identifier, @pool, @queue_name, @payload, @priority, @run_at, 0, @max_attempts, '[]', @key, NULL, NULL, @now, @now)
     RETURNING *`,
  );
  const insertPlain = sqlite.prepare<NewJob>(
    `INSERT INTO jobs (task_identifier, pool, queue_name, payload, priority, run_at, attempts, max_attempts, errors, key, locked_at, locked_by, created_at, updated_at)
     VALUES (@task_identifier, @pool, @queue_name, @payload, @priority, @run_at, CASE WHEN @locked_by IS NULL THEN 0 ELSE 1 END, @max_attempts, '[]', NULL,
             CASE WHEN @locked_by IS NULL THEN NULL ELSE @now END, @locked_by, @now, @now)`,
  );
  /** Builds the stored row without reading it back: every column is known once the id is. */
  const plainRow = (job: NewJob): JobRow => {
    const id = Number(insertPlain.run(job).lastInsertRowid);
    const locked = job.locked_by !== null;
    return {
      id,
      task_identifier: job.task_identifier,
      pool: job.pool,
      queue_name: job.queue_name,
      payload: job.payload,
      priority: job.priority,
      run_at: job.run_at,
      attempts: locked ? 1 : 0,
      max_attempts: job.max_attempts,
      last_error: null,
      errors: '[]',
      key: null,
      locked_at: locked ? job.now : null,
      locked_by: job.locked_by,
      created_at: job.now,
      updated_at: job.now,
    };
  };
  const byKey = sqlite.prepare<[string], JobRow>('SELECT * FROM jobs WHERE key = ?');
  const releaseKey = sqlite.prepare<[number, number]>('UPDATE jobs SET key = NULL, updated_at = ? WHERE id = ?');
  const replace = sqlite.prepare<NewJob & { id: number; keep_run_at: 0 | 1 }, JobRow>(
    `UPDATE jobs SET task_identifier = @task_identifier, pool = @pool, queue_name = @queue_name, payload = @payload,
       priority = @priority, run_at = CASE WHEN @keep_run_at = 1 THEN run_at ELSE @run_at END,
       attempts = 0, max_attempts = @max_attempts, last_error = NULL, errors = '[]', created_at = @now, updated_at = @now
     WHERE id = @id RETURNING *`,
  );

  const addOne = (job: NewJob, mode: JobKeyMode): JobRow => {
    if (job.key === null) return plainRow(job);
    const existing = byKey.get(job.key);
    if (!existing) return insert.get(job)!;
    if (mode === 'unsafe_dedupe') return existing;
    if (existing.locked_at !== null) {
      releaseKey.run(job.now, existing.id);
      return insert.get(job)!;
    }
    return replace.get({ ...job, id: existing.id, keep_run_at: mode === 'preserve_run_at' ? 1 : 0 })!;
  };

  return {
    /** One job in its own (immediate) transaction. */
    one: sqlite.transaction(addOne).immediate as (job: NewJob, mode: JobKeyMode) => JobRow,
    /** Many jobs in one transaction: all stored, or none. */
    many: sqlite.transaction((list: { job: NewJob; mode: JobKeyMode }[]) => list.map((j) => addOne(j.job, j.mode))).immediate as (list: { job: NewJob; mode: JobKeyMode }[]) => JobRow[],
    /** The common case needs no transaction: a single INSERT is atomic. */
    insertWithoutKey: plainRow,
  };
};

export type AddJobStatements = ReturnType<typeof prepareAddJob>;
