import type { DbHandle } from './connection.js';

/** Returns up to `pages` free pages to the file system (the database uses incremental auto-vacuum). */
export const incrementalVacuum = (handle: DbHandle, pages: number): number => {
  const before = handle.sqlite.pragma('freelist_count', { simple: true }) as number;
  handle.sqlite.pragma(`incremental_vacuum(${Math.max(1, Math.floor(pages))})`);
  return before - (handle.sqlite.pragma('freelist_count', { simple: true }) as number);
};

/** Copies the WAL into the database and truncates it, so the -wal file cannot grow without bound. */
export const checkpointWal = (handle: DbHandle): { busy: number; log: number; checkpointed: number } => {
  const [row] = handle.sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  return row ?? { busy: 0, log: 0, checkpointed: 0 };
};
