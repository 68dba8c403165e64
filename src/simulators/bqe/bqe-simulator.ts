import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { FaultInjector, startSimServer, type SimEnv } from '../sim-kit.js';
import { apiCounting, apiGuard, newApiCounters, type ApiEnv } from './api-guard.js';
import { apiRoutes } from './api-routes.js';
import { addClient, addProject, deleteClient, deleteProject, updateClient, updateProject, type DataContext } from './data-actions.js';
import type { ClientChanges, ClientInput, ProjectChanges, ProjectInput } from './data-inputs.js';
import { buildCatalogs, RESERVED_FIELD_NAMES, type Catalogs } from './field-catalog.js';
import type { IdentityContext } from './identity-context.js';
import { oauthRoutes } from './oauth-routes.js';
import { RateWindow } from './rate-window.js';
import { defaultClient, registeredClientSchema, tenantApiPath, type RegisteredClient } from './registered-clients.js';
import { RequestLog, type LoggedRequest } from './request-log.js';
import { seedData } from './seed-data.js';
import { simRoutes } from './sim-routes.js';
import { configPatchSchema, DEFAULT_CONFIG, simConfigSchema, type BqeSimConfig, type BqeSimConfigPatch } from './sim-config.js';
import type { ClientRecord, ProjectRecord, SimData } from './sim-data.js';
import { OAuthError, parseInput, SimError } from './sim-error.js';
import { issueTokens, type TokenResponse } from './token-grants.js';
import { TokenStore } from './token-store.js';

/**
 * A contract-enforcing fake of BQE Core (/work/shared/contracts/bqe-core.md):
 * the identity server under /idp, each registered app's tenant API under
 * /t/<tenant>/api, and the operator's /__sim routes. Every value the contract
 * marks uncertain is a setting (sim-config.ts) or an option here.
 */
