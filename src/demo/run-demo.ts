import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config.js';
import { createAuditRepository } from '../db/repositories/audit-repository.js';
import { transactionRunner } from '../db/transaction.js';
import { startHub } from '../main.js';
import { systemActor } from '../platform/actor.js';
import { createAuditService } from '../platform/audit.js';
import { createLogger } from '../platform/logger.js';
import { createConnectionRepository } from '../plugins/bqe/db/connection-repository.js';
import { bqeDb } from '../plugins/bqe/db/plugin-db.js';
import { EXAMPLE_RULES } from '../plugins/pf-jira/rules/example-rules.js';
import { createRuleService } from '../plugins/pf-jira/rules/rule-service.js';
import { startBqeSimulator } from '../simulators/bqe/bqe-simulator.js';
import { startJiraSimulator } from '../simulators/jira/jira-simulator.js';
import { startPeopleForceSimulator, DEFAULT_API_KEY } from '../simulators/peopleforce/peopleforce-simulator.js';
import { startTrickle } from '../simulators/peopleforce/trickle.js';

const DEMO_ADMIN = 'demo-admin@example.com';
const DEMO_BQE_CONNECTION = 'Demo company (simulator)';
/** US Eastern: the demo's BQE company keeps its books in New York. */
const DEMO_BQE_OFFSET_MINUTES = -300;
const WEBHOOK_SECRET_FILE = 'demo-webhook-secret.txt';
const ADMIN_PASSWORD_FILE = 'demo-admin-password.txt';

const port = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > 65_535) throw new Error(`${name} must be a port number from 1 to 65535, got "${raw}"`);
  return Number(raw);
};

/** A value kept in the demo's data dir, so a restart prints the same login and keeps the same webhook secret. */
const keptSecret = (dataDir: string, file: string): string => {
  const full = path.join(dataDir, file);
  if (fs.existsSync(full)) return fs.readFileSync(full, 'utf8').trim();
  const value = randomBytes(12).toString('base64url');
  fs.writeFileSync(full, `${value}\n`, { mode: 0o600 });
  return value;
};

/**
 * `npm run demo`: the Jira, PeopleForce and BQE simulators, the hub with its own data dir, the
 * connections pointed at the simulators, the example rules, and a trickle of
 * HR changes, so issues appear in the simulated Jira within a minute. The BQE
 * connection is created but not authorised: connecting it is the demo's OAuth step.
 */
export const runDemo = async (env: NodeJS.ProcessEnv = process.env, print: (line: string) => void = console.log) => {
  const dataDir = path.resolve(env.HUB_DATA_DIR || './data-demo');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const jiraPort = port(env, 'JIRA_SIM_PORT', 4010);
  const pfPort = port(env, 'PEOPLEFORCE_SIM_PORT', 4020);
  const bqePort = port(env, 'BQE_SIM_PORT', 4030);
  const trickleRaw = env.DEMO_TRICKLE_SECONDS || '10';
  if (!/^\d{1,4}$/.test(trickleRaw) || Number(trickleRaw) < 1) throw new Error(`DEMO_TRICKLE_SECONDS must be a whole number of seconds from 1 to 9999, got "${trickleRaw}"`);
  const trickleSeconds = Number(trickleRaw);

  // Whatever has started is stopped again, newest first, if a later step fails: a half-started demo must not keep ports open.
  const running: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of running.splice(0).reverse()) await stop();
  };
  try {
    const jira = await startJiraSimulator({ port: jiraPort });
    running.push(() => jira.close());
    const pf = await startPeopleForceSimulator({ port: pfPort });
    running.push(() => pf.close());
    const adminPassword = keptSecret(dataDir, ADMIN_PASSWORD_FILE);
    const config = loadConfig({ ...env, HUB_DATA_DIR: dataDir, HUB_ADMIN_EMAIL: DEMO_ADMIN, HUB_ADMIN_PASSWORD: adminPassword });
    const logger = createLogger({ level: config.logLevel, format: config.logFormat });
    const hub = await startHub(config, logger);
    running.push(() => hub.stop());
    const hubUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${hub.port}`;

    const webhookSecret = keptSecret(dataDir, WEBHOOK_SECRET_FILE);
    hub.ctx.domainConfig.update(systemActor, 'pf-jira', {
      enabled: true,
      pollIntervalSeconds: 60,
      fallbackProjects: ['OPS'],
      settings: {
        jiraSiteUrl: jira.url,
        jiraEmail: jira.sim.credentials.email,
        jiraApiToken: jira.sim.credentials.apiToken,
        peopleforceUrl: pf.url,
        peopleforceApiKey: DEFAULT_API_KEY,
        peopleforceWebhookSecret: webhookSecret,
      },
    });
    pf.sim.setWebhook({ url: `${hubUrl}/hooks/pf-jira/peopleforce`, secret: webhookSecret });

    const rules = createRuleService({ handle: hub.ctx.db, tx: transactionRunner(hub.ctx.db), audit: createAuditService(createAuditRepository(hub.ctx.db.db), hub.ctx.clock), clock: hub.ctx.clock });
    if (rules.list().length === 0) for (const rule of EXAMPLE_RULES) rules.create(rule, systemActor);
    await hub.ctx.queue.addJob('pf-jira.validate_routing_rules', {}, { jobKey: 'pf-jira:validate-all', jobKeyMode: 'replace', pool: 'ui_fast' });

    // Started after the hub: BQE only sends the browser back to a registered redirect URI, which is the hub's own address.
    const bqe = await startBqeSimulator({ port: bqePort, redirectUris: [`${hubUrl}/admin/bqe/oauth/callback`] });
    running.push(() => bqe.close());
    const bqeConnections = createConnectionRepository(bqeDb(hub.ctx.db), hub.ctx.secrets);
    if (!bqeConnections.findByName(DEMO_BQE_CONNECTION)) {
      bqeConnections.create(
        { name: DEMO_BQE_CONNECTION, environment: 'custom', identityUrl: bqe.identityUrl, clientId: bqe.sim.defaultClient.clientId, clientSecret: bqe.sim.defaultClient.clientSecret, utcOffsetMinutes: DEMO_BQE_OFFSET_MINUTES },
        hub.ctx.clock.now(),
      );
    }
    hub.ctx.domainConfig.update(systemActor, 'bqe', { enabled: true, pollIntervalSeconds: 300 });

    running.push(startTrickle(pf.sim, { everyMs: trickleSeconds * 1000, onChange: (change) => logger.info({ change }, 'simulated HR change') }));
    print('');
    print(`Switchyard demo is running`);
    print(`  hub:          ${hubUrl}/admin   (data in ${dataDir})`);
    print(`  sign in:      ${DEMO_ADMIN} / ${adminPassword}`);
    print(`  Jira sim:     ${jira.url}   (state: ${jira.url}/__sim/state)`);
    print(`  PeopleForce:  ${pf.url}   (state: ${pf.url}/__sim/state)`);
    print(`  BQE Core sim: ${bqe.url}   (state: ${bqe.url}/__sim/state); open BQE Core → Connections → "${DEMO_BQE_CONNECTION}" and press Connect with BQE`);
    print(`  An HR change every ${trickleSeconds} s; watch Events in the hub and the issues in the Jira state. Ctrl+C stops.`);
    print('');

    return {
      hub,
      jira,
      pf,
      bqe,
      hubUrl,
      adminPassword,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDemo().then(
    (demo) => {
      const stop = () => void demo.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      console.error(`demo failed to start: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
