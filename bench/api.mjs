#!/usr/bin/env node
// REST API benchmark: requests per second for GET /api/v1/debug/whoami and GET /api/v1/pf-jira/rules (50 rules),
// each measured three ways with the same concurrency for the same time:
//   signedHttp               HMAC-signed requests over HTTP keep-alive to the built hub (`node dist/cli.js serve`,
//                            its own process), the way a real client calls it;
//   signedInProcess          the same signed requests through the whole web app with app.request() (no sockets);
//   unauthenticatedInProcess the same route modules mounted on a bench-only app whose first middleware sets the
//                            caller instead of authenticating (no signature, nonce, rate limit or last-used write).
// signedToUnauthenticated = signedHttp / unauthenticatedInProcess; authInProcess = signedInProcess / unauthenticatedInProcess.
// Prints one JSON object on stdout; progress to stderr. `npm run bench:api` builds dist/ first.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_API_SECONDS || 5);
const CONCURRENCY = Number(process.env.BENCH_API_CONCURRENCY || 10);
const RULES = Number(process.env.BENCH_API_RULES || 50);
const WARMUP_MS = 1000;
// Each credential allows at most 6,000 requests a minute (a bucket that starts full), so the load is spread over
// enough of them that no request of the run is rate-limited; any 429 would show under "errors".
const CREDENTIALS = 40;
const START_TIMEOUT_MS = 30_000;
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const dist = (...p) => path.join(ROOT, 'dist', ...p);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!fs.existsSync(dist('api', 'api-app.js'))) {
  log('dist/ has no API; run `npm run bench:api`, which builds first');
  process.exit(1);
}
const { loadConfig } = await import(dist('config.js'));
const { createLogger } = await import(dist('platform', 'logger.js'));
const { createAppContext } = await import(dist('app-context.js'));
const { createWebApp } = await import(dist('web', 'app.js'));
const { systemActor } = await import(dist('platform', 'actor.js'));
const { transactionRunner } = await import(dist('db', 'transaction.js'));
const { signRequest } = await import(dist('auth', 'api-credentials', 'hmac-signature.js'));
const { API_SCOPE_NAMES } = await import(dist('auth', 'api-credentials', 'scopes.js'));
const { apiRouter } = await import(dist('api', 'api-route.js'));
const { apiErrorHandler } = await import(dist('api', 'api-errors.js'));
const { debugApiRoutes } = await import(dist('api', 'routes', 'debug-routes.js'));
const { createRuleService } = await import(dist('plugins', 'pf-jira', 'rules', 'rule-service.js'));

const ENDPOINTS = { whoami: '/api/v1/debug/whoami', listRules: '/api/v1/pf-jira/rules' };
const DEPARTMENTS = ['Engineering', 'IT', 'Sales', 'Finance', 'HR', 'Operations'];

/** DROP rules need no Jira target, so nothing here waits on validation against Jira. */
const benchRule = (i) => ({
  name: `Ignore ${DEPARTMENTS[i % DEPARTMENTS.length]} contractors, band ${i}`,
  priority: (i + 1) * 10,
  enabled: i % 5 !== 0,
  action: 'DROP',
  eventTypes: ['employee_create', 'employee_update'],
  match: 'all',
  conditions: [
    { path: '$.department.name', operator: 'equals', value: DEPARTMENTS[i % DEPARTMENTS.length] },
    { path: '$.employment_type', operator: 'equals', value: 'Contractor' },
  ],
  projectKey: null,
  issueTypeId: null,
  issueTypeName: null,
  boardId: null,
  boardName: null,
  mappings: [],
});

/**
 * Runs `CONCURRENCY` workers calling `once()` back to back: a warm-up, then `SECONDS` measured.
 * `once` resolves to the answer's status; anything but 200 is counted by status. The phases are read
 * from the clock, not timers: an in-process call may resolve without ever yielding to the event loop.
 */
