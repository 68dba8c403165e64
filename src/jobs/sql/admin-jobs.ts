import type Database from 'better-sqlite3';
import type { JobRow } from '../types.js';

/**
 * graphile-worker's admin operations, each taking a list of ids and
 * returning the rows it actually changed. Running (locked) jobs are left alone.
 */
export const prepareAdminJobs = (sqlite: Database.Database) => {
  const removeByKey = sqlite.prepare<[string], JobRow>('DELETE FROM jobs WHERE key = ? AND locked_at IS NULL RETURNING *');
  const complete = sqlite.prepare<[string], JobRow>('DELETE FROM jobs WHERE id IN (SELECT value FROM json_each(?)) AND locked_at IS NULL RETURNING *');
  const permanentlyFail = sqlite.prepare<{ ids: string; reason: string; entry: string; now: number }, JobRow>(
    `UPDATE jobs SET last_error = @reason, errors = json_insert(errors, '$[#]', json(@entry)), attempts = max_attempts, updated_at = @now
     WHERE id IN (SELECT value FROM json_each(@ids)) AND locked_at IS NULL RETURNING *`,
  );
  const reschedule = sqlite.prepare<{ ids: string; run_at: number | null; attempts: number | null; priority: number | null; now: number }, JobRow>(
    `UPDATE jobs SET run_at = coalesce(@run_at, run_at), attempts = coalesce(@attempts, attempts),
       priority = coalesce(@priority, priority), updated_at = @now
     WHERE id IN (SELECT value FROM json_each(@ids)) AND locked_at IS NULL RETURNING *`,
  );
  /** A dead job is revived by raising its attempt budget just past what it used. */
  const retryNow = sqlite.prepare<{ ids: string; now: number }, JobRow>(
    `UPDATE jobs SET run_at = @now, max_attempts = CASE WHEN attempts >= max_attempts THEN attempts + 1 ELSE max_attempts END, updated_at = @now
     WHERE id IN (SELECT value FROM json_each(@ids)) AND locked_at IS NULL RETURNING *`,
  );
  const byKey = sqlite.prepare<[string], JobRow & { state: string }>('SELECT * FROM jobs_view WHERE key = ?');
  return {
    jobByKey: (key: string): (JobRow & { state: string }) | undefined => byKey.get(key),
    removeJob: (key: string): JobRow | undefined => removeByKey.get(key),
    completeJobs: (ids: number[]): JobRow[] => complete.all(JSON.stringify(ids)),
    permanentlyFailJobs: (ids: number[], reason: string, now: number): JobRow[] =>
      permanentlyFail.all({ ids: JSON.stringify(ids), reason, entry: JSON.stringify({ attempt: null, at: now, message: reason }), now }),
    rescheduleJobs: (ids: number[], opts: { runAt: number | null; attempts: number | null; priority: number | null }, now: number): JobRow[] =>
      reschedule.all({ ids: JSON.stringify(ids), run_at: opts.runAt, attempts: opts.attempts, priority: opts.priority, now }),
    retryJobs: (ids: number[], now: number): JobRow[] => retryNow.all({ ids: JSON.stringify(ids), now }),
  };
};
