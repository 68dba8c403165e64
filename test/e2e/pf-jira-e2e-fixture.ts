/// <reference lib="dom" />
// What the PeopleForce → Jira browser tests share: both simulators in this process, a data folder migrated
// with the built code and seeded (example rules, the fallback project, and the connections when asked),
// the built hub in a child process, a Chromium page watched for problems, and sign-in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import type { JiraSimulator } from '../../src/simulators/jira/jira-simulator.js';
import type { PeopleForceSimulator } from '../../src/simulators/peopleforce/peopleforce-simulator.js';
import { ARTIFACTS, ROOT, ensureBuilt, freePort, launchBrowser, requireChromium, startServer, watchPage, type RunningServer, type WatchOptions } from './e2e-harness.js';

export const ADMIN = { email: 'hr-ops@example.com', password: 'e2e-correct-horse-battery' };
export const WEBHOOK_SECRET = 'e2e-webhook-secret';

const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(path.join(ROOT, 'dist', rel)).href)) as T;

interface RunningSim<S> {
  url: string;
  sim: S;
  close(): Promise<void>;
}

export interface PfJiraE2e {
  base: string;
  url(p: string): string;
  page: Page;
  context: BrowserContext;
  jira: RunningSim<JiraSimulator>;
  pf: RunningSim<PeopleForceSimulator>;
  /** Console errors, page errors, failed requests and CSP violations seen so far; a test ends asserting none. */
  problems: string[];
  signIn(): Promise<void>;
  close(): Promise<void>;
}

export interface PfJiraE2eOptions {
  /** Names the temporary folders. */
  name: string;
  /** Seed both connections (URLs, credentials, webhook secret) instead of leaving them for the test to enter. */
  connections?: boolean;
  watch?: WatchOptions;
}

/** Leaving the rules page ends its live event stream; that abort is expected. */
export const rulesStreamAbort: WatchOptions['expectedAbort'] = (u, error) => new URL(u).pathname.endsWith('/rules/stream') && error === 'net::ERR_ABORTED';

const seed = async (env: NodeJS.ProcessEnv, settings: Record<string, unknown>): Promise<void> => {
  const { loadConfig } = await load<typeof import('../../src/config.js')>('config.js');
  const { createLogger } = await load<typeof import('../../src/platform/logger.js')>('platform/logger.js');
  const { createAppContext } = await load<typeof import('../../src/app-context.js')>('app-context.js');
  const { systemActor } = await load<typeof import('../../src/platform/actor.js')>('platform/actor.js');
  const { transactionRunner } = await load<typeof import('../../src/db/transaction.js')>('db/transaction.js');
  const { EXAMPLE_RULES } = await load<typeof import('../../src/plugins/pf-jira/rules/example-rules.js')>('plugins/pf-jira/rules/example-rules.js');
  const { createRuleService } = await load<typeof import('../../src/plugins/pf-jira/rules/rule-service.js')>('plugins/pf-jira/rules/rule-service.js');
  const ctx = await createAppContext(loadConfig(env, false), createLogger({ level: 'silent', format: 'json' }));
  try {
    ctx.domainConfig.update(systemActor, 'pf-jira', { fallbackProjects: ['OPS'], settings });
    const rules = createRuleService({ handle: ctx.db, tx: transactionRunner(ctx.db), audit: ctx.audit, clock: ctx.clock });
    for (const rule of EXAMPLE_RULES) rules.create(rule, systemActor);
  } finally {
    ctx.close();
  }
};

export const startPfJiraE2e = async (options: PfJiraE2eOptions): Promise<PfJiraE2e> => {
  requireChromium();
  ensureBuilt();
  const { startJiraSimulator } = await load<typeof import('../../src/simulators/jira/jira-simulator.js')>('simulators/jira/jira-simulator.js');
  const { startPeopleForceSimulator } = await load<typeof import('../../src/simulators/peopleforce/peopleforce-simulator.js')>('simulators/peopleforce/peopleforce-simulator.js');
  const jira = await startJiraSimulator({ port: 0 });
  const pf = await startPeopleForceSimulator({ port: 0 });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `switchyard-e2e-${options.name}-data-`));
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), `switchyard-e2e-${options.name}-chromium-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, HUB_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'warn', HUB_ADMIN_EMAIL: ADMIN.email, HUB_ADMIN_PASSWORD: ADMIN.password };
  delete env.HUB_BASE_URL;
  await seed(
    env,
    options.connections
      ? { jiraSiteUrl: jira.url, jiraEmail: jira.sim.credentials.email, jiraApiToken: jira.sim.credentials.apiToken, peopleforceUrl: pf.url, peopleforceApiKey: 'demo-pf-key', peopleforceWebhookSecret: WEBHOOK_SECRET }
      : {},
  );
  const server: RunningServer = await startServer(env, base);
  pf.sim.setWebhook({ url: `${base}/hooks/pf-jira/peopleforce`, secret: WEBHOOK_SECRET });

  const context = await launchBrowser(profileDir);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  watchPage(page, problems, options.watch);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const url = (p: string) => `${base}${p}`;

  return {
    base,
    url,
    page,
    context,
    jira,
    pf,
    problems,
    async signIn() {
      await page.goto(url('/login'));
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(url('/admin'));
    },
    async close() {
      const child = server.process;
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      }
      await context.close().catch(() => undefined);
      await pf.sim.webhooksIdle();
      await jira.close();
      await pf.close();
      for (const dir of [dataDir, profileDir]) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};
