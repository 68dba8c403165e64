#!/usr/bin/env node
// Sync benchmark: PeopleForce webhooks → routing → Jira issues, through both simulators over HTTP, with the
// built hub (dist/) in this process. Reports events per second and event→issue latency (p50/p95/p99, from
// the webhook's receipt to the event's synced row). Prints one JSON object on stdout; progress to stderr.
import { createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EVENTS = Number(process.env.BENCH_SYNC_EVENTS || 400);
const SENDERS = 8;
const SECRET = 'bench-webhook-secret';
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const dist = (...p) => path.join(ROOT, 'dist', ...p);

if (!fs.existsSync(dist('demo', 'run-demo.js'))) {
  log('building dist/');
  if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
}
const { loadConfig } = await import(dist('config.js'));
const { createLogger } = await import(dist('platform', 'logger.js'));
const { startHub } = await import(dist('main.js'));
const { systemActor } = await import(dist('platform', 'actor.js'));
const { transactionRunner } = await import(dist('db', 'transaction.js'));
const { createAuditService } = await import(dist('platform', 'audit.js'));
const { createAuditRepository } = await import(dist('db', 'repositories', 'audit-repository.js'));
const { EXAMPLE_RULES } = await import(dist('plugins', 'pf-jira', 'rules', 'example-rules.js'));
const { createRuleService } = await import(dist('plugins', 'pf-jira', 'rules', 'rule-service.js'));
const { startJiraSimulator } = await import(dist('simulators', 'jira', 'jira-simulator.js'));
const { startPeopleForceSimulator } = await import(dist('simulators', 'peopleforce', 'peopleforce-simulator.js'));

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-sync-'));
const jira = await startJiraSimulator({ port: 0 });
const pf = await startPeopleForceSimulator({ port: 0 });
const config = loadConfig({ PORT: String(await freePort()), HOST: '127.0.0.1', HUB_DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
const hub = await startHub(config, createLogger({ level: 'warn', format: 'json' }));
const hubUrl = `http://127.0.0.1:${hub.port}`;
hub.ctx.domainConfig.update(systemActor, 'pf-jira', {
  fallbackProjects: ['OPS'],
  settings: { jiraSiteUrl: jira.url, jiraEmail: jira.sim.credentials.email, jiraApiToken: jira.sim.credentials.apiToken, peopleforceUrl: pf.url, peopleforceApiKey: 'demo-pf-key', peopleforceWebhookSecret: SECRET },
});
const rules = createRuleService({ handle: hub.ctx.db, tx: transactionRunner(hub.ctx.db), audit: createAuditService(createAuditRepository(hub.ctx.db.db), hub.ctx.clock), clock: hub.ctx.clock });
for (const rule of EXAMPLE_RULES) rules.create(rule, systemActor);

const today = new Date().toISOString().slice(0, 10);
const departments = ['Engineering', 'IT', 'Sales', 'Finance', 'HR', 'Operations'];
/** A new hire as PeopleForce's employee_create webhook sends it; every tenth is a contractor (dropped by a rule). */
const delivery = (i) => ({
  action: 'employee_create',
  data: {
    id: 500_000 + i,
    attributes: { employee_number: `B-${i}`, hired_on: today, probation_ends_on: null, first_name: 'Bench', last_name: `Hire ${i}`, email: `bench.${i}@example.com`, termination_effective_date: null },
    employment_type: { id: 1, name: i % 10 === 0 ? 'Contractor' : 'Full-Time' },
    position: { id: 1, name: 'Engineer' },
    department: { id: 1, name: departments[i % departments.length] },
    location: { id: 1, name: 'Remote' },
    reporting_to: null,
    custom_fields: {},
    meta: { created_at: new Date().toISOString(), updated_at: new Date().toISOString() },
  },
});

const send = async (i) => {
  const body = JSON.stringify(delivery(i));
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const res = await fetch(`${hubUrl}/hooks/pf-jira/peopleforce`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-PeopleForce-Signature': signature }, body });
  if (res.status !== 202) throw new Error(`webhook ${i} answered ${res.status}: ${await res.text()}`);
};

log(`sending ${EVENTS} webhooks with ${SENDERS} senders`);
const started = performance.now();
let next = 0;
await Promise.all(Array.from({ length: SENDERS }, async () => {
  while (next < EVENTS) await send(next++);
}));
const acceptedMs = performance.now() - started;
const finished = () => hub.ctx.db.sqlite.prepare("SELECT count(*) AS n FROM pfj_events WHERE status IN ('synced', 'dropped', 'dead')").get().n;
while (finished() < EVENTS) {
  if (performance.now() - started > 300_000) throw new Error(`only ${finished()} of ${EVENTS} events finished in 5 minutes`);
  await new Promise((r) => setTimeout(r, 20));
}
const totalMs = performance.now() - started;

const rows = hub.ctx.db.sqlite.prepare("SELECT status, updated_at - received_at AS ms FROM pfj_events").all();
const latencies = rows.filter((r) => r.status === 'synced').map((r) => r.ms).sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
const counts = Object.fromEntries(['synced', 'dropped', 'dead'].map((s) => [s, rows.filter((r) => r.status === s).length]));
const issues = jira.sim.snapshot().issues.length;

await hub.stop();
await jira.close();
await pf.close();
fs.rmSync(dataDir, { recursive: true, force: true });

console.log(JSON.stringify({
  node: process.version,
  events: EVENTS,
  senders: SENDERS,
  webhooksAcceptedPerSecond: Math.round(EVENTS / (acceptedMs / 1000)),
  eventsPerSecond: Math.round(EVENTS / (totalMs / 1000)),
  eventToIssueMs: { p50: pct(50), p95: pct(95), p99: pct(99), max: latencies.at(-1) ?? null },
  outcomes: counts,
  jiraIssues: issues,
}));
