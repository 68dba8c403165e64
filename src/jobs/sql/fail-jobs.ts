import type Database from 'better-sqlite3';

export interface Failure {
  id: number;
  queueName: string | null;
  attempt: number;
  message: string;
  /** When the next attempt may run (ignored when final). */
  retryAt: number;
  /** No more attempts: the job stays as a dead job. */
  final: boolean;
  at: number;
}

/** Records a failed attempt: the error joins the job's history, and the job waits for its retry or stays dead. */
export const prepareFailJobs = (sqlite: Database.Database) => {
  const fail = sqlite.prepare<{ id: number; run_at: number; message: string; entry: string; final: 0 | 1; at: number }>(
    `UPDATE jobs SET locked_at = NULL, locked_by = NULL, run_at = @run_at, last_error = @message,
       errors = json_insert(errors, '$[#]', json(@entry)),
       attempts = CASE WHEN @final = 1 THEN max(attempts, max_attempts) ELSE attempts END,
       max_attempts = CASE WHEN @final = 1 THEN max(attempts, max_attempts) ELSE max_attempts END,
       updated_at = @at
     WHERE id = @id`,
  );
  const unlockQueue = sqlite.prepare<[string]>('UPDATE job_queues SET locked_at = NULL, locked_by = NULL WHERE queue_name = ?');
  return (failures: Failure[]): void => {
    for (const f of failures) {
      fail.run({ id: f.id, run_at: f.final ? f.at : f.retryAt, message: f.message, entry: JSON.stringify({ attempt: f.attempt, at: f.at, message: f.message }), final: f.final ? 1 : 0, at: f.at });
      if (f.queueName !== null) unlockQueue.run(f.queueName);
    }
  };
};
