import crypto from 'node:crypto';
import pino from 'pino';
import type { DbHandle } from '../../../../src/db/connection.js';
import { transactionRunner } from '../../../../src/db/transaction.js';
import { ManualClock } from '../../../../src/platform/clock.js';
import { EventBus, type EventMap } from '../../../../src/platform/events.js';
import { SecretBox } from '../../../../src/platform/secrets.js';
import { createBqeApi } from '../../../../src/plugins/bqe/api/bqe-api.js';
import { createBqeClientsClient } from '../../../../src/plugins/bqe/api/clients-client.js';
import { createBqeProjectsClient } from '../../../../src/plugins/bqe/api/projects-client.js';
import { createConnectionRepository, type Connection, type ConnectionSettings } from '../../../../src/plugins/bqe/db/connection-repository.js';
import { createMirrorRepository } from '../../../../src/plugins/bqe/db/mirror-repository.js';
import { bqeDb } from '../../../../src/plugins/bqe/db/plugin-db.js';
import { createSyncRepository, type SyncObject, type SyncRun, type SyncTrigger } from '../../../../src/plugins/bqe/db/sync-repository.js';
import { authorizeUrl } from '../../../../src/plugins/bqe/oauth/oauth-client.js';
import { newAuthorization } from '../../../../src/plugins/bqe/oauth/pkce.js';
import { createTokenManager } from '../../../../src/plugins/bqe/oauth/token-manager.js';
import { loadProvider, requiredScopes, type ProviderMetadata } from '../../../../src/plugins/bqe/provider.js';
import { createRateLimiter } from '../../../../src/plugins/bqe/rate-limiter.js';
import { createObjectSync } from '../../../../src/plugins/bqe/sync/object-sync.js';
import '../../../../src/plugins/bqe/sync/sync-events.js';
import { startBqeSimulator, type BqeSimulatorOptions } from '../../../../src/simulators/bqe/bqe-simulator.js';
import { migratedDb } from '../../../helpers/db.js';

export const START = Date.UTC(2026, 0, 14, 15);
/** US Eastern standard time: BQE timestamps come back five hours behind UTC. */
export const OFFSET = -300;

export interface SyncFixtureOptions {
  sim?: BqeSimulatorOptions;
  /** Changes a copy of provider.json (page size, slice length…). */
  meta?: (meta: ProviderMetadata) => void;
  connection?: ConnectionSettings;
  utcOffsetMinutes?: number | null;
  handle?: DbHandle;
  clock?: ManualClock;
}

/** The browser's part of Connect with BQE: the consent page redirects to the callback with a code. */
const signIn = async (identityUrl: string, clientId: string, redirectUri: string, meta: ProviderMetadata, exchange: (code: string, verifier: string, redirectUri: string) => Promise<void>) => {
  const auth = newAuthorization();
  const url = authorizeUrl({ identityUrl, clientId, redirectUri, scopes: requiredScopes(meta), state: auth.state, codeChallenge: auth.challenge }, meta);
  const res = await fetch(url, { redirect: 'manual' });
  const callback = new URL(res.headers.get('location') ?? '', redirectUri);
  const code = callback.searchParams.get('code');
  if (res.status !== 302 || !code || callback.searchParams.get('state') !== auth.state) throw new Error(`the simulator's consent page answered ${res.status} ${callback.search}`);
  await exchange(code, auth.verifier, redirectUri);
};

/**
 * The sync stack wired as the plugin wires it, against a real simulator over
 * HTTP: a connection authorised through the simulator's consent page and
 * token endpoint (PKCE, as Connect with BQE does), the token manager, rate
 * limiter and API clients, the repositories on a migrated database, and the
 * object sync. The rate caps are raised so tests do not wait out the real pacing.
 */
