import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DbHandle } from '../../src/db/connection.js';
import { runMigrations } from '../../src/db/migrate.js';

/** A migrated database in a fresh temp data dir, for tests of one service without the whole hub. */
export const migratedDb = (): DbHandle & { dataDir: string } => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-db-'));
  const handle = openDatabase(dataDir);
  runMigrations(handle);
  return Object.assign(handle, { dataDir });
};
