import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The embedded queue's tables, modelled on graphile-worker's: one row per
 * pending job (succeeded jobs are deleted), named queues locked while one of
 * their jobs runs, and the last run of each cron entry.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    taskIdentifier: text('task_identifier').notNull(),
    /** Worker pool that runs the job: 'default' or 'ui_fast'. */
    pool: text('pool').notNull(),
    queueName: text('queue_name'),
    payload: text('payload').notNull(),
    priority: integer('priority').notNull(),
    runAt: integer('run_at').notNull(),
    attempts: integer('attempts').notNull(),
    maxAttempts: integer('max_attempts').notNull(),
    lastError: text('last_error'),
    /** JSON array of { attempt, at, message } for every failed attempt. */
    errors: text('errors').notNull(),
    key: text('key'),
    lockedAt: integer('locked_at'),
    lockedBy: text('locked_by'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // Partial: only jobs that can be claimed, so dead and running jobs never slow the claim.
    index('jobs_ready_idx').on(t.pool, t.priority, t.runAt, t.id).where(sql`locked_at IS NULL AND attempts < max_attempts`),
    // Partial indexes skip the common NULLs: each index a claim or completion must touch costs throughput.
    uniqueIndex('jobs_key_idx').on(t.key).where(sql`key IS NOT NULL`),
    index('jobs_queue_idx').on(t.queueName).where(sql`queue_name IS NOT NULL`),
  ],
);

export const jobQueues = sqliteTable('job_queues', {
  queueName: text('queue_name').primaryKey(),
  lockedAt: integer('locked_at'),
  lockedBy: text('locked_by'),
});

export const knownCrontabs = sqliteTable('known_crontabs', {
  identifier: text('identifier').primaryKey(),
  knownSince: integer('known_since').notNull(),
  lastExecution: integer('last_execution'),
});

/** Counts and durations per task and day, kept after succeeded jobs are removed. */
export const jobStats = sqliteTable(
  'job_stats',
  {
    taskIdentifier: text('task_identifier').notNull(),
    day: text('day').notNull(),
    succeeded: integer('succeeded').notNull(),
    failed: integer('failed').notNull(),
    dead: integer('dead').notNull(),
    totalMs: integer('total_ms').notNull(),
    maxMs: integer('max_ms').notNull(),
  },
  (t) => [uniqueIndex('job_stats_task_day').on(t.taskIdentifier, t.day)],
);
