#!/usr/bin/env node
// Admin UI benchmark: the built hub (dist/) in this process, listening on 127.0.0.1, with 500 routing rules.
// Measures the routing rules page (one client, sequential) and the rule editor's modal shell (20 concurrent
// clients), each as the server's own handling time (the latency middleware that feeds /admin/io) and as the
// client's round trip over HTTP keep-alive. Jira is configured but answers every request after a 2 s hang,
// so a page that waited on it would show; `jiraRequestsDuringRun` counts what it was asked anyway.
// Prints one JSON object on stdout; progress to stderr.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RULES = Number(process.env.BENCH_UI_RULES || 500);
// As many as the server's latency window holds (512 per action), so its percentiles cover exactly the measured run.
const PAGE_REQUESTS = 512;
const MODAL_CLIENTS = 20;
const MODAL_REQUESTS_PER_CLIENT = 26;
const WARMUP = 20;
const TARGETS = { rulesPageP95Ms: 50, modalShellP95Ms: 20 };
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-correct-horse-battery' };
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const dist = (...p) => path.join(ROOT, 'dist', ...p);

if (!fs.existsSync(dist('main.js'))) {
  log('building dist/');
  if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
}
const { loadConfig } = await import(dist('config.js'));
const { createLogger } = await import(dist('platform', 'logger.js'));
const { startHub } = await import(dist('main.js'));
const { systemActor } = await import(dist('platform', 'actor.js'));
const { transactionRunner } = await import(dist('db', 'transaction.js'));
const { createRuleService } = await import(dist('plugins', 'pf-jira', 'rules', 'rule-service.js'));
const { startJiraSimulator } = await import(dist('simulators', 'jira', 'jira-simulator.js'));

const DEPARTMENTS = ['Engineering', 'IT', 'Sales', 'Finance', 'HR', 'Operations', 'Legal', 'Support'];
const PROJECTS = ['IT', 'HR', 'OPS'];

/** A realistic mix: most rules SYNC with conditions and several mappings, some DROP. */
const benchRule = (i) => {
  const drop = i % 5 === 0;
  return {
    name: `${drop ? 'Ignore' : 'Onboard'} ${DEPARTMENTS[i % DEPARTMENTS.length]} hires, band ${i}`,
    priority: (i + 1) * 10,
    enabled: i % 7 !== 0,
    action: drop ? 'DROP' : 'SYNC',
    eventTypes: ['employee_create', 'employee_update'],
    match: i % 2 ? 'all' : 'any',
    conditions: [
      { path: '$.department.name', operator: 'in', value: [DEPARTMENTS[i % DEPARTMENTS.length], DEPARTMENTS[(i + 3) % DEPARTMENTS.length]] },
      { path: '$.position.name', operator: 'matches', value: `^Engineer ${i}` },
      { path: '$.email', operator: 'exists' },
    ],
    projectKey: drop ? null : PROJECTS[i % PROJECTS.length],
    issueTypeId: null,
    issueTypeName: drop ? null : 'Task',
    boardId: null,
    boardName: null,
    mappings: drop
      ? []
      : [
          { fieldId: 'summary', sourceType: 'TEMPLATE', value: 'Onboard {{ full_name }} ({{ department.name }})' },
          { fieldId: 'description', sourceType: 'TEMPLATE', value: '{{ full_name }} starts on {{ hired_on }}.' },
          { fieldId: 'duedate', sourceType: 'PF_PAYLOAD', value: '$.hired_on' },
          { fieldId: 'labels', sourceType: 'STATIC', value: 'onboarding' },
        ],
  };
};

