import type Database from 'better-sqlite3';
import type { JobRow } from '../types.js';

/**
 * Claims up to `limit` ready jobs of a pool, best first (priority, run_at, id),
 * and must run inside an immediate transaction (the caller's, so completions
 * can share it). A named queue gives at most one job per claim
 * and is locked until that job completes, so its jobs run one at a time, in order.
 */
export const prepareClaimJobs = (sqlite: Database.Database) => {
  const candidates = sqlite.prepare<{ pool: string; now: number; limit: number }, { id: number; queue_name: string | null }>(
    `SELECT id, queue_name FROM jobs INDEXED BY jobs_ready_idx
     WHERE pool = @pool AND locked_at IS NULL AND attempts < max_attempts AND run_at <= @now
       AND (queue_name IS NULL OR queue_name NOT IN (SELECT queue_name FROM job_queues WHERE locked_at IS NOT NULL))
     ORDER BY priority, run_at, id
     LIMIT @limit`,
  );
  const lockJobs = sqlite.prepare<{ ids: string; now: number; worker: string }, JobRow>(
    `UPDATE jobs SET locked_at = @now, locked_by = @worker, attempts = attempts + 1, updated_at = @now
     WHERE id IN (SELECT value FROM json_each(@ids))
     RETURNING *`,
  );
  const lockQueue = sqlite.prepare<{ queue: string; now: number; worker: string }>(
    `INSERT INTO job_queues (queue_name, locked_at, locked_by) VALUES (@queue, @now, @worker)
     ON CONFLICT (queue_name) DO UPDATE SET locked_at = excluded.locked_at, locked_by = excluded.locked_by`,
  );

  const claim = (pool: string, worker: string, now: number, limit: number): JobRow[] => {
    const rows = candidates.all({ pool, now, limit });
    if (rows.length === 0) return [];
    const ids: number[] = [];
    const queues = new Set<string>();
    for (const row of rows) {
      if (row.queue_name === null) ids.push(row.id);
      else if (!queues.has(row.queue_name)) {
        queues.add(row.queue_name);
        ids.push(row.id);
      }
    }
    for (const queue of queues) lockQueue.run({ queue, now, worker });
    const locked = lockJobs.all({ ids: JSON.stringify(ids), now, worker });
    // RETURNING gives no order; workers start jobs best first.
    return locked.sort((a, b) => a.priority - b.priority || a.run_at - b.run_at || a.id - b.id);
  };

  return claim;
};
