/// <reference lib="dom" />
// End-to-end: a hire whose department Jira has no option for dies; the dead-letter page explains it
// and links the rule editor; the admin fixes the mapping there, retries from the dead letters, and the
// event ends synced with a Jira issue. Any console error, page error, failed request or CSP violation fails the run.
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

type JiraSim = { url: string; close(): Promise<void>; sim: { credentials: { email: string; apiToken: string }; snapshot(): { issues: { key: string; labels: string[]; fields: Record<string, unknown> }[] } } };
type PfSim = { url: string; close(): Promise<void>; sim: { setWebhook(c: { url: string; secret: string }): unknown; hire(i: Record<string, unknown>): { id: number }; webhooksIdle(): Promise<void>; today(): string } };

/** Migrates the data folder with the built code; loads the example rules, the fallback project and both connections. */
const seed = async (env: NodeJS.ProcessEnv, jira: JiraSim, pf: PfSim): Promise<void> => {
  const { loadConfig } = await load<typeof import('../../src/config.js')>('config.js');
  const { createLogger } = await load<typeof import('../../src/platform/logger.js')>('platform/logger.js');
  const { createAppContext } = await load<typeof import('../../src/app-context.js')>('app-context.js');
  const { systemActor } = await load<typeof import('../../src/platform/actor.js')>('platform/actor.js');
  const { transactionRunner } = await load<typeof import('../../src/db/transaction.js')>('db/transaction.js');
  const { EXAMPLE_RULES } = await load<typeof import('../../src/plugins/pf-jira/rules/example-rules.js')>('plugins/pf-jira/rules/example-rules.js');
  const { createRuleService } = await load<typeof import('../../src/plugins/pf-jira/rules/rule-service.js')>('plugins/pf-jira/rules/rule-service.js');
  const ctx = await createAppContext(loadConfig(env, false), createLogger({ level: 'silent', format: 'json' }));
  try {
    ctx.domainConfig.update(systemActor, 'pf-jira', {
      fallbackProjects: ['OPS'],
      settings: {
        jiraSiteUrl: jira.url,
        jiraEmail: jira.sim.credentials.email,
        jiraApiToken: jira.sim.credentials.apiToken,
        peopleforceUrl: pf.url,
        peopleforceApiKey: 'demo-pf-key',
        peopleforceWebhookSecret: WEBHOOK_SECRET,
      },
    });
    const rules = createRuleService({ handle: ctx.db, tx: transactionRunner(ctx.db), audit: ctx.audit, clock: ctx.clock });
    for (const rule of EXAMPLE_RULES) rules.create(rule, systemActor);
  } finally {
    ctx.close();
  }
};

describe('PeopleForce → Jira dead letters in a real browser', () => {
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base = '';
  const tmpDirs: string[] = [];
  const problems: string[] = [];
  let jira: JiraSim;
  let pf: PfSim;

  const url = (p: string) => `${base}${p}`;

  before(async () => {
    requireChromium();
    ensureBuilt();
    const { startJiraSimulator } = await load<typeof import('../../src/simulators/jira/jira-simulator.js')>('simulators/jira/jira-simulator.js');
    const { startPeopleForceSimulator } = await load<typeof import('../../src/simulators/peopleforce/peopleforce-simulator.js')>('simulators/peopleforce/peopleforce-simulator.js');
    jira = (await startJiraSimulator({ port: 0 })) as unknown as JiraSim;
    pf = (await startPeopleForceSimulator({ port: 0 })) as unknown as PfSim;

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-dlq-data-'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-dlq-chromium-'));
    tmpDirs.push(dataDir, profileDir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, HUB_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'warn', HUB_ADMIN_EMAIL: ADMIN.email, HUB_ADMIN_PASSWORD: ADMIN.password };
    delete env.HUB_BASE_URL;
    await seed(env, jira, pf);
    server = (await startServer(env, base)).process;
    pf.sim.setWebhook({ url: `${base}/hooks/pf-jira/peopleforce`, secret: WEBHOOK_SECRET });

    context = await launchBrowser(profileDir);
    page = context.pages()[0] ?? (await context.newPage());
    // Leaving the rules page ends its live event stream; that abort is expected.
    watchPage(page, problems, { expectedAbort: (u, error) => new URL(u).pathname.endsWith('/stream') && error === 'net::ERR_ABORTED' });
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

  it('explains a dead delivery, and a fixed mapping plus a retry turns it into a Jira issue', async () => {
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/admin'));

    // Legal is a new PeopleForce department; Jira's Department field has no such option.
    const employee = pf.sim.hire({ first_name: 'Lena', last_name: 'Lawyer', email: 'lena.lawyer@example.com', department: 'Legal', position: 'Counsel', employment_type: 'Full-Time', hired_on: pf.sim.today() });

    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.waitForURL(url('/admin/pf-jira/dead-letters'));
    const delivery = page.locator('article.sy-dl-item').filter({ hasText: 'Lena Lawyer' });
    const deadline = Date.now() + 30_000;
    while (!(await delivery.count())) {
      assert.ok(Date.now() < deadline, 'the delivery did not die within 30 s');
      await new Promise((r) => setTimeout(r, 250));
      await page.reload();
    }
    await delivery.getByText('“Legal” no longer exists in Department; edit the mapping.').waitFor();
    await delivery.getByText(/“New hires → IT onboarding” v1/).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'dead-letters.png'), fullPage: true });

    await delivery.getByRole('link', { name: 'Edit rule “New hires → IT onboarding”' }).click();
    await page.waitForURL(/\/admin\/pf-jira\/rules\/\d+\/edit$/);
    const row = page.locator('[data-row="mapping"]').filter({ has: page.locator('input[value="customfield_10030"]') });
    await row.locator('select[data-source-type]').selectOption('STATIC');
    await row.locator('input[name$=".value"]').fill('Operations');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.waitForURL(url('/admin/pf-jira/rules'));

    await page.goto(url('/admin/pf-jira/dead-letters'));
    await page.locator('article.sy-dl-item').filter({ hasText: 'Lena Lawyer' }).getByRole('button', { name: 'Retry the delivery for Lena Lawyer' }).click();
    await page.getByText('1 delivery queued again').waitFor();

    const synced = Date.now() + 20_000;
    while (!jira.sim.snapshot().issues.some((i) => i.labels.includes(`pf-employee-${employee.id}`))) {
      assert.ok(Date.now() < synced, 'the retried delivery did not reach Jira in 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const issue = jira.sim.snapshot().issues.find((i) => i.labels.includes(`pf-employee-${employee.id}`))!;
    assert.equal((issue.fields.customfield_10030 as { value: string }).value, 'Operations');

    await page.goto(url(`/admin/pf-jira/events?person=${employee.id}`));
    const item = page.locator('.sy-timeline-item').filter({ hasText: 'employee_create' });
    await item.getByText(issue.key).waitFor();
    await item.getByRole('link', { name: /Decision trace of event/ }).click();
    await page.getByTestId('issue-key').getByText(issue.key).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'pf-jira-event-trace.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});
