import type Database from 'better-sqlite3';

/**
 * Gives locked jobs back to the queue: jobs a worker claimed but never
 * started (their attempt is not counted), and jobs left locked by a process
 * that died or overran the lock timeout (their attempt stands).
 */
export const prepareReleaseJobs = (sqlite: Database.Database) => {
  const unstarted = sqlite.prepare<[number, string]>(
    'UPDATE jobs SET locked_at = NULL, locked_by = NULL, attempts = max(attempts - 1, 0), updated_at = ? WHERE id IN (SELECT value FROM json_each(?))',
  );
  const unlockQueues = sqlite.prepare<[string]>('UPDATE job_queues SET locked_at = NULL, locked_by = NULL WHERE queue_name IN (SELECT value FROM json_each(?))');
  const stale = sqlite.prepare<{ worker: string; before: number; now: number }, { id: number; queue_name: string | null }>(
    `UPDATE jobs SET locked_at = NULL, locked_by = NULL, updated_at = @now
     WHERE locked_at IS NOT NULL AND (locked_by <> @worker OR locked_at < @before)
     RETURNING id, queue_name`,
  );
  const staleQueues = sqlite.prepare<{ worker: string; before: number }>(
    'UPDATE job_queues SET locked_at = NULL, locked_by = NULL WHERE locked_at IS NOT NULL AND (locked_by <> @worker OR locked_at < @before)',
  );
  const abandoned = sqlite.prepare<[number, string]>('UPDATE jobs SET locked_at = NULL, locked_by = NULL, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))');
  const queuesOf = (rows: { queue_name: string | null }[]): string => JSON.stringify(rows.filter((r) => r.queue_name !== null).map((r) => r.queue_name));
  return {
    /** Claimed but never started: the attempt is given back. */
    unstarted: sqlite.transaction((rows: { id: number; queue_name: string | null }[], now: number) => {
      if (rows.length === 0) return;
      unstarted.run(now, JSON.stringify(rows.map((r) => r.id)));
      unlockQueues.run(queuesOf(rows));
    }),
    /** Started but still running at shutdown: the attempt stands. */
    abandoned: sqlite.transaction((rows: { id: number; queue_name: string | null }[], now: number) => {
      if (rows.length === 0) return;
      abandoned.run(now, JSON.stringify(rows.map((r) => r.id)));
      unlockQueues.run(queuesOf(rows));
    }),
    /** Locks held by other workers (dead processes; the hub runs one worker process per data dir) or older than the lock timeout. */
    stale: sqlite.transaction((worker: string, before: number, now: number): number => {
      const rows = stale.all({ worker, before, now });
      staleQueues.run({ worker, before });
      return rows.length;
    }).immediate as (worker: string, before: number, now: number) => number,
  };
};
