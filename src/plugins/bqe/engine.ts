import { AppError, notFound } from '../../errors.js';
import { assertRole, type Actor } from '../../platform/actor.js';
import type { PluginContext } from '../plugin-api.js';
import { createBqeApi } from './api/bqe-api.js';
import { createBqeClientsClient } from './api/clients-client.js';
import { createBqeProbes } from './api/probes.js';
import { createBqeProjectsClient } from './api/projects-client.js';
import { createConnectionService } from './connections/connection-service.js';
import { createConnectionRepository } from './db/connection-repository.js';
import { createMirrorRepository } from './db/mirror-repository.js';
import { bqeDb } from './db/plugin-db.js';
import { createSyncRepository, type SyncObject } from './db/sync-repository.js';
import { authorizeUrl } from './oauth/oauth-client.js';
import { hashState, newAuthorization } from './oauth/pkce.js';
import { createTokenManager } from './oauth/token-manager.js';
import type { ProviderMetadata } from './provider.js';
import { createRateLimiter } from './rate-limiter.js';
import { createObjectSync } from './sync/object-sync.js';
import { OFFSET_CHANGED } from './sync/sync-errors.js';
import { createSyncScheduler, createSyncTask, syncedObjects } from './sync/sync-task.js';

/**
 * The BQE plugin's composition root: one rate limiter and token manager for
 * every connection (the provider-wide throttle and single-flight refresh
 * need to see them all), the API clients over them, sync and the services
 * the pages and the API call.
 */
export const createBqeEngine = (ctx: PluginContext, meta: ProviderMetadata, options: { fetch?: typeof fetch } = {}) => {
  const db = bqeDb(ctx.db);
  const repo = createConnectionRepository(db, ctx.secrets);
  const mirrors = createMirrorRepository(db);
  const syncRepo = createSyncRepository(db);
  const logger = ctx.logger.child({ component: 'bqe' });
  const limiter = createRateLimiter({ perConnection: meta.rateLimits.perConnection, provider: meta.rateLimits.provider, spacingMarginMs: meta.rateLimits.spacingMarginMs, logger });
  const tokens = createTokenManager({ meta, repo, clock: ctx.clock, logger, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const api = createBqeApi({ meta, tokens, limiter, logger, ...(options.fetch ? { fetch: options.fetch } : {}) });

  const objectSync = createObjectSync({
    meta,
    mirrors,
    syncRepo,
    tx: ctx.tx,
    clock: ctx.clock,
    bus: ctx.events,
    logger,
    clientsFor: (connection) => {
      const connectionApi = api.forConnection(connection);
      return { project: createBqeProjectsClient(connectionApi, meta), client: createBqeClientsClient(connectionApi, meta) };
    },
    limiterStats: (connectionId) => limiter.stats(connectionId),
  });
  const scheduler = createSyncScheduler({ syncRepo, clock: ctx.clock });
  const syncTask = createSyncTask({ connections: repo, objectSync, syncRepo });

  const connections = createConnectionService({
    meta,
    repo,
    oauth: {
      newAuthorization,
      hashState,
      authorizeUrl: (connection, input) => authorizeUrl({ identityUrl: connection.identityUrl, clientId: connection.clientId, redirectUri: input.redirectUri, scopes: input.scopes, state: input.state, codeChallenge: input.challenge }, meta),
      exchangeCode: (connection, input, log) => tokens.exchangeCode(connection, input, log),
      revoke: (connectionId, log) => tokens.revoke(connectionId, log),
    },
    probe: async (connection, log) => {
      const probes = createBqeProbes(api.forConnection(connection), meta);
      await probes.activityProbe({ log });
      return probes.connectionProbe({ log });
    },
    resetCursors: (connectionId) => {
      syncRepo.resetCursors(connectionId, ctx.clock.now(), OFFSET_CHANGED);
    },
    audit: ctx.audit,
    tx: ctx.tx,
    clock: ctx.clock,
    baseUrl: ctx.config.baseUrl,
    logger,
  });

  return {
    meta,
    connections,
    mirrors,
    syncRepo,
    syncTask,
    limiterStats: (connectionId?: number) => limiter.stats(connectionId),

    /** Queues a sync of every object the connection mirrors (operator and up); a full one also sweeps for deletions. */
    async syncNow(actor: Actor, connectionId: number, request: { full: boolean }): Promise<{ queued: SyncObject[] }> {
      assertRole(actor, 'operator', 'start a BQE sync');
      const connection = repo.get(connectionId);
      if (!connection) throw notFound(`BQE connection ${connectionId} does not exist (it may have been deleted).`);
      if (!connection.syncEnabled) throw new AppError(409, 'bqe_sync_disabled', `Sync is switched off for “${connection.name}”; switch it on in the sync settings first.`);
      const blocker = connections.syncBlocker(connection);
      if (blocker) throw new AppError(409, 'bqe_cannot_sync', `“${connection.name}” cannot sync: ${blocker}`);
      const objects = syncedObjects(connection);
      for (const object of objects) await scheduler.queueSync(ctx.queue, connectionId, object, 'manual', request);
      ctx.audit.record(actor, { action: request.full ? 'bqe.sync.full' : 'bqe.sync.now', targetType: 'bqe_connection', targetId: connectionId, after: { objects } });
      return { queued: objects };
    },

    /** The domain tick: a delta slice for each connection that can sync. */
    tick: () => scheduler.tickWork({ connections: repo.list(), queue: ctx.queue }),
  };
};

export type BqeEngine = ReturnType<typeof createBqeEngine>;
