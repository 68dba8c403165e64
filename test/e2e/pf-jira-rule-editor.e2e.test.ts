/// <reference lib="dom" />
// End-to-end: the rule editor modal in the built hub, with both simulators in this process. An admin
// opens "New rule", the Jira parts hydrate, picks a project with Tom Select's remote search, builds a
// condition from a suggested path and mappings with a required field flagged, previews the rule
// against a recorded event (winning rule, request body, a per-field error), fixes it, and saves: the
// modal closes and the new rule's badge goes Validating → Valid without a reload. Any console error, page error,
// failed request or CSP violation fails the run.
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
const WEBHOOK_SECRET = 'e2e-webhook-secret';

const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(path.join(ROOT, 'dist', rel)).href)) as T;

/** Migrates the data folder with the built code: example rules, the fallback project and both connections. */
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

describe('the rule editor in a real browser', () => {
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base = '';
  const tmpDirs: string[] = [];
  const problems: string[] = [];
  let jira: { url: string; close(): Promise<void>; sim: { credentials: { email: string; apiToken: string }; faults: { add(f: Record<string, unknown>): unknown } } };
  let pf: { url: string; close(): Promise<void>; sim: { setWebhook(c: { url: string; secret: string }): unknown; hire(i: Record<string, unknown>): { id: number }; webhooksIdle(): Promise<void>; today(): string } };

  const url = (p: string) => `${base}${p}`;

  before(async () => {
    requireChromium();
    ensureBuilt();
    const { startJiraSimulator } = await load<typeof import('../../src/simulators/jira/jira-simulator.js')>('simulators/jira/jira-simulator.js');
    const { startPeopleForceSimulator } = await load<typeof import('../../src/simulators/peopleforce/peopleforce-simulator.js')>('simulators/peopleforce/peopleforce-simulator.js');
    jira = await startJiraSimulator({ port: 0 });
    pf = await startPeopleForceSimulator({ port: 0 });

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-editor-data-'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-editor-chromium-'));
    tmpDirs.push(dataDir, profileDir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, HUB_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'warn', HUB_ADMIN_EMAIL: ADMIN.email, HUB_ADMIN_PASSWORD: ADMIN.password };
    delete env.HUB_BASE_URL;
    await seed(env, {
      jiraSiteUrl: jira.url,
      jiraEmail: jira.sim.credentials.email,
      jiraApiToken: jira.sim.credentials.apiToken,
      peopleforceUrl: pf.url,
      peopleforceApiKey: 'demo-pf-key',
      peopleforceWebhookSecret: WEBHOOK_SECRET,
    });
    server = (await startServer(env, base)).process;
    pf.sim.setWebhook({ url: `${base}/hooks/pf-jira/peopleforce`, secret: WEBHOOK_SECRET });
    // One recorded event, so the editor has path suggestions and a sample to preview against.
    pf.sim.hire({ first_name: 'Grace', last_name: 'Preview', email: 'grace.preview@example.com', department: 'Engineering', position: 'Engineer', employment_type: 'Full-Time', hired_on: pf.sim.today() });
    await pf.sim.webhooksIdle();

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

  it('builds, previews and saves a rule in the modal', async () => {
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/admin'));
    await page.goto(url('/admin/pf-jira/rules'));

    await page.getByRole('link', { name: 'New rule' }).click();
    const modal = page.locator('#sy-modal-root .modal.is-active');
    await modal.waitFor();
    await modal.getByLabel('Name').fill('Engineering hires (editor)');
    await modal.getByLabel('Priority').fill('5');

    // Tom Select with remote search over the cached project list.
    const projectPicker = modal.locator('#rule-project-picker .ts-control');
    await projectPicker.waitFor();
    await projectPicker.click();
    await page.keyboard.type('IT Serv');
    await page.locator('.ts-dropdown .option', { hasText: 'IT · IT Service' }).click();
    const issueType = modal.locator('select#rule-issue-type');
    await issueType.waitFor();
    await issueType.selectOption({ label: 'Onboarding' });
    await modal.locator('[data-testid="required-missing"]', { hasText: 'Department' }).waitFor();

    // A condition from a suggested path.
    const suggestions = await modal.locator('#rule-path-suggestions option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    assert.ok(suggestions.includes('$.department.name'), `suggestions: ${suggestions.join(', ')}`);
    await modal.locator('#rule-conditions-0-path').fill('$.department.name');
    await modal.locator('#rule-conditions-0-value').fill('Engineering');

    // The required Department field, flagged ★, added from the list; first with a value Jira would refuse.
    await modal.getByRole('button', { name: 'Add a mapping for Department' }).first().click();
    const department = modal.locator('#rule-mappings-1-fieldId');
    await department.waitFor();
    assert.equal(await department.inputValue(), 'customfield_10030');
    await modal.locator('#rule-mappings-1-value').fill('Astrophysics');

    await modal.getByRole('button', { name: 'Preview' }).click();
    const preview = modal.locator('[data-testid="rule-preview"]');
    await preview.locator('[data-testid="preview-decision"]', { hasText: 'This rule (the draft)' }).waitFor();
    await preview.locator('[data-testid="preview-body"]').waitFor();
    assert.match((await preview.locator('[data-testid="preview-body"]').textContent()) ?? '', /"project": \{\s*"key": "IT"/);
    await preview.locator('[data-testid="preview-problems"]', { hasText: 'Department' }).waitFor();
    await preview.locator('[data-testid="preview-decision"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(ARTIFACTS, 'rule-modal.png') });

    await modal.locator('#rule-mappings-1-value').fill('IT');
    await modal.getByRole('button', { name: 'Preview' }).click();
    await preview.locator('[data-testid="preview-clean"]').waitFor();

    // Jira takes its time describing the project, so the check that follows the save is seen running.
    jira.sim.faults.add({ kind: 'slow', delayMs: 2_000, count: 2, match: 'createmeta/IT' });
    await modal.getByRole('button', { name: 'Save rule' }).click();
    await page.locator('#sy-modal-root .modal').waitFor({ state: 'detached' });
    await page.getByText(/Rule “Engineering hires \(editor\)” saved as version 1/).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Engineering hires (editor)' });
    await row.locator('[data-testid="rule-status"][data-status="validating"]').waitFor({ timeout: 10_000 });
    await row.locator('[data-testid="rule-status"][data-status="valid"]').waitFor({ timeout: 20_000 });
    assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'the badge changed without a reload');
    assert.deepEqual(problems, []);
  });
});