const percentiles = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2));
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: Number((sorted.at(-1) ?? 0).toFixed(2)) };
};

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-ui-'));
const jira = await startJiraSimulator({ port: 0 });
const config = loadConfig({ PORT: String(await freePort()), HOST: '127.0.0.1', HUB_DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', HUB_ADMIN_EMAIL: ADMIN.email, HUB_ADMIN_PASSWORD: ADMIN.password });
const hub = await startHub(config, createLogger({ level: 'warn', format: 'json' }));
const base = `http://127.0.0.1:${hub.port}`;
hub.ctx.domainConfig.update(systemActor, 'pf-jira', {
  fallbackProjects: ['OPS'],
  settings: { jiraSiteUrl: jira.url, jiraEmail: jira.sim.credentials.email, jiraApiToken: jira.sim.credentials.apiToken },
});
// Seeded straight through the service (no validation jobs): the page is measured, not Jira.
const rules = createRuleService({ handle: hub.ctx.db, tx: transactionRunner(hub.ctx.db), audit: hub.ctx.audit, clock: hub.ctx.clock });
for (let i = 0; i < RULES; i++) rules.create(benchRule(i), systemActor);
log(`${RULES} rules seeded`);

const signIn = async () => {
  const res = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(ADMIN).toString() });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
};
const cookie = await signIn();

const timedGet = async (url, headers = {}) => {
  const started = performance.now();
  const res = await fetch(`${base}${url}`, { headers: { Cookie: cookie, ...headers } });
  const body = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${body.slice(0, 300)}`);
  return { ms, bytes: body.length };
};

const RULES_URL = '/admin/pf-jira/rules';
const MODAL_URL = '/admin/pf-jira/rules/new';
const MODAL_HEADERS = { 'HX-Request': 'true', 'HX-Target': 'sy-modal-root' };
/** The rows these requests land in on the diagnostics page (routes name themselves with timedAction). */
const RULES_ACTION = 'Rules page';
const MODAL_ACTION = 'Modal open';

/** The server's own handling time for one action: the latency middleware's recent window (count is since start). */
const serverLatency = (action) => {
  const row = hub.ctx.latency.snapshot().find((r) => r.action === action);
  if (!row?.server) throw new Error(`the server recorded no "${action}" timings; is the route named with timedAction?`);
  const round = (ms) => Number(ms.toFixed(2));
  return { p50: round(row.server.p50), p95: round(row.server.p95), p99: round(row.server.p99) };
};

for (let i = 0; i < WARMUP; i++) {
  await timedGet(RULES_URL);
  await timedGet(MODAL_URL, MODAL_HEADERS);
}
jira.sim.faults.add({ kind: 'slow', delayMs: 2000, count: 100_000 });

log(`rules page: ${PAGE_REQUESTS} sequential requests`);
let pageBytes = 0;
const pageRoundTrips = [];
for (let i = 0; i < PAGE_REQUESTS; i++) {
  const r = await timedGet(RULES_URL);
  pageBytes = r.bytes;
  pageRoundTrips.push(r.ms);
}
const pageServer = serverLatency(RULES_ACTION);

log(`modal shell: ${MODAL_CLIENTS} concurrent clients × ${MODAL_REQUESTS_PER_CLIENT} requests`);
const modalStarted = performance.now();
const modalRoundTrips = (
  await Promise.all(
    Array.from({ length: MODAL_CLIENTS }, async () => {
      const out = [];
      for (let i = 0; i < MODAL_REQUESTS_PER_CLIENT; i++) out.push((await timedGet(MODAL_URL, MODAL_HEADERS)).ms);
      return out;
    }),
  )
).flat();
const modalSeconds = (performance.now() - modalStarted) / 1000;
const modalServer = serverLatency(MODAL_ACTION);

const jiraCalls = jira.sim.faults.injected;
await hub.stop();
await jira.close();
fs.rmSync(dataDir, { recursive: true, force: true });

const pageStats = { server: pageServer, roundTrip: percentiles(pageRoundTrips), htmlKb: Math.round(pageBytes / 1024) };
const modalStats = { server: modalServer, roundTrip: percentiles(modalRoundTrips), requestsPerSecond: Math.round(modalRoundTrips.length / modalSeconds) };
const judged = (stats) => stats.server.p95;

console.log(
  JSON.stringify({
    node: process.version,
    rules: RULES,
    rulesPage: { requests: PAGE_REQUESTS, ...pageStats },
    modalShell: { clients: MODAL_CLIENTS, requests: modalRoundTrips.length, ...modalStats },
    jiraRequestsDuringRun: jiraCalls,
    targets: TARGETS,
    meetsTargets: { rulesPage: judged(pageStats) < TARGETS.rulesPageP95Ms, modalShell: judged(modalStats) < TARGETS.modalShellP95Ms },
  }),
);
