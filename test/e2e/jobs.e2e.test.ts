/// <reference lib="dom" />
// End-to-end: the jobs page of the built hub (`node dist/cli.js serve`) in Debian's Chromium through
// playwright-core. Dead jobs are put into the data folder with the built queue code before the hub
// starts; the browser then filters them, reads one, watches the counts change live over SSE when a
// second tab deletes a job, and retries the rest in bulk. Any console error, page error, failed
// request or CSP violation fails the run.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, ROOT, ensureBuilt, freePort, launchBrowser, requireChromium, startServer, watchPage } from './e2e-harness.js';

const ADMIN = { email: 'ops@example.com', password: 'e2e-correct-horse-battery' };
const SYNC_ERROR = 'Jira answered 400: customfield_10042 is required';


interface SeededJobs {
  sync: number[];
  other: number[];
}

/**
 * Opens the data folder with the built code (which migrates it), adds dead and waiting jobs the way
 * a failing integration would leave them, and closes it again, all before the hub starts.
 */
const seedJobs = async (env: NodeJS.ProcessEnv): Promise<SeededJobs> => {
  const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(path.join(ROOT, 'dist', rel)).href)) as T;
  const { loadConfig } = await load<typeof import('../../src/config.js')>('config.js');
  const { createLogger } = await load<typeof import('../../src/platform/logger.js')>('platform/logger.js');
  const { createAppContext } = await load<typeof import('../../src/app-context.js')>('app-context.js');
  const ctx = await createAppContext(loadConfig(env, false), createLogger({ level: 'silent', format: 'json' }));
  try {
    const later = new Date(Date.now() + 3_600_000);
    const deadJob = async (task: string, payload: unknown, reason: string) => {
      const job = await ctx.queue.addJob(task, payload, { runAt: later, maxAttempts: 3 });
      await ctx.queue.permanentlyFailJobs([job.id], reason);
      return job.id;
    };
    const sync: number[] = [];
    for (const email of ['ana@example.com', 'ben@example.com', 'cy@example.com']) sync.push(await deadJob('e2e.sync_employee', { employee: { email } }, SYNC_ERROR));
    const other = [await deadJob('e2e.notify', { channel: '#hr' }, 'Slack answered 404: channel_not_found'), await deadJob('e2e.notify', { channel: '#ops' }, 'Slack answered 404: channel_not_found')];
    await ctx.queue.addJob('e2e.sync_employee', { employee: { email: 'dee@example.com' } }, { runAt: later, queueName: 'hr-sync' });
    return { sync, other };
  } finally {
    ctx.close();
  }
};

