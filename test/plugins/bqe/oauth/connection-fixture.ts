import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { bqeDb } from '../../../../src/plugins/bqe/db/plugin-db.js';
import { createConnectionRepository, type ConnectionRepository, type TokenSet } from '../../../../src/plugins/bqe/db/connection-repository.js';
import { createBqeApi, type BqeApi } from '../../../../src/plugins/bqe/api/bqe-api.js';
import { authorizeUrl } from '../../../../src/plugins/bqe/oauth/oauth-client.js';
import { newAuthorization } from '../../../../src/plugins/bqe/oauth/pkce.js';
import { createTokenManager, type TokenManager } from '../../../../src/plugins/bqe/oauth/token-manager.js';
import { loadProvider, requiredScopes, type ProviderMetadata } from '../../../../src/plugins/bqe/provider.js';
import { createRateLimiter, type BQERateLimiter } from '../../../../src/plugins/bqe/rate-limiter.js';
import { ManualClock } from '../../../../src/platform/clock.js';
import { SecretBox } from '../../../../src/platform/secrets.js';
import { startBqeSimulator, type BqeSimulatorOptions, type RunningBqeSimulator } from '../../../../src/simulators/bqe/bqe-simulator.js';
import { migratedDb } from '../../../helpers/db.js';

/** A registered redirect URI of the simulator's default app; the browser never goes there in these tests. */
export const REDIRECT_URI = 'http://127.0.0.1:3000/admin/bqe/oauth/callback';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | null;
}

/**
 * The shipped metadata with caps high enough that tests never queue in the rate limiter; everything
 * else (paths, names, page figures) stays as shipped, so request shapes are the real ones.
 */
export const testMeta = (patch: (meta: ProviderMetadata) => void = () => undefined): ProviderMetadata => {
  const meta = structuredClone(loadProvider());
  meta.rateLimits.perConnection = { requestsPerMinute: 60_000, maxConcurrency: 4 };
  meta.rateLimits.provider = { requestsPerMinute: 120_000, maxConcurrency: 8 };
  patch(meta);
  return meta;
};

/** A fetch that remembers every request it forwards to the real one. */
export const recordingFetch = (into: RecordedRequest[]): typeof fetch =>
  (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    into.push({ method: init?.method ?? 'GET', url, headers, body: typeof init?.body === 'string' ? init.body : null });
    return fetch(input, init);
  }) as typeof fetch;

export interface FixtureOptions {
  sim?: Partial<BqeSimulatorOptions>;
  meta?: ProviderMetadata;
  utcOffsetMinutes?: number | null;
}

export interface BqeFixture {
  sim: RunningBqeSimulator;
  meta: ProviderMetadata;
  repo: ConnectionRepository;
  clock: ManualClock;
  tokens: TokenManager;
  limiter: BQERateLimiter;
  api: BqeApi;
  connectionId: number;
  /** Every request made through the recording fetch (token endpoint and API). */
  recorded: RecordedRequest[];
  /** Every log line written, as parsed JSON. */
  logs: Record<string, unknown>[];
  rawLogs: string[];
  /** The browser step: GET the authorize URL and read code and state from the redirect. */
  authorize(options?: { scopes?: string[]; state?: string; challenge?: string }): Promise<{ code: string | null; state: string | null; verifier: string; location: URL; error: string | null }>;
  /** Authorize, exchange the code and store the tokens, as the callback does. */
  connect(options?: { scopes?: string[] }): Promise<TokenSet>;
  simState(): Promise<{ counters: Record<string, number>; requests: { method: string; path: string; query: Record<string, string | string[]>; utcOffset: string | null; status: number }[] }>;
  simPost(path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export const startFixture = async (options: FixtureOptions = {}): Promise<BqeFixture> => {
  const sim = await startBqeSimulator({ port: 0, rateLimitPerMinute: 0, ...options.sim });
  const meta = options.meta ?? testMeta();
  const handle = migratedDb();
  const repo = createConnectionRepository(bqeDb(handle), new SecretBox(crypto.randomBytes(32)));
  const clock = new ManualClock(Date.now());
  const rawLogs: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        const line = chunk.toString('utf8');
        rawLogs.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  const recorded: RecordedRequest[] = [];
  const doFetch = recordingFetch(recorded);
  const tokens = createTokenManager({ meta, repo, clock, logger, fetch: doFetch });
  const limiter = createRateLimiter({ perConnection: meta.rateLimits.perConnection, provider: meta.rateLimits.provider, spacingMarginMs: meta.rateLimits.spacingMarginMs, logger });
  const api = createBqeApi({ meta, tokens, limiter, logger, fetch: doFetch });
  const connection = repo.create(
    {
      name: 'Simulated tenant',
      environment: 'custom',
      identityUrl: sim.identityUrl,
      clientId: sim.sim.defaultClient.clientId,
      clientSecret: sim.sim.defaultClient.clientSecret,
      utcOffsetMinutes: options.utcOffsetMinutes === undefined ? -300 : options.utcOffsetMinutes,
    },
    clock.now(),
  );

  const authorize: BqeFixture['authorize'] = async (o = {}) => {
    const auth = newAuthorization();
    const url = authorizeUrl(
      { identityUrl: sim.identityUrl, clientId: connection.clientId, redirectUri: REDIRECT_URI, scopes: o.scopes ?? requiredScopes(meta), state: o.state ?? auth.state, codeChallenge: o.challenge ?? auth.challenge },
      meta,
    );
    const res = await fetch(url, { redirect: 'manual' });
    const location = new URL(res.headers.get('location') ?? 'about:blank');
    return { code: location.searchParams.get('code'), state: location.searchParams.get('state'), verifier: auth.verifier, location, error: location.searchParams.get('error') };
  };

  const fixture: BqeFixture = {
    sim,
    meta,
    repo,
    clock,
    tokens,
    limiter,
    api,
    connectionId: connection.id,
    recorded,
    logs,
    rawLogs,
    authorize,
    async connect(o = {}) {
      const { code, verifier } = await authorize(o);
      if (!code) throw new Error('the simulator gave no code');
      const current = repo.get(connection.id);
      if (!current) throw new Error('connection vanished');
      const set = await tokens.exchangeCode(current, { code, verifier, redirectUri: REDIRECT_URI });
      repo.saveTokens(connection.id, set, clock.now(), { connected: true });
      return set;
    },
    async simState() {
      return (await (await fetch(`${sim.url}/__sim/state`)).json()) as Awaited<ReturnType<BqeFixture['simState']>>;
    },
    simPost: (path, body) => fetch(`${sim.url}/__sim${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) }),
    async close() {
      await sim.close();
      handle.sqlite.close();
    },
  };
  return fixture;
};
