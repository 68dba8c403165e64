/// <reference lib="dom" />
// End-to-end: the routing rules dashboard in the built hub, with both simulators in this process.
// Rules are reordered by drag and drop and from the keyboard, a change to the simulated Jira schema
// turns a badge Invalid (and the rule off) live over SSE without a reload, and Sync now shows its summary.
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

const ADMIN = { email: 'rules-admin@example.com', password: 'e2e-correct-horse-battery' };
const OFFBOARDING = 'Terminations → HR offboarding';
const ONBOARDING = 'New hires → IT onboarding';
const CONTRACTORS = 'Contractors are not onboarded';

const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(path.join(ROOT, 'dist', rel)).href)) as T;

/** Migrates the data folder with the built code, points the plugin at the simulators and loads the example rules. */
const seed = async (env: NodeJS.ProcessEnv, jira: { url: string; email: string; apiToken: string }, pfUrl: string): Promise<void> => {
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
      settings: { jiraSiteUrl: jira.url, jiraEmail: jira.email, jiraApiToken: jira.apiToken, peopleforceUrl: pfUrl, peopleforceApiKey: 'demo-pf-key' },
    });
    const rules = createRuleService({ handle: ctx.db, tx: transactionRunner(ctx.db), audit: ctx.audit, clock: ctx.clock });
    for (const rule of EXAMPLE_RULES) rules.create(rule, systemActor);
  } finally {
    ctx.close();
  }
};