describe('the jobs page in a real browser', () => {
  let server: ChildProcess | undefined;
  let serverOutput = (): string => '';
  let context: BrowserContext | undefined;
  let page: Page;
  let base = '';
  let seeded: SeededJobs;
  const tmpDirs: string[] = [];
  const problems: string[] = [];

  const url = (p: string) => `${base}${p}`;
  const deadCount = (p: Page) => p.locator('[data-count="dead"]').textContent();

  const watch = (p: Page, name: string) => {
    // Leaving a page cancels its open event stream; that is how it should end.
    watchPage(p, problems, { name, expectedAbort: (u, error) => u.endsWith('/admin/jobs/stream') && error === 'net::ERR_ABORTED' });
    // Deleting asks first; the test agrees.
    p.on('dialog', (d) => void d.accept());
  };

  before(async () => {
    requireChromium();
    ensureBuilt();

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-jobs-data-'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-jobs-chromium-'));
    tmpDirs.push(dataDir, profileDir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;

    // The admin comes from the environment, so there is no setup step.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HUB_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      HUB_ADMIN_EMAIL: ADMIN.email,
      HUB_ADMIN_PASSWORD: ADMIN.password,
    };
    delete env.HUB_BASE_URL;
    seeded = await seedJobs(env);

    const running = await startServer(env, base);
    server = running.process;
    serverOutput = running.output;

    context = await launchBrowser(profileDir);
    page = context.pages()[0] ?? (await context.newPage());
    watch(page, 'first tab');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    // Stopped while the page still holds its event stream open: the hub must end it, not wait out its 10 s shutdown timeout.
    let stopMs = 0;
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      const started = Date.now();
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      stopMs = Date.now() - started;
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await context?.close().catch(() => undefined);
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
    assert.ok(stopMs < 5000, `the hub took ${stopMs} ms to stop with a live page open:\n${serverOutput().split('\n').slice(-5).join('\n')}`);
  });

  it('signs in and shows the dead count on the jobs page, with live updates on', async () => {
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/admin'));

    await page.getByRole('complementary', { name: 'Sections' }).getByRole('link', { name: 'Jobs' }).click();
    await page.waitForURL(url('/admin/jobs'));
    assert.equal(await deadCount(page), '5');
    // The seeded hr-sync job, plus each installed plugin's polling tick.
    assert.ok(Number(await page.locator('[data-count="scheduled"]').textContent()) >= 1);
    await page.getByText('Live updates: on').waitFor();
    const hrSync = page.getByRole('table', { name: 'Jobs by queue' }).getByRole('row', { name: /hr-sync/ });
    assert.match((await hrSync.textContent()) ?? '', /hr-sync\s+1\s+0\s+0\s+0/);
  });

  it('filters by state dead and opens a job to read its error', async () => {
    await page.getByLabel('State', { exact: true }).selectOption('dead');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/admin/jobs' && u.searchParams.get('state') === 'dead');
    const rows = page.getByRole('table', { name: 'Jobs', exact: true }).locator('tbody tr');
    assert.equal(await rows.count(), 5, (await rows.allTextContents()).join('\n'));
    assert.equal(await page.locator('#jobs-total').textContent(), '5 jobs match this filter.');

    const id = seeded.sync[0]!;
    await page.getByRole('link', { name: `#${id}`, exact: true }).click();
    await page.waitForURL(url(`/admin/jobs/${id}`));
    assert.equal(await page.locator('main h1').textContent(), `Job #${id}`);
    await page.locator('ol.sy-job-errors').getByText(SYNC_ERROR).waitFor();
    assert.match((await page.locator('pre.sy-payload').textContent()) ?? '', /"email": "ana@example.com"/);
    assert.equal(await page.locator('[data-field="attempts"]').textContent(), '3 / 3');
    await page.screenshot({ path: path.join(ARTIFACTS, 'job-detail.png'), fullPage: true });

    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/admin/jobs' && u.searchParams.get('state') === 'dead');
    assert.equal(await page.getByLabel('State', { exact: true }).inputValue(), 'dead');
  });

  it('updates the counts live when a job is deleted in another tab', async () => {
    // The first tab is back on the list; a fresh load makes sure its stream is connected.
    await page.reload();
    await page.getByText('Live updates: on').waitFor();
    await page.evaluate(() => ((window as unknown as { __e2eNoReload: boolean }).__e2eNoReload = true));
    assert.equal(await deadCount(page), '5');

    const second = await context!.newPage();
    watch(second, 'second tab');
    const victim = seeded.other[0]!;
    await second.goto(url(`/admin/jobs/${victim}`));
    await second.getByRole('button', { name: 'Delete' }).click();
    await second.waitForURL(url('/admin/jobs'));
    await second.getByRole('status').filter({ hasText: `Deleted job #${victim}.` }).waitFor();
    await second.close();

    await page.waitForFunction(() => document.querySelector('[data-count="dead"]')?.textContent === '4');
    assert.equal(await page.evaluate(() => (window as unknown as { __e2eNoReload?: boolean }).__e2eNoReload), true, 'the page reloaded instead of updating live');
    // The list itself is not live: the deleted job's row is still there until the next load.
    assert.equal(await page.locator(`tr#job-${victim}`).count(), 1);
  });

  it('"Retry all dead jobs matching this filter" retries them and says how many', async () => {
    await page.reload();
    assert.equal(await page.locator('[data-dead-matching]').textContent(), '4');
    await page.getByRole('button', { name: 'Retry all dead jobs matching this filter' }).click();
    await page.getByRole('status').filter({ hasText: 'Retried 4 jobs.' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/jobs');
    // Their tasks do not exist in this build, so the runner marks them dead again at once; the counts follow over the new stream.
    await page.getByText('Live updates: on').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-count="dead"]')?.textContent === '4');
    await page.screenshot({ path: path.join(ARTIFACTS, 'jobs.png'), fullPage: true });
  });

  it('no console errors, page errors, failed requests or CSP violations happened', () => {
    assert.deepEqual(problems, []);
  });
});
