#!/usr/bin/env node
// BQE sync benchmark: a full sync of --projects projects (default 10,000) and the simulator's clients from the BQE
// simulator, through the real sync components of the built hub (dist/): rate limiter, token manager, API client,
// BQEProjectsClient / BQEClientsClient and object sync over a migrated SQLite database, one slice after another
// as the job queue would run them. Provider metadata is a copy with a smaller page size and a cap that keeps the
// run short (--page-size, --cap); the simulator enforces the same cap and would answer 429 above it.
// The achieved rate is measured from the send times of the API requests: (n-1) intervals over (last - first).
// Prints one JSON object on stdout; progress to stderr.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_RATIO = 0.95;
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const dist = (...p) => pathToFileURL(path.join(ROOT, 'dist', ...p)).href;

const { values } = parseArgs({
  options: {
    projects: { type: 'string', default: '10000' },
    clients: { type: 'string' },
    'page-size': { type: 'string', default: '100' },
    cap: { type: 'string', default: '300' },
  },
});
const whole = (name, min) => {
  const raw = values[name];
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new Error(`--${name} must be a whole number of at least ${min} (got "${raw}")`);
  return Number(raw);
};
const projects = whole('projects', 1);
const pageSize = whole('page-size', 1);
const cap = whole('cap', 1);

if (!fs.existsSync(path.join(ROOT, 'dist', 'plugins', 'bqe', 'sync', 'object-sync.js'))) {
  log('building dist/');
  if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
}
const { openDatabase } = await import(dist('db', 'connection.js'));
const { runMigrations } = await import(dist('db', 'migrate.js'));
const { transactionRunner } = await import(dist('db', 'transaction.js'));
const { SecretBox } = await import(dist('platform', 'secrets.js'));
const { systemClock } = await import(dist('platform', 'clock.js'));
const { EventBus } = await import(dist('platform', 'events.js'));
const { createLogger } = await import(dist('platform', 'logger.js'));
const { loadProvider, validateProvider, requiredScopes } = await import(dist('plugins', 'bqe', 'provider.js'));
const { bqeDb } = await import(dist('plugins', 'bqe', 'db', 'plugin-db.js'));
const { createConnectionRepository } = await import(dist('plugins', 'bqe', 'db', 'connection-repository.js'));
const { createMirrorRepository } = await import(dist('plugins', 'bqe', 'db', 'mirror-repository.js'));
const { createSyncRepository } = await import(dist('plugins', 'bqe', 'db', 'sync-repository.js'));
const { parseTokenResponse, toTokenSet } = await import(dist('plugins', 'bqe', 'oauth', 'token-response.js'));
const { createTokenManager } = await import(dist('plugins', 'bqe', 'oauth', 'token-manager.js'));
const { createRateLimiter } = await import(dist('plugins', 'bqe', 'rate-limiter.js'));
const { createBqeApi } = await import(dist('plugins', 'bqe', 'api', 'bqe-api.js'));
const { createBqeProjectsClient } = await import(dist('plugins', 'bqe', 'api', 'projects-client.js'));
const { createBqeClientsClient } = await import(dist('plugins', 'bqe', 'api', 'clients-client.js'));
const { createObjectSync } = await import(dist('plugins', 'bqe', 'sync', 'object-sync.js'));
const { startBqeSimulator, DEFAULT_CLIENTS } = await import(dist('simulators', 'bqe', 'bqe-simulator.js'));

const clients = values.clients === undefined ? DEFAULT_CLIENTS : whole('clients', 0);

// The shipped metadata with the overrides the benchmark reports; validated like provider.json itself.
const shipped = loadProvider();
const meta = structuredClone(shipped);
meta.api.paging.pageSize = pageSize;
meta.rateLimits.perConnection.requestsPerMinute = cap;
meta.rateLimits.provider.requestsPerMinute = Math.max(shipped.rateLimits.provider.requestsPerMinute, cap);
validateProvider(meta, 'bench/bqe.mjs (provider.json with overrides)');
const overrides = {
  'api.paging.pageSize': { shipped: shipped.api.paging.pageSize, used: meta.api.paging.pageSize },
  'rateLimits.perConnection.requestsPerMinute': { shipped: shipped.rateLimits.perConnection.requestsPerMinute, used: cap },
  'rateLimits.provider.requestsPerMinute': { shipped: shipped.rateLimits.provider.requestsPerMinute, used: meta.rateLimits.provider.requestsPerMinute },
};