const measure = async (label, once) => {
  log(`${label}: ${CONCURRENCY} workers, ${WARMUP_MS} ms warm-up, ${SECONDS} s measured`);
  const measureFrom = performance.now() + WARMUP_MS;
  const measureTo = measureFrom + SECONDS * 1000;
  let done = 0;
  const errors = {};
  const worker = async () => {
    for (let i = 1; ; i++) {
      const started = performance.now();
      if (started >= measureTo) return;
      const status = await once();
      if (started < measureFrom || performance.now() > measureTo) continue;
      done++;
      if (status !== 200) errors[status] = (errors[status] ?? 0) + 1;
      // Lets timers and I/O run now and then, as they would between real requests.
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { requests: done, requestsPerSecond: Math.round(done / SECONDS), errors };
};

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-api-'));
const port = await freePort();
const env = { HUB_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', LOG_FORMAT: 'json' };
// Errors only: the bench's stdout carries nothing but the result.
const ctx = await createAppContext(loadConfig(env, false), createLogger({ level: 'error', format: 'json' }));

const rules = createRuleService({ handle: ctx.db, tx: transactionRunner(ctx.db), audit: ctx.audit, clock: ctx.clock });
for (let i = 0; i < RULES; i++) rules.create(benchRule(i), systemActor);
const pool = Array.from({ length: CREDENTIALS }, (_, i) => {
  const { credential, secret } = ctx.apiCredentials.create(systemActor, { name: `bench ${i}`, type: 'hmac', scopes: API_SCOPE_NAMES, allowedIps: [], rateLimitPerMinute: 6000 });
  return { clientId: credential.clientId, secret };
});
log(`${RULES} rules and ${CREDENTIALS} HMAC credentials created in ${dataDir}`);

let turn = 0;
/** The four signing headers for a GET, with the next credential of the pool. */
const signed = (target) => {
  const credential = pool[turn++ % pool.length];
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = crypto.randomBytes(16).toString('hex');
  return {
    'X-Client-Id': credential.clientId,
    'X-Timestamp': timestamp,
    'X-Nonce': nonce,
    'X-Signature': signRequest(credential.secret, 'GET', target, timestamp, nonce, Buffer.alloc(0)),
  };
};

/** Reads the answer as a client would, so serialising and sending the JSON are part of each figure. */
const statusOf = async (res) => {
  await res.text();
  return res.status;
};

// The same operation modules the hub mounts, behind a stand-in for authentication: only this bench does this.
const caller = { clientId: 'bench', name: 'bench', type: 'hmac', scopes: API_SCOPE_NAMES, ip: '127.0.0.1' };
const unauthenticated = apiRouter();
unauthenticated.onError(apiErrorHandler);
unauthenticated.use('*', async (c, next) => {
  c.set('requestId', 'bench');
  c.set('apiCredential', caller);
  c.set('actor', { userId: null, email: 'api:bench', role: 'admin', ip: caller.ip, requestId: 'bench' });
  await next();
});
unauthenticated.route('/api/v1/debug', debugApiRoutes());
for (const loaded of ctx.plugins.plugins) for (const part of loaded.apiRoutes) unauthenticated.route(`/api/v1/${loaded.plugin.name}`, part);

const web = createWebApp(ctx);
const results = {};
for (const [name, target] of Object.entries(ENDPOINTS)) {
  const check = await web.request(target, { headers: signed(target) });
  if (check.status !== 200) throw new Error(`signed ${target} answered ${check.status}: ${(await check.text()).slice(0, 300)}`);
  results[name] = {
    path: target,
    unauthenticatedInProcess: await measure(`${name} unauthenticated in-process`, async () => statusOf(await unauthenticated.request(target))),
    signedInProcess: await measure(`${name} signed in-process`, async () => statusOf(await web.request(target, { headers: signed(target) }))),
  };
}
ctx.close();

log(`starting the built hub on port ${port}`);
let output = '';
const child = spawn(process.execPath, ['dist/cli.js', 'serve'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
child.stdout.on('data', (b) => (output += b));
child.stderr.on('data', (b) => (output += b));
const exited = new Promise((resolve) => child.once('exit', resolve));
const ready = () =>
  new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
try {
  const t0 = performance.now();
  while (!(await ready())) {
    if (child.exitCode !== null) throw new Error(`the hub exited with code ${child.exitCode}:\n${output}`);
    if (performance.now() - t0 > START_TIMEOUT_MS) throw new Error(`the hub was not ready within ${START_TIMEOUT_MS} ms:\n${output}`);
    await sleep(20);
  }
  const base = `http://127.0.0.1:${port}`;
  for (const [name, target] of Object.entries(ENDPOINTS)) {
    results[name].signedHttp = await measure(`${name} signed over HTTP`, async () => statusOf(await fetch(`${base}${target}`, { headers: signed(target) })));
  }
} finally {
  child.kill('SIGTERM');
  await exited;
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const ratio = (a, b) => Number((a / b).toFixed(3));
for (const r of Object.values(results)) {
  r.signedToUnauthenticated = ratio(r.signedHttp.requestsPerSecond, r.unauthenticatedInProcess.requestsPerSecond);
  r.authInProcess = ratio(r.signedInProcess.requestsPerSecond, r.unauthenticatedInProcess.requestsPerSecond);
}
console.log(JSON.stringify({ node: process.version, cpus: os.cpus().length, seconds: SECONDS, concurrency: CONCURRENCY, rules: RULES, ...results }));
