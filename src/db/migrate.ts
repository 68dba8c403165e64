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

/**
 * Reverts the most recent applied migration with its `down/<tag>.sql`, in
 * one transaction; a migration without a down file is refused by name.
 */
export const rollbackLastMigration = (handle: DbHandle, migrationsDir = MIGRATIONS_DIR): string => {
  const status = migrationStatus(handle, migrationsDir);
  if (status.applied === 0) throw new StartupError('no migration is applied, so there is nothing to roll back');
  const entry = readJournal(migrationsDir).entries[status.applied - 1];
  if (!entry) throw new StartupError(`database ${handle.file} has more migrations applied than this build knows; run the newer version`);
  const downFile = path.join(migrationsDir, 'down', `${entry.tag}.sql`);
  if (!fs.existsSync(downFile)) throw new StartupError(`migration ${entry.tag} cannot be rolled back: it has no ${path.relative(migrationsDir, downFile)}; restore a backup instead`);
  const statements = fs
    .readFileSync(downFile, 'utf8')
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter((s) => s.replace(/^--.*$/gm, '').trim() !== '');
  handle.sqlite.transaction(() => {
    for (const statement of statements) handle.sqlite.exec(statement);
    // drizzle's id column is not an integer key in SQLite; it finds the latest migration by created_at, and so do we.
    handle.sqlite.prepare('DELETE FROM __drizzle_migrations WHERE rowid = (SELECT rowid FROM __drizzle_migrations ORDER BY created_at DESC, rowid DESC LIMIT 1)').run();
  })();
  return entry.tag;
};
