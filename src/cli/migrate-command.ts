import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrationStatus, runMigrations } from '../db/migrate.js';

/** Applies pending migrations and exits; `--status` only reports. */
export const migrateCommand = (args: { status: boolean }, out: (line: string) => void): void => {
  const config = loadConfig();
  const handle = openDatabase(config.dataDir);
  try {
    if (args.status) {
      const s = migrationStatus(handle);
      out(`${s.applied} of ${s.known} migrations applied${s.pending.length ? `; pending: ${s.pending.join(', ')}` : ''}`);
      return;
    }
    const applied = runMigrations(handle);
    out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    handle.close();
  }
};
