import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { systemActor } from '../../../src/platform/actor.js';
import { createAuditRepository } from '../../../src/db/repositories/audit-repository.js';
import { transactionRunner } from '../../../src/db/transaction.js';
import { createAuditService } from '../../../src/platform/audit.js';
import { createEventRepository } from '../../../src/plugins/pf-jira/db/event-repository.js';
import { createLinkRepository } from '../../../src/plugins/pf-jira/db/link-repository.js';
import { pluginDb } from '../../../src/plugins/pf-jira/db/plugin-db.js';
import { signWebhook } from '../../../src/plugins/pf-jira/peopleforce/webhook-verifier.js';
import { EXAMPLE_RULES } from '../../../src/plugins/pf-jira/rules/example-rules.js';
import { createRuleService } from '../../../src/plugins/pf-jira/rules/rule-service.js';
import { startJiraSimulator } from '../../../src/simulators/jira/jira-simulator.js';
import { startPeopleForceSimulator } from '../../../src/simulators/peopleforce/peopleforce-simulator.js';
import { startTestHub, type TestHub } from '../../helpers/hub.js';

export const WEBHOOK_SECRET = 'whsec-test-0123456789';

export interface EngineFixtureOptions {
  indexDelayMs?: number;
  settings?: Record<string, unknown>;
  rules?: boolean;
  dataDir?: string;
}

/**
 * The whole engine end to end: both simulators on their own ports, a hub with
 * the pf-jira plugin and its job runner, connections pointing at the
 * simulators, and the example rules. The simulators share the hub's clock, so
 * Jira's search index and the engine's grace period move together.
 */
export const engineFixture = async (options: EngineFixtureOptions = {}) => {
  const hub: TestHub = await startTestHub({ plugins: ['pf-jira'], ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  const now = () => hub.clock.now();
  const jira = await startJiraSimulator({ port: 0, clock: now, indexDelayMs: options.indexDelayMs ?? 0 });
  const pf = await startPeopleForceSimulator({ port: 0, clock: now });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: hub.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pf.sim.setWebhook({ url: `${hubUrl}/hooks/pf-jira/peopleforce`, secret: WEBHOOK_SECRET });

  hub.ctx.domainConfig.update(systemActor, 'pf-jira', {
    fallbackProjects: ['OPS'],
    settings: {
      jiraSiteUrl: jira.url,
      jiraEmail: jira.sim.credentials.email,
      jiraApiToken: jira.sim.credentials.apiToken,
      peopleforceUrl: pf.url,
      peopleforceApiKey: 'demo-pf-key',
      peopleforceWebhookSecret: WEBHOOK_SECRET,
      maxInlineWaitSeconds: 5,
      ...options.settings,
    },
  });

  const tx = transactionRunner(hub.ctx.db);
  const rules = createRuleService({ handle: hub.ctx.db, tx, audit: createAuditService(createAuditRepository(hub.ctx.db.db), hub.clock), clock: hub.clock });
  if (options.rules !== false) for (const rule of EXAMPLE_RULES) rules.create(rule, systemActor);
  const db = pluginDb(hub.ctx.db);
  const events = createEventRepository(db);
  const links = createLinkRepository(db);

  const issues = () => jira.sim.snapshot().issues.filter((i) => !i.deleted);

  return {
    hub,
    jira,
    pf,
    rules,
    events,
    links,
    hubUrl,
    issues,
    /** Issues carrying the entity label of one employee. */
    issuesOf: (employeeId: number) => issues().filter((i) => i.labels.includes(`pf-employee-${employeeId}`)),
    /** Moves the shared clock and lets the job runner look for work that became due. */
    advance(ms: number) {
      hub.clock.advance(ms);
      hub.ctx.runner.wake();
    },
    /** Posts a signed webhook straight to the hub, as PeopleForce would. */
    async webhook(body: unknown, secret = WEBHOOK_SECRET) {
      const raw = JSON.stringify(body);
      return fetch(`${hubUrl}/hooks/pf-jira/peopleforce`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-PeopleForce-Signature': signWebhook(raw, secret) }, body: raw });
    },
    async close() {
      await pf.sim.webhooksIdle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await hub.close();
      await jira.close();
      await pf.close();
    },
  };
};

export type EngineFixture = Awaited<ReturnType<typeof engineFixture>>;

/** Polls until check() gives a truthy value; the engine works in background jobs. */
export const eventually = async <T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000, onWait?: () => void): Promise<NonNullable<T>> => {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    onWait?.();
    await new Promise((r) => setTimeout(r, 20));
  }
};
