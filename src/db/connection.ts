import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { StartupError } from '../errors.js';
import * as schema from './schema/index.js';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DbHandle {
  sqlite: Database.Database;
  db: Db;
  file: string;
  close(): void;
}

export const DB_FILE_NAME = 'switchyard.db';

/** Makes sure the data dir exists and is writable, with a message that says what to fix. */
export const prepareDataDir = (dataDir: string): void => {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    // A file in the way is reported as EEXIST; the folder check below names that problem plainly.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new StartupError(`data dir ${dataDir} cannot be created (${(err as NodeJS.ErrnoException).code ?? 'error'}): create it or set HUB_DATA_DIR to a writable folder`, { cause: err });
    }
  }
  if (!fs.statSync(dataDir).isDirectory()) {
    throw new StartupError(`data dir ${dataDir} is not a folder: set HUB_DATA_DIR to a folder`);
  }
  try {
    fs.accessSync(dataDir, fs.constants.R_OK | fs.constants.W_OK);
  } catch (err) {
    throw new StartupError(`data dir ${dataDir} is not writable by this user: fix its permissions or set HUB_DATA_DIR to a writable folder`, { cause: err });
  }
};

/**
 * Pragmas are set deliberately and in this order: busy_timeout first so every
 * later statement already waits on a lock instead of failing, then space
 * reclamation, then the journal and durability settings, then integrity.
 */
export const applyPragmas = (sqlite: Database.Database): void => {
  sqlite.pragma('busy_timeout = 5000');
  // auto_vacuum only changes on an empty database (or after VACUUM); new data dirs get it from the start.
  // It must come before journal_mode: switching to WAL writes page 1, and the file is no longer empty.
  const pages = sqlite.pragma('page_count', { simple: true }) as number;
  if (pages === 0) sqlite.pragma('auto_vacuum = INCREMENTAL');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
};

export const openDatabase = (dataDir: string): DbHandle => {
  prepareDataDir(dataDir);
  const file = path.join(dataDir, DB_FILE_NAME);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file);
    applyPragmas(sqlite);
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StartupError(`database ${file} is not a readable SQLite database (${code}): restore it from a backup or move it aside to start empty`, { cause: err });
    }
    if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_IOERR_WRITE') {
      throw new StartupError(`database ${file} cannot be opened for writing (${code}): check the file's owner and permissions`, { cause: err });
    }
    throw new StartupError(`database ${file} cannot be opened: ${(err as Error).message}`, { cause: err });
  }
  const db = drizzle(sqlite, { schema });
  return { sqlite, db, file, close: () => sqlite.close() };
};
