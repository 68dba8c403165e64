import type Database from 'better-sqlite3';

/** The last tick run per cron entry, so a restart neither repeats nor (beyond `fill`) backfills ticks. */
export const prepareKnownCrontabs = (sqlite: Database.Database) => {
  const ensure = sqlite.prepare<[string, number]>('INSERT INTO known_crontabs (identifier, known_since, last_execution) VALUES (?, ?, NULL) ON CONFLICT (identifier) DO NOTHING');
  const get = sqlite.prepare<[string], { known_since: number; last_execution: number | null }>('SELECT known_since, last_execution FROM known_crontabs WHERE identifier = ?');
  const advance = sqlite.prepare<[number, string, number]>('UPDATE known_crontabs SET last_execution = ? WHERE identifier = ? AND (last_execution IS NULL OR last_execution < ?)');
  return {
    ensure: (identifier: string, now: number) => ensure.run(identifier, now),
    get: (identifier: string) => get.get(identifier),
    /** True when this call moved the entry to `tick`; false when that tick was already run. */
    advance: (identifier: string, tick: number): boolean => advance.run(tick, identifier, tick).changes === 1,
  };
};