export const syncFixture = async (options: SyncFixtureOptions = {}) => {
  const clock = options.clock ?? new ManualClock(START);
  const handle = options.handle ?? migratedDb();
  const running = await startBqeSimulator({ port: 0, clock: () => clock.now(), rateLimitPerMinute: 0, ...options.sim });
  const meta = structuredClone(loadProvider());
  meta.rateLimits.perConnection = { requestsPerMinute: 60_000, maxConcurrency: 4 };
  meta.rateLimits.provider = { requestsPerMinute: 60_000, maxConcurrency: 8 };
  options.meta?.(meta);

  const logger = pino({ level: 'silent' });
  const db = bqeDb(handle);
  const connections = createConnectionRepository(db, new SecretBox(crypto.randomBytes(32)));
  const app = running.sim.defaultClient;
  const created = connections.create(
    { name: 'Acme Engineering', environment: 'custom', identityUrl: running.identityUrl, clientId: app.clientId, clientSecret: app.clientSecret, utcOffsetMinutes: options.utcOffsetMinutes === undefined ? OFFSET : options.utcOffsetMinutes },
    clock.now(),
  );
  const tokenManager = createTokenManager({ meta, repo: connections, clock, logger });
  await signIn(running.identityUrl, app.clientId, app.redirectUris[0] as string, meta, async (code, verifier, redirectUri) => {
    const tokens = await tokenManager.exchangeCode(created, { code, verifier, redirectUri });
    connections.saveTokens(created.id, tokens, clock.now(), { connected: true });
  });
  if (options.connection) connections.update(created.id, options.connection, clock.now());

  const limiter = createRateLimiter({ perConnection: meta.rateLimits.perConnection, provider: meta.rateLimits.provider, spacingMarginMs: meta.rateLimits.spacingMarginMs, logger });
  const api = createBqeApi({ meta, tokens: tokenManager, limiter, logger });
  const mirrors = createMirrorRepository(db);
  const syncRepo = createSyncRepository(db);
  const bus = new EventBus();
  const progress: EventMap['bqe.sync.progress'][] = [];
  bus.on('bqe.sync.progress', (e) => progress.push(e));
  const objectSync = createObjectSync({
    meta,
    mirrors,
    syncRepo,
    tx: transactionRunner(handle),
    clock,
    bus,
    logger,
    clientsFor: (connection) => {
      const conn = api.forConnection(connection);
      return { project: createBqeProjectsClient(conn, meta), client: createBqeClientsClient(conn, meta) };
    },
    limiterStats: (id) => limiter.stats(id),
  });

  const connection = (): Connection => connections.get(created.id) as Connection;
  const slice = (object: SyncObject, trigger: SyncTrigger = 'manual', signal = new AbortController().signal) => objectSync.runSlice({ connection: connection(), object, trigger, signal });

  /** Runs slices until the run is done; returns the run and how many slices it took. */
  const sync = async (object: SyncObject, trigger: SyncTrigger = 'manual'): Promise<{ run: SyncRun; slices: number }> => {
    for (let slices = 1; ; slices++) {
      const result = await slice(object, trigger);
      if (result.done) {
        if (!result.run) throw new Error(`${object} sync did not run`);
        return { run: result.run, slices };
      }
    }
  };

  /** The query of every list request the simulator saw for a resource, oldest first. */
  const listRequests = (resource: SyncObject) =>
    running.sim
      .requests()
      .filter((r) => r.path.endsWith(`/api/${resource}`))
      .map((r): Record<string, string | string[] | number | null> => ({ ...r.query, status: r.status, utcOffset: r.utcOffset }));

  const rows = (table: 'integration_external_links' | 'integration_clients') =>
    handle.sqlite.prepare(`SELECT * FROM ${table} WHERE connection_id = ? ORDER BY id`).all(created.id) as Record<string, unknown>[];

  /** A naive timestamp as the simulator renders it at the connection's offset. */
  const naive = (epochMs: number, offset = OFFSET) => new Date(epochMs + offset * 60_000).toISOString().slice(0, 19);

  return {
    clock,
    handle,
    meta,
    sim: running.sim,
    running,
    connections,
    connectionId: created.id,
    connection,
    mirrors,
    syncRepo,
    objectSync,
    limiter,
    bus,
    progress,
    logger,
    slice,
    sync,
    listRequests,
    rows,
    naive,
    async close() {
      await running.close();
      if (!options.handle) handle.close();
    },
  };
};

export type SyncFixture = Awaited<ReturnType<typeof syncFixture>>;
