import { checkpointWal, incrementalVacuum } from '../db/upkeep.js';
import type { DbHandle } from '../db/connection.js';
import type { TaskList } from '../jobs/index.js';
import type { JobsService } from '../jobs/jobs-service.js';
import type { AuditService } from './audit.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { PlatformSettings } from './platform-settings.js';

const DAY_MS = 86_400_000;
const VACUUM_PAGES = 2000;

interface Deps {
  handle: DbHandle;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  jobs: JobsService;
  settings: () => PlatformSettings;
  pruneSessions: () => number;
  pruneLoginFailures: () => number;
  /** Expired API nonces, and previous API secrets kept past their use. */
  pruneApiAuth: () => { nonces: number; retiredSecrets: number };
}

/**
 * Every built-in upkeep task in one list, with its schedule, so a
 * self-hosted SQLite file never grows without bound.
 */
export const maintenanceTasks = (deps: Deps): { tasks: TaskList; crontab: string } => ({
  tasks: {
    'maintenance.prune_history': async () => {
      const s = deps.settings();
      const removed = {
        audit: deps.audit.pruneOlderThan(deps.clock.now() - s.auditRetentionDays * DAY_MS),
        jobStats: deps.jobs.pruneStats(s.jobHistoryRetentionDays),
        sessions: deps.pruneSessions(),
        loginFailures: deps.pruneLoginFailures(),
      };
      deps.logger.info(removed, 'history pruned');
    },
    // Every signed API request stores a nonce for up to two minutes; pruning often keeps that table small.
    'maintenance.prune_api_auth': async () => {
      const removed = deps.pruneApiAuth();
      if (removed.nonces || removed.retiredSecrets) deps.logger.info(removed, 'api nonces and retired secrets pruned');
    },
    'maintenance.incremental_vacuum': async () => {
      const freed = incrementalVacuum(deps.handle, VACUUM_PAGES);
      if (freed) deps.logger.info({ pages: freed }, 'free pages returned to the file system');
    },
    'maintenance.wal_checkpoint': async () => {
      const result = checkpointWal(deps.handle);
      if (result.busy) deps.logger.warn(result, 'WAL checkpoint could not finish; readers were busy');
    },
  },
  crontab: [
    '17 3 * * * maintenance.prune_history ?fill=1d&max=3',
    '41 * * * * maintenance.incremental_vacuum ?max=3',
    '*/5 * * * * maintenance.wal_checkpoint ?max=1',
    '*/10 * * * * maintenance.prune_api_auth ?max=1',
  ].join('\n'),
});
