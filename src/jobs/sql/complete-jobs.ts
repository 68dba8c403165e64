import type Database from 'better-sqlite3';

export interface Completion {
  id: number;
  queueName: string | null;
}

/** Deletes finished jobs and unlocks their named queues: succeeded jobs leave the table (graphile-worker's model). */
export const prepareCompleteJobs = (sqlite: Database.Database) => {
  const remove = sqlite.prepare<[string]>('DELETE FROM jobs WHERE id IN (SELECT value FROM json_each(?))');
  const unlockQueues = sqlite.prepare<[string]>('UPDATE job_queues SET locked_at = NULL, locked_by = NULL WHERE queue_name IN (SELECT value FROM json_each(?))');
  return (completions: Completion[]): void => {
    if (completions.length === 0) return;
    remove.run(JSON.stringify(completions.map((c) => c.id)));
    const queues = completions.filter((c) => c.queueName !== null).map((c) => c.queueName);
    if (queues.length) unlockQueues.run(JSON.stringify(queues));
  };
};
