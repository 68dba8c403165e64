import type Database from 'better-sqlite3';

export interface TaskStatDelta {
  task: string;
  day: string;
  succeeded: number;
  failed: number;
  dead: number;
  totalMs: number;
  maxMs: number;
}

/** Adds to the per-task, per-day counters that outlive the deleted job rows. */
export const prepareRecordStats = (sqlite: Database.Database) => {
  const upsert = sqlite.prepare<TaskStatDelta>(
    `INSERT INTO job_stats (task_identifier, day, succeeded, failed, dead, total_ms, max_ms)
     VALUES (@task, @day, @succeeded, @failed, @dead, @totalMs, @maxMs)
     ON CONFLICT (task_identifier, day) DO UPDATE SET
       succeeded = succeeded + excluded.succeeded, failed = failed + excluded.failed, dead = dead + excluded.dead,
       total_ms = total_ms + excluded.total_ms, max_ms = max(max_ms, excluded.max_ms)`,
  );
  return (deltas: Iterable<TaskStatDelta>): void => {
    for (const d of deltas) upsert.run(d);
  };
};