log(`seeding the simulator with ${projects} projects and ${clients} clients (cap ${cap}/min)`);
const sim = await startBqeSimulator({ port: 0, projects, clients, rateLimitPerMinute: cap, requestLogSize: 100_000 });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-bqe-'));
const handle = openDatabase(dataDir);
runMigrations(handle);
const db = bqeDb(handle);
const logger = createLogger({ level: 'warn', format: 'json', destination: process.stderr });
const repo = createConnectionRepository(db, new SecretBox(randomBytes(32)));
const app = sim.sim.defaultClient;
const connection = repo.create({ name: 'bench', environment: 'custom', identityUrl: sim.identityUrl, clientId: app.clientId, clientSecret: app.clientSecret, utcOffsetMinutes: 0 }, Date.now());
// The consent step is the smoke run's business; here the simulator issues the tokens directly.
const grant = parseTokenResponse(sim.issueTokens(), 'authorization_code', meta);
repo.saveTokens(connection.id, toTokenSet(grant, Date.now(), { scopes: requiredScopes(meta) }), Date.now(), { connected: true });

/** Every API call's send time, taken as fetch is called (after the limiter let it start). */
const sends = [];
const recordingFetch = (input, init) => {
  if (String(input).startsWith(`${sim.apiBase}/`)) sends.push(performance.now());
  return fetch(input, init);
};
const limiter = createRateLimiter({ perConnection: meta.rateLimits.perConnection, provider: meta.rateLimits.provider, spacingMarginMs: meta.rateLimits.spacingMarginMs, logger });
const tokens = createTokenManager({ meta, repo, clock: systemClock, logger, fetch: recordingFetch });
const api = createBqeApi({ meta, tokens, limiter, logger, fetch: recordingFetch });
const mirrors = createMirrorRepository(db);
const objectSync = createObjectSync({
  meta,
  mirrors,
  syncRepo: createSyncRepository(db),
  tx: transactionRunner(handle),
  clock: systemClock,
  bus: new EventBus(),
  logger,
  clientsFor: (c) => {
    const connectionApi = api.forConnection(c);
    return { project: createBqeProjectsClient(connectionApi, meta), client: createBqeClientsClient(connectionApi, meta) };
  },
  limiterStats: (id) => limiter.stats(id),
});

log(`syncing with page size ${pageSize}`);
const runs = {};
const started = performance.now();
for (const object of ['project', 'client']) {
  let slice;
  do {
    slice = await objectSync.runSlice({ connection: repo.get(connection.id), object, trigger: 'manual', signal: new AbortController().signal });
  } while (!slice.done);
  runs[object] = slice.run;
}
const elapsedMs = performance.now() - started;

const state = await (await fetch(`${sim.url}/__sim/state`)).json();
const simSends = state.requests.filter((r) => r.path.startsWith(new URL(`${sim.apiBase}/`).pathname)).map((r) => Date.parse(r.at));
const ratePerMinute = (times) => (times.length < 2 ? null : ((times.length - 1) * 60_000) / (times.at(-1) - times[0]));
const intervals = sends.slice(1).map((t, i) => t - sends[i]);
/** The most requests the simulator saw inside any 60 s (what its sliding window counts); only a run over a minute can exceed the cap. */
const busiestMinute = simSends.reduce((max, t, i) => Math.max(max, simSends.slice(i).filter((u) => u < t + 60_000).length), 0);
const achieved = ratePerMinute(sends);
const stats = limiter.stats(connection.id);
const mirrored = { projects: mirrors.projectCounts(connection.id).active, clients: mirrors.clientCounts(connection.id).active };
const fetched = runs.project.fetched + runs.client.fetched;

handle.sqlite.close();
await sim.close();
fs.rmSync(dataDir, { recursive: true, force: true });

const round = (n, places = 0) => (n === null ? null : Math.round(n * 10 ** places) / 10 ** places);
const ratio = achieved === null ? null : achieved / cap;
console.log(
  JSON.stringify({
    node: process.version,
    projects,
    clients,
    mirrored,
    complete: mirrored.projects === projects && mirrored.clients === clients && runs.project.status === 'succeeded' && runs.client.status === 'succeeded',
    requests: sends.length,
    pages: { project: runs.project.pages, client: runs.client.pages },
    elapsedMs: Math.round(elapsedMs),
    achievedRequestsPerMinute: round(achieved, 1),
    achievedRequestsPerMinuteSimulatorClock: round(ratePerMinute(simSends), 1),
    configuredCapPerMinute: cap,
    ratio: round(ratio, 3),
    targetRatio: TARGET_RATIO,
    meetsTarget: ratio !== null && ratio >= TARGET_RATIO && state.counters.rateLimited === 0,
    rateLimited429: state.counters.rateLimited,
    maxRequestsInAnyMinute: busiestMinute,
    intervalMs: { expected: round(60_000 / cap, 1), min: round(Math.min(...intervals), 1), max: round(Math.max(...intervals), 1) },
    limiterWaits: { waits: stats.waits, waitMs: Math.round(stats.waitMs), byReason: stats.byReason },
    recordsPerSecond: Math.round(fetched / (elapsedMs / 1000)),
    overrides,
    simulator: { rateLimitPerMinute: state.config.rateLimitPerMinute, strictUtcOffset: state.config.strictUtcOffset, maxPageSize: state.config.maxPageSize },
  }),
);
