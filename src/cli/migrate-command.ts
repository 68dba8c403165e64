import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrationStatus, rollbackLastMigration, runMigrations } from '../db/migrate.js';

/** Applies pending migrations and exits; `--status` only reports; `--down` reverts the latest one. */
export const migrateCommand = (args: { status: boolean; down?: boolean }, out: (line: string) => void): void => {
  const config = loadConfig();
  const handle = openDatabase(config.dataDir);
  try {
    if (args.status) {
      const s = migrationStatus(handle);
      out(`${s.applied} of ${s.known} migrations applied${s.pending.length ? `; pending: ${s.pending.join(', ')}` : ''}`);
      return;
    }
    if (args.down) {
      out(`rolled back: ${rollbackLastMigration(handle)}`);
      return;
    }
    const applied = runMigrations(handle);
    out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    handle.close();
  }
};
