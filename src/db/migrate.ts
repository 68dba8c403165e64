import fs from 'node:fs';
import path from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { StartupError } from '../errors.js';
import { projectPath } from '../paths.js';
import type { DbHandle } from './connection.js';

export const MIGRATIONS_DIR = projectPath('migrations');

interface Journal {
  entries: { idx: number; tag: string }[];
}

export const readJournal = (migrationsDir = MIGRATIONS_DIR): Journal => {
  const file = path.join(migrationsDir, 'meta', '_journal.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Journal;
  } catch (err) {
    throw new StartupError(`migrations journal ${file} cannot be read: reinstall Switchyard (${(err as Error).message})`, { cause: err });
  }
};

const appliedCount = (handle: DbHandle): number => {
  const table = handle.sqlite.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'").get();
  if (!table) return 0;
  return (handle.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
};

export interface MigrationStatus {
  known: number;
  applied: number;
  pending: string[];
}

export const migrationStatus = (handle: DbHandle, migrationsDir = MIGRATIONS_DIR): MigrationStatus => {
  const journal = readJournal(migrationsDir);
  const applied = appliedCount(handle);
  return { known: journal.entries.length, applied, pending: journal.entries.slice(applied).map((e) => e.tag) };
};

/**
 * Applies pending migrations. drizzle runs them in one transaction and
 * records each in __drizzle_migrations, so a failure leaves the file as it was.
 */
export const runMigrations = (handle: DbHandle, migrationsDir = MIGRATIONS_DIR): string[] => {
  const before = migrationStatus(handle, migrationsDir);
  if (before.applied > before.known) {
    throw new StartupError(
      `database ${handle.file} has ${before.applied} migrations applied but this build knows only ${before.known}: it was used by a newer Switchyard; run that version or restore a backup`,
    );
  }
  if (before.pending.length === 0) return [];
  try {
    migrate(handle.db, { migrationsFolder: migrationsDir });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    const detail = cause?.message ?? (err as Error).message;
    throw new StartupError(
      `migration failed (pending: ${before.pending.join(', ')}): ${detail}; the database was left as it was`,
      { cause: err },
    );
  }
  return before.pending;
};
