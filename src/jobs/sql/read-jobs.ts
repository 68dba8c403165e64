import type Database from 'better-sqlite3';
import type { JobRow } from '../types.js';

export type JobState = 'queued' | 'running' | 'retrying' | 'dead';

export interface JobFilter {
  task?: string;
  queue?: string;
  pool?: string;
  state?: JobState;
  /** Matched inside the payload's values and the error history. */
  text?: string;
}

export interface JobViewRow extends JobRow {
  state: JobState;
}

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** Exact-match filter fields and the jobs_view column each one compares. */
const EXACT_COLUMNS = { task: 'task_identifier', queue: 'queue_name', pool: 'pool', state: 'state' } as const;

/** Builds the WHERE clause for a filter; values are always bound, never spliced. */
export const filterClause = (filter: JobFilter): { where: string; params: Record<string, string> } => {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  for (const [field, column] of Object.entries(EXACT_COLUMNS) as [keyof typeof EXACT_COLUMNS, string][]) {
    const value = filter[field];
    if (!value) continue;
    parts.push(`${column} = @${field}`);
    params[field] = value;
  }
  if (filter.text) {
    // json_tree walks every value in the payload, so a search for "alice" matches {"employee":{"name":"Alice"}} but not key names.
    parts.push(
      `(EXISTS (SELECT 1 FROM json_tree(payload) WHERE atom IS NOT NULL AND CAST(atom AS TEXT) LIKE @text ESCAPE '\\') OR errors LIKE @text ESCAPE '\\' OR key LIKE @text ESCAPE '\\')`,
    );
    params.text = `%${escapeLike(filter.text)}%`;
  }
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
};

/** Read queries for pages and the API, all through jobs_view. */
export const prepareReadJobs = (sqlite: Database.Database) => {
  const countsByState = sqlite.prepare<[], { state: JobState; n: number }>('SELECT state, count(*) AS n FROM jobs_view GROUP BY state');
  const countsByQueue = sqlite.prepare<[], { queue: string; state: JobState; n: number }>(
    "SELECT coalesce(queue_name, '') AS queue, state, count(*) AS n FROM jobs_view GROUP BY queue_name, state ORDER BY queue_name",
  );
  const byId = sqlite.prepare<[number], JobViewRow>('SELECT * FROM jobs_view WHERE id = ?');
  const tasks = sqlite.prepare<[], { task: string }>('SELECT DISTINCT task_identifier AS task FROM jobs_view ORDER BY 1');
  const stats = sqlite.prepare<[string], { task: string; succeeded: number; failed: number; dead: number; total_ms: number; max_ms: number }>(
    'SELECT task_identifier AS task, sum(succeeded) AS succeeded, sum(failed) AS failed, sum(dead) AS dead, sum(total_ms) AS total_ms, max(max_ms) AS max_ms FROM job_stats WHERE day >= ? GROUP BY task_identifier ORDER BY 1',
  );
  const pruneStats = sqlite.prepare<[string]>('DELETE FROM job_stats WHERE day < ?');
  const scheduled = sqlite.prepare<[number], { n: number }>("SELECT count(*) AS n FROM jobs_view WHERE state = 'queued' AND run_at > ?");

  return {
    countsByState: () => countsByState.all(),
    countsByQueue: () => countsByQueue.all(),
    /** Queued jobs whose run time is still ahead of `now`. */
    countScheduled: (now: number) => scheduled.get(now),
    byId: (id: number) => byId.get(id),
    tasks: () => tasks.all().map((r) => r.task),
    list(filter: JobFilter, limit: number, offset: number): { rows: JobViewRow[]; total: number } {
      const { where, params } = filterClause(filter);
      const rows = sqlite.prepare(`SELECT * FROM jobs_view ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`).all({ ...params, limit, offset }) as JobViewRow[];
      const total = (sqlite.prepare(`SELECT count(*) AS n FROM jobs_view ${where}`).get(params) as { n: number }).n;
      return { rows, total };
    },
    /** Ids matching a filter, oldest first, excluding running jobs (they cannot be changed). */
    idsMatching(filter: JobFilter, afterId: number, limit: number): number[] {
      const { where, params } = filterClause(filter);
      const clause = `${where ? `${where} AND` : 'WHERE'} state <> 'running' AND id > @after`;
      return (sqlite.prepare(`SELECT id FROM jobs_view ${clause} ORDER BY id LIMIT @limit`).all({ ...params, after: afterId, limit }) as { id: number }[]).map((r) => r.id);
    },
    stats: (sinceDay: string) => stats.all(sinceDay),
    pruneStats: (beforeDay: string) => pruneStats.run(beforeDay).changes,
  };
};
