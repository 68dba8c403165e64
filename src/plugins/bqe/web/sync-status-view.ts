import type { Connection } from '../db/connection-repository.js';
import type { SyncRun } from '../db/sync-repository.js';
import { OBJECT_NAMES, type ObjectName } from '../provider.js';
import { WAIT_REASONS } from '../rate-limiter.js';
import type { BqeWebDeps } from './bqe-web-deps.js';

export interface ObjectStatus {
  object: ObjectName;
  label: string;
  /** The run in progress, if any. */
  running: SyncRun | undefined;
  latest: SyncRun | undefined;
  lastSuccess: SyncRun | undefined;
  cursor: string | null;
  fullRequested: boolean;
  lastFullSyncAt: number | null;
  mirrored: { active: number; deleted: number };
  /** Why this object is not synced at all (clients with the client-sync policy off), else null. */
  skipped: string | null;
}

const REASON_LABELS: Record<(typeof WAIT_REASONS)[number], string> = {
  connection_rate: 'this connection’s per-minute cap',
  provider_rate: 'the cap across all connections',
  connection_concurrency: 'this connection’s concurrency limit',
  provider_concurrency: 'the concurrency limit across connections',
  retry_after: 'BQE’s Retry-After (429)',
};

/** Everything the sync status panel shows for one connection, read from the database and the limiter. */
export const syncStatus = (deps: BqeWebDeps, connection: Connection) => {
  const cursors = deps.syncRepo.cursors(connection.id);
  const objects: ObjectStatus[] = OBJECT_NAMES.map((object) => {
    const runs = deps.syncRepo.history(connection.id, { object, limit: deps.meta.sync.historyKept });
    const cursor = cursors.find((c) => c.object === object);
    const latest = runs[0];
    return {
      object,
      label: deps.meta.objects[object].label,
      running: latest?.status === 'running' ? latest : undefined,
      latest,
      lastSuccess: runs.find((r) => r.status === 'succeeded'),
      cursor: cursor?.cursor ?? null,
      fullRequested: cursor?.fullRequested ?? false,
      lastFullSyncAt: cursor?.lastFullSyncAt ?? null,
      mirrored: object === 'project' ? deps.mirrors.projectCounts(connection.id) : deps.mirrors.clientCounts(connection.id),
      skipped: object === 'client' && connection.clientSync === 'off' ? 'Client sync is off in the sync settings.' : null,
    };
  });
  const limiter = deps.limiterStats(connection.id);
  return {
    objects,
    blocker: deps.connections.syncBlocker(connection),
    syncEnabled: connection.syncEnabled,
    limiter,
    waitReasons: WAIT_REASONS.filter((r) => limiter.byReason[r] > 0).map((r) => ({ label: REASON_LABELS[r], count: limiter.byReason[r] })),
    rateCap: deps.meta.rateLimits.perConnection,
    history: deps.syncRepo.history(connection.id, { limit: deps.meta.sync.historyKept }),
  };
};

export type SyncStatusView = ReturnType<typeof syncStatus>;

/** "1.2 s" or "850 ms"; null for a run still going. */
export const duration = (run: SyncRun): string | null => {
  if (run.finishedAt === null) return null;
  const ms = run.finishedAt - run.startedAt;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
};