describe('the routing rules dashboard in a real browser', () => {
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base = '';
  const tmpDirs: string[] = [];
  const problems: string[] = [];
  let jira: { url: string; close(): Promise<void>; sim: { credentials: { email: string; apiToken: string }; setFieldRequired(i: { project: string; issueTypeId: string; fieldId: string; required: boolean }): void } };
  let pf: { url: string; close(): Promise<void> };

  const url = (p: string) => `${base}${p}`;
  const names = () => page.locator('#rules-body a.sy-rule-name').allTextContents();
  const row = (name: string) => page.locator('#rules-body tr', { has: page.getByRole('link', { name, exact: true }) });
  const waitForOrder = async (expected: string[]) => {
    await page.waitForFunction((want) => [...document.querySelectorAll('#rules-body a.sy-rule-name')].map((a) => a.textContent).join('|') === want.join('|'), expected);
  };
  const live = () => page.getByText('Live updates: on').waitFor();

  before(async () => {
    requireChromium();
    ensureBuilt();
    const { startJiraSimulator } = await load<typeof import('../../src/simulators/jira/jira-simulator.js')>('simulators/jira/jira-simulator.js');
    const { startPeopleForceSimulator } = await load<typeof import('../../src/simulators/peopleforce/peopleforce-simulator.js')>('simulators/peopleforce/peopleforce-simulator.js');
    jira = await startJiraSimulator({ port: 0 });
    pf = await startPeopleForceSimulator({ port: 0 });

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-rules-data-'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-rules-chromium-'));
    tmpDirs.push(dataDir, profileDir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, HUB_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'warn', HUB_ADMIN_EMAIL: ADMIN.email, HUB_ADMIN_PASSWORD: ADMIN.password };
    delete env.HUB_BASE_URL;
    await seed(env, { url: jira.url, email: jira.sim.credentials.email, apiToken: jira.sim.credentials.apiToken }, pf.url);
    server = (await startServer(env, base)).process;

    context = await launchBrowser(profileDir);
    page = context.pages()[0] ?? (await context.newPage());
    watchPage(page, problems, { expectedAbort: (u, error) => new URL(u).pathname === '/admin/pf-jira/rules/stream' && error === 'net::ERR_ABORTED' });
    fs.mkdirSync(ARTIFACTS, { recursive: true });

    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/admin'));
  });

  after(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    await context?.close().catch(() => undefined);
    await jira?.close();
    await pf?.close();
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reorders two rules by drag and drop, and the order survives a reload', async () => {
    await page.goto(url('/admin/pf-jira/rules'));
    await live();
    assert.deepEqual((await names()).slice(0, 2), [CONTRACTORS, ONBOARDING]);

    await page.getByRole('button', { name: `Move ${ONBOARDING}`, exact: true }).dragTo(row(CONTRACTORS), { targetPosition: { x: 40, y: 3 } });
    await waitForOrder([ONBOARDING, CONTRACTORS, OFFBOARDING, 'Other employee changes are not ticketed']);
    await page.getByRole('status').filter({ hasText: `${ONBOARDING} is now number 1 of 4.` }).waitFor({ state: 'attached' });

    await page.reload();
    await live();
    assert.deepEqual((await names()).slice(0, 2), [ONBOARDING, CONTRACTORS]);
  });

  it('moves a rule with the keyboard (the Up button and Alt+↓ on the handle), and the order survives a reload', async () => {
    const up = page.getByRole('button', { name: `Move ${OFFBOARDING} up` });
    await up.focus();
    await page.keyboard.press('Enter');
    await waitForOrder([ONBOARDING, OFFBOARDING, CONTRACTORS, 'Other employee changes are not ticketed']);
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label')?.endsWith('offboarding up'));

    await page.getByRole('button', { name: `Move ${ONBOARDING}`, exact: true }).focus();
    await page.keyboard.press('Alt+ArrowDown');
    await waitForOrder([OFFBOARDING, ONBOARDING, CONTRACTORS, 'Other employee changes are not ticketed']);
    await page.getByRole('status').filter({ hasText: `${ONBOARDING} is now number 2 of 4.` }).waitFor({ state: 'attached' });

    await page.reload();
    await live();
    assert.deepEqual((await names()).slice(0, 3), [OFFBOARDING, ONBOARDING, CONTRACTORS]);
  });

  it('after a Jira schema change, validation turns the badge Invalid and the rule off, live and without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { syNoReload: boolean }).syNoReload = true));
    jira.sim.setFieldRequired({ project: 'HR', issueTypeId: 'Offboarding', fieldId: 'duedate', required: true });
    await page.getByRole('button', { name: 'Validate all rules now' }).click();
    await page.getByText('Validation of every enabled rule was queued').waitFor();

    const badge = row(OFFBOARDING).locator('[data-testid=rule-status]');
    await badge.and(page.locator('[data-status=invalid]')).waitFor({ timeout: 15_000 });
    await row(OFFBOARDING).getByRole('switch').and(page.locator('[aria-checked=false]')).waitFor({ timeout: 15_000 });
    await row(ONBOARDING).locator('[data-status=valid]').waitFor({ timeout: 15_000 });
    assert.match((await badge.getAttribute('data-tip')) ?? '', /Due date/);
    await badge.hover();
    await page.waitForFunction(() => {
      const el = [...document.querySelectorAll('[data-status=invalid]')][0];
      return el ? getComputedStyle(el, '::after').opacity === '1' : false;
    });
    assert.equal(await page.evaluate(() => (window as unknown as { syNoReload?: boolean }).syNoReload), true, 'the page was not reloaded');
  });

  it('Sync now shows progress and then the summary of the run', async () => {
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByTestId('sync-last').waitFor({ timeout: 20_000 });
    assert.ok(Number(await page.getByTestId('sync-seen').textContent()) > 0);
    for (const id of ['sync-events', 'sync-synced', 'sync-dropped', 'sync-failed']) await page.getByTestId(id).waitFor();
    for (const dismiss of await page.getByRole('button', { name: 'Dismiss message' }).all()) await dismiss.click();
    await page.screenshot({ path: path.join(ARTIFACTS, 'rules-dashboard.png'), fullPage: true });
  });

  it('had no console errors, failed requests or CSP violations', () => {
    assert.deepEqual(problems, []);
  });
});
