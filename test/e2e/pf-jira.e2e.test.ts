/// <reference lib="dom" />
// End-to-end: the PeopleForce → Jira plugin in the built hub, with both simulators running in this
// process. The browser enters both connections and tests them, a hire in the simulated PeopleForce
// reaches the hub by webhook, and the event log shows the decision and the Jira issue it produced.
// Any console error, page error, failed request or CSP violation fails the run.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, ROOT, ensureBuilt, freePort, launchBrowser, requireChromium, startServer, watchPage } from './e2e-harness.js';

const ADMIN = { email: 'hr-ops@example.com', password: 'e2e-correct-horse-battery' };
const WEBHOOK_SECRET = 'e2e-webhook-secret';

const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(path.join(ROOT, 'dist', rel)).href)) as T;

/** Migrates the data folder with the built code and loads the example rules and the fallback project. */
const seedRules = async (env: NodeJS.ProcessEnv): Promise<void> => {
  const { loadConfig } = await load<typeof import('../../src/config.js')>('config.js');
  const { createLogger } = await load<typeof import('../../src/platform/logger.js')>('platform/logger.js');
  const { createAppContext } = await load<typeof import('../../src/app-context.js')>('app-context.js');
  const { systemActor } = await load<typeof import('../../src/platform/actor.js')>('platform/actor.js');
  const { transactionRunner } = await load<typeof import('../../src/db/transaction.js')>('db/transaction.js');
  const { EXAMPLE_RULES } = await load<typeof import('../../src/plugins/pf-jira/rules/example-rules.js')>('plugins/pf-jira/rules/example-rules.js');
  const { createRuleService } = await load<typeof import('../../src/plugins/pf-jira/rules/rule-service.js')>('plugins/pf-jira/rules/rule-service.js');
  const ctx = await createAppContext(loadConfig(env, false), createLogger({ level: 'silent', format: 'json' }));
  try {
    ctx.domainConfig.update(systemActor, 'pf-jira', { fallbackProjects: ['OPS'] });
    const rules = createRuleService({ handle: ctx.db, tx: transactionRunner(ctx.db), audit: ctx.audit, clock: ctx.clock });
    for (const rule of EXAMPLE_RULES) rules.create(rule, systemActor);
  } finally {
    ctx.close();
  }
};

describe('PeopleForce → Jira in a real browser', () => {
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base = '';
  const tmpDirs: string[] = [];
  const problems: string[] = [];
  let jira: { url: string; close(): Promise<void>; sim: { credentials: { email: string; apiToken: string }; snapshot(): { issues: { key: string; labels: string[] }[] } } };
  let pf: { url: string; close(): Promise<void>; sim: { setWebhook(c: { url: string; secret: string }): unknown; hire(i: Record<string, unknown>): { id: number }; webhooksIdle(): Promise<void>; today(): string } };

  const url = (p: string) => `${base}${p}`;

  before(async () => {
    requireChromium();
    ensureBuilt();
    const { startJiraSimulator } = await load<typeof import('../../src/simulators/jira/jira-simulator.js')>('simulators/jira/jira-simulator.js');
    const { startPeopleForceSimulator } = await load<typeof import('../../src/simulators/peopleforce/peopleforce-simulator.js')>('simulators/peopleforce/peopleforce-simulator.js');
    jira = await startJiraSimulator({ port: 0 });
    pf = await startPeopleForceSimulator({ port: 0 });

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-pf-data-'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-pf-chromium-'));
    tmpDirs.push(dataDir, profileDir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, HUB_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'warn', HUB_ADMIN_EMAIL: ADMIN.email, HUB_ADMIN_PASSWORD: ADMIN.password };
    delete env.HUB_BASE_URL;
    await seedRules(env);
    server = (await startServer(env, base)).process;
    pf.sim.setWebhook({ url: `${base}/hooks/pf-jira/peopleforce`, secret: WEBHOOK_SECRET });

    context = await launchBrowser(profileDir);
    page = context.pages()[0] ?? (await context.newPage());
    watchPage(page, problems);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    await context?.close().catch(() => undefined);
    await pf?.sim.webhooksIdle();
    await jira?.close();
    await pf?.close();
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('enters both connections and tests them from the connections page', async () => {
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/admin'));
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.waitForURL(url('/admin/pf-jira/connections'));

    const jiraCard = page.getByRole('form', { name: 'Jira Cloud connection' });
    await jiraCard.getByLabel('Jira site URL').fill(jira.url);
    await jiraCard.getByLabel('Jira account email').fill(jira.sim.credentials.email);
    await jiraCard.getByLabel('Jira API token').fill(jira.sim.credentials.apiToken);
    await jiraCard.getByRole('button', { name: 'Save Jira Cloud' }).click();
    await page.getByText('Jira Cloud connection saved.').waitFor();
    await page.getByRole('form', { name: 'Jira Cloud connection' }).getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Connected to Jira as Demo Admin').waitFor();

    const pfCard = page.getByRole('form', { name: 'PeopleForce connection' });
    await pfCard.getByLabel('PeopleForce URL').fill(pf.url);
    await pfCard.getByLabel('PeopleForce API key').fill('demo-pf-key');
    await pfCard.getByLabel('Webhook secret').fill(WEBHOOK_SECRET);
    await pfCard.getByRole('button', { name: 'Save PeopleForce' }).click();
    await page.getByText('PeopleForce connection saved.').waitFor();
    await page.getByRole('form', { name: 'PeopleForce connection' }).getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/Connected to PeopleForce: \d+ employees/).waitFor();
    assert.equal(await page.getByTestId('webhook-url').textContent(), `${base}/hooks/pf-jira/peopleforce`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'pf-jira-connections.png'), fullPage: true });
  });

  it('shows a webhook hire in the event log with its decision and the Jira issue', async () => {
    const employee = pf.sim.hire({ first_name: 'Oksana', last_name: 'Browser', email: 'oksana.browser@example.com', department: 'IT', position: 'Support Engineer', employment_type: 'Full-Time', hired_on: pf.sim.today() });
    const deadline = Date.now() + 20_000;
    while (!jira.sim.snapshot().issues.some((i) => i.labels.includes(`pf-employee-${employee.id}`))) {
      assert.ok(Date.now() < deadline, 'the issue did not reach the simulated Jira in 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const issue = jira.sim.snapshot().issues.find((i) => i.labels.includes(`pf-employee-${employee.id}`));
    await page.getByRole('link', { name: 'Events' }).click();
    await page.waitForURL(url('/admin/pf-jira/events'));
    const item = page.locator('.sy-timeline-item').filter({ hasText: 'Oksana Browser' }).filter({ hasText: 'employee_create' });
    await item.getByText(issue!.key).waitFor();
    await item.getByRole('link', { name: /Decision trace of event/ }).click();
    await page.getByTestId('decision-reason').getByText(/New hires → IT onboarding/).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'pf-jira-event.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});
