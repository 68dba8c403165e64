-- The one stable read model of the queue: pages and the API read jobs through this view, never the table.
-- State does not depend on the clock here; "scheduled" (queued with a future run_at) is decided by the reader's clock.
CREATE VIEW `jobs_view` AS
SELECT
  j.id,
  j.task_identifier,
  j.pool,
  j.queue_name,
  j.payload,
  j.priority,
  j.run_at,
  j.attempts,
  j.max_attempts,
  j.last_error,
  j.errors,
  j.key,
  j.locked_at,
  j.locked_by,
  j.created_at,
  j.updated_at,
  CASE
    WHEN j.locked_at IS NOT NULL THEN 'running'
    WHEN j.attempts >= j.max_attempts THEN 'dead'
    WHEN j.attempts > 0 THEN 'retrying'
    ELSE 'queued'
  END AS state
FROM jobs j;
