import type { Actor } from '../../../platform/actor.js';
import type { ConnectionService } from '../connections/connection-service.js';
import type { MirrorRepository } from '../db/mirror-repository.js';
import type { SyncRepository } from '../db/sync-repository.js';
import type { ProviderMetadata } from '../provider.js';
import type { RateLimiterStats } from '../rate-limiter.js';

/** What the admin pages use of the BQE engine; the plugin passes the engine itself. */
export interface BqeWebDeps {
  meta: ProviderMetadata;
  connections: Pick<
    ConnectionService,
    | 'redirectUri'
    | 'list'
    | 'get'
    | 'require'
    | 'consent'
    | 'syncBlocker'
    | 'create'
    | 'update'
    | 'remove'
    | 'saveUtcOffset'
    | 'saveSyncPolicy'
    | 'startAuthorization'
    | 'completeAuthorization'
    | 'disconnect'
    | 'test'
  >;
  mirrors: Pick<MirrorRepository, 'searchProjects' | 'searchClients' | 'rootProjects' | 'childProjects' | 'childCounts' | 'findProject' | 'findClient' | 'projectCounts' | 'clientCounts'>;
  syncRepo: Pick<SyncRepository, 'history' | 'latestRun' | 'cursors'>;
  /** Queues a sync of every object of the connection now (operator or higher); `full` walks every page. */
  syncNow(actor: Actor, connectionId: number, options: { full: boolean }): Promise<{ queued: string[] }>;
  /** The connection's rate limiter figures since the hub started. */
  limiterStats(connectionId: number): Pick<RateLimiterStats, 'requests' | 'waits' | 'waitMs' | 'byReason'>;
}