export interface BqeSimulatorOptions extends BqeSimConfigPatch {
  /** Epoch ms; token lifetimes, the rate window and "now" for changes follow it. */
  clock?: () => number;
  /** Same seed and clock, same tenant. */
  seed?: number;
  /** Seeded projects (levels 0–3); 10,000+ is fine for benchmarks. */
  projects?: number;
  clients?: number;
  /** The API's name for the legacy numeric id, which the contract cannot confirm (§5). */
  legacyIdField?: string;
  /** The default app's registration; ignored when registeredClients is given. */
  clientId?: string;
  clientSecret?: string;
  redirectUris?: string[];
  tenant?: string;
  registeredClients?: RegisteredClient[];
  /** The simulator's address as clients see it; by default each request's own origin. */
  publicUrl?: string;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_PROJECTS = 60;
export const DEFAULT_CLIENTS = 15;
export const DEFAULT_LEGACY_ID_FIELD = 'legacyId';

const SIM_USER = { subject: '7c9e6679-7425-40de-944b-e07fc1f90ae7', name: 'Avery Simmons', email: 'avery.simmons@example.com' };

const seedOptionsSchema = z.object({
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  projects: z.number().int().min(0).max(1_000_000),
  clients: z.number().int().min(0).max(100_000),
  legacyIdField: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain field name')
    .refine((name) => !RESERVED_FIELD_NAMES.has(name), 'already names another field'),
});

export interface BqeSimulator {
  app: Hono<SimEnv>;
  data: SimData;
  catalogs: Catalogs;
  faults: FaultInjector;
  tokens: TokenStore;
  registeredClients: readonly RegisteredClient[];
  /** The first registered app: the one the CLI prints and tests use by default. */
  defaultClient: RegisteredClient;
  legacyIdField: string;
  config(): BqeSimConfig;
  setConfig(patch: BqeSimConfigPatch): BqeSimConfig;
  addProject(input: ProjectInput): ProjectRecord;
  updateProject(id: string, changes: ProjectChanges): ProjectRecord;
  deleteProject(id: string): void;
  addClient(input: ClientInput): ClientRecord;
  updateClient(id: string, changes: ClientChanges): ClientRecord;
  deleteClient(id: string): void;
  /** Tokens as the token endpoint would answer, without the browser step; `baseUrl` is the simulator's URL. */
  issueTokens(options: { baseUrl: string; clientId?: string; scopes?: string[] }): TokenResponse;
  /** Every access token expires now; returns how many were still valid. */
  expireTokens(): number;
  /** Every refresh token stops working; returns how many were active. */
  revokeRefreshTokens(): number;
  requests(): LoggedRequest[];
  snapshot(): BqeSimSnapshot;
  /** Back to the seeded data; counters, the request log, faults and rate windows clear. Config and tokens stay. */
  reset(): void;
}

export type BqeSimSnapshot = ReturnType<typeof buildSnapshot>;

const buildSnapshot = (
  sim: Pick<BqeSimulator, 'config' | 'legacyIdField' | 'registeredClients' | 'data' | 'tokens' | 'faults'>,
  apiCounters: ReturnType<typeof newApiCounters>,
  log: RequestLog,
) => ({
  config: sim.config(),
  legacyIdField: sim.legacyIdField,
  registeredClients: sim.registeredClients.map((c) => ({ clientId: c.clientId, tenant: c.tenant, apiPath: `${tenantApiPath(c.tenant)}/`, redirectUris: c.redirectUris })),
  counts: {
    projects: sim.data.projects.size,
    clients: sim.data.clients.size,
    activities: sim.data.activities.size,
    projectsByLevel: [0, 1, 2, 3].map((level) => [...sim.data.projects.values()].filter((p) => p.level === level).length),
  },
  counters: { ...apiCounters, ...sim.tokens.counters, faultsInjected: sim.faults.injected, requestsSeen: log.total },
  tokens: sim.tokens.stats(),
  faults: sim.faults.list(),
  requests: log.list(),
});

/** The settings a patch gives a value; an undefined one keeps the current setting. */
const applyPatch = (config: BqeSimConfig, patch: unknown): BqeSimConfig => {
  const given = Object.entries(parseInput(configPatchSchema, patch)).filter(([, value]) => value !== undefined);
  const next = { ...config, ...Object.fromEntries(given) };
  if (next.defaultPageSize > next.maxPageSize) throw new SimError(400, `defaultPageSize (${next.defaultPageSize}) must not exceed maxPageSize (${next.maxPageSize}).`);
  return next;
};

const configOptions = (options: BqeSimulatorOptions): BqeSimConfigPatch =>
  Object.fromEntries(Object.keys(simConfigSchema.shape).map((key) => [key, options[key as keyof BqeSimConfigPatch]]));

export const createBqeSimulator = (options: BqeSimulatorOptions = {}): BqeSimulator => {
  const now = options.clock ?? Date.now;
  const seed = parseInput(seedOptionsSchema, {
    seed: options.seed ?? DEFAULT_SEED,
    projects: options.projects ?? DEFAULT_PROJECTS,
    clients: options.clients ?? DEFAULT_CLIENTS,
    legacyIdField: options.legacyIdField ?? DEFAULT_LEGACY_ID_FIELD,
  });
  const registered = parseInput(
    z.array(registeredClientSchema).min(1),
    options.registeredClients ?? [defaultClient({ clientId: options.clientId, clientSecret: options.clientSecret, redirectUris: options.redirectUris, tenant: options.tenant })],
  );
  let config = applyPatch({ ...DEFAULT_CONFIG }, configOptions(options));

  const seededAt = now();
  const seedNow = () => seedData({ seed: seed.seed, now: seededAt, projects: seed.projects, clients: seed.clients });
  const data = seedNow();
  const catalogs = buildCatalogs(seed.legacyIdField);
  const faults = new FaultInjector();
  const tokens = new TokenStore(now);
  const rate = new RateWindow(now, config.rateLimitPerMinute);
  const apiCounters = newApiCounters();
  const log = new RequestLog(() => config.requestLogSize);
  const identity: IdentityContext = {
    clients: new Map(registered.map((c) => [c.clientId, c])),
    tokens,
    config: () => config,
    now,
    user: SIM_USER,
  };
  const dataContext: DataContext = { data, now };
  const baseUrl = (c: Context<SimEnv>) => options.publicUrl?.replace(/\/+$/, '') ?? new URL(c.req.url).origin;

  const app = new Hono<SimEnv>();
  const sim: BqeSimulator = {
    app,
    data,
    catalogs,
    faults,
    tokens,
    registeredClients: registered,
    defaultClient: registered[0] as RegisteredClient,
    legacyIdField: seed.legacyIdField,
    config: () => config,
    setConfig: (patch) => {
      config = applyPatch(config, patch);
      rate.limitPerMinute = config.rateLimitPerMinute;
      return config;
    },
    addProject: (input) => addProject(dataContext, input),
    updateProject: (id, changes) => updateProject(dataContext, id, changes),
    deleteProject: (id) => deleteProject(dataContext, id),
    addClient: (input) => addClient(dataContext, input),
    updateClient: (id, changes) => updateClient(dataContext, id, changes),
    deleteClient: (id) => deleteClient(dataContext, id),
    issueTokens: ({ baseUrl: url, clientId, scopes }) => {
      const client = clientId ? identity.clients.get(clientId) : sim.defaultClient;
      if (!client) throw new SimError(404, `No registered client "${clientId}".`);
      const grant = { clientId: client.clientId, tenant: client.tenant, scopes: scopes ?? ['read:core', 'offline_access'], subject: SIM_USER.subject };
      const response = issueTokens(identity, grant, url.replace(/\/+$/, ''), { includeEndpoint: true });
      tokens.counters.tokensIssued++;
      return response;
    },
    expireTokens: () => tokens.expireAllAccess(),
    revokeRefreshTokens: () => tokens.revokeAllRefresh(),
    requests: () => log.list(),
    snapshot: () => buildSnapshot(sim, apiCounters, log),
    reset: () => {
      Object.assign(data, seedNow());
      Object.assign(apiCounters, newApiCounters());
      tokens.resetCounters();
      log.clear();
      faults.clear();
      faults.injected = 0;
      rate.reset();
    },
  };

  app.onError((err, c) => {
    if (err instanceof SimError) return c.json({ message: err.message }, err.status, err.headers);
    if (err instanceof OAuthError) return c.json({ error: err.error, error_description: err.message }, err.status, { 'Cache-Control': 'no-store' });
    return c.json({ message: 'Internal Server Error' }, 500);
  });
  app.notFound((c) => c.json({ message: 'Not Found' }, 404));
  app.use('*', log.middleware(now));
  app.route('/__sim', simRoutes(sim));
  app.use('*', faults.middleware());
  app.route('/idp', oauthRoutes(identity, baseUrl));
  const api = new Hono<ApiEnv>();
  api.use('*', apiCounting(apiCounters));
  api.use('*', apiGuard(identity, rate));
  api.route('/', apiRoutes({ data, catalogs, config: () => config }));
  app.route('/t/:tenant/api', api);
  return sim;
};

export interface RunningBqeSimulator {
  url: string;
  port: number;
  /** `${url}/idp` (or under publicUrl), the identity server base. */
  identityUrl: string;
  /** The default app's API base, without the trailing slash the token response carries. */
  apiBase: string;
  sim: BqeSimulator;
  /** sim.issueTokens with this server's URL. */
  issueTokens(options?: { clientId?: string; scopes?: string[] }): TokenResponse;
  close(): Promise<void>;
}

/** Serves a simulator over HTTP; port 0 picks a free port (what tests use). */
export const startBqeSimulator = async (options: BqeSimulatorOptions & { port: number; host?: string }): Promise<RunningBqeSimulator> => {
  const sim = createBqeSimulator(options);
  const server = await startSimServer(sim.app, options.port, options.host);
  const url = options.publicUrl?.replace(/\/+$/, '') ?? server.url;
  return {
    ...server,
    identityUrl: `${url}/idp`,
    apiBase: `${url}${tenantApiPath(sim.defaultClient.tenant)}`,
    sim,
    issueTokens: (o = {}) => sim.issueTokens({ ...o, baseUrl: url }),
  };
};
