/// <reference lib="dom" />
// End-to-end: the BQE Core pages of the built hub in Debian's Chromium, against the BQE simulator
// running in this process. The browser adds a connection, connects it through BQE's OAuth consent
// (the simulator consents at once and sends the browser back), saves the UTC offset, tests the
// connection, starts a sync and watches it finish over SSE, then browses the mirrored projects as a
// hierarchy and searches them. Any console error, page error, failed request or CSP violation fails the run.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import type { RunningBqeSimulator } from '../../src/simulators/bqe/bqe-simulator.js';
import { ARTIFACTS, ROOT, ensureBuilt, freePort, launchBrowser, requireChromium, startServer, watchPage, type RunningServer } from './e2e-harness.js';

const ADMIN = { email: 'finance-ops@example.com', password: 'e2e-correct-horse-battery' };

const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(path.join(ROOT, 'dist', rel)).href)) as T;

describe('BQE Core in a real browser', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  let sim: RunningBqeSimulator | undefined;
  let page: Page;
  let base = '';
  const problems: string[] = [];
  const tmpDirs: string[] = [];
  const url = (p: string) => `${base}${p}`;

  before(async () => {
    requireChromium();
    ensureBuilt();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const { startBqeSimulator } = await load<typeof import('../../src/simulators/bqe/bqe-simulator.js')>('simulators/bqe/bqe-simulator.js');
    sim = await startBqeSimulator({ port: 0, redirectUris: [`${base}/admin/bqe/oauth/callback`] });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-bqe-data-'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-bqe-chromium-'));
    tmpDirs.push(dataDir, profileDir);
    const env: NodeJS.ProcessEnv = { ...process.env, HUB_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'warn', HUB_ADMIN_EMAIL: ADMIN.email, HUB_ADMIN_PASSWORD: ADMIN.password };
    delete env.HUB_BASE_URL;
    server = await startServer(env, base);
    context = await launchBrowser(profileDir);
    page = context.pages()[0] ?? (await context.newPage());
    // Leaving the connection page ends its live stream.
    watchPage(page, problems, { expectedAbort: (u, error) => new URL(u).pathname.endsWith('/stream') && error === 'net::ERR_ABORTED' });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    const child = server?.process;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    await context?.close().catch(() => undefined);
    await sim?.close();
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds a connection, connects it through OAuth, saves the offset, tests it and syncs', async () => {
    assert.ok(sim);
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/admin'));

    await page.goto(url('/admin/bqe/connections'));
    assert.equal(await page.getByTestId('redirect-uri').inputValue(), `${base}/admin/bqe/oauth/callback`);
    const form = page.getByRole('form', { name: 'Add connection' });
    await form.getByLabel('Name').fill('Acme Engineering');
    assert.equal(await form.getByLabel('Identity server URL (Custom only)').isVisible(), false, 'hidden until Custom is chosen');
    await form.getByLabel('Environment').selectOption('custom');
    await form.getByLabel('Identity server URL (Custom only)').fill(sim.identityUrl);
    await form.getByLabel('Client ID').fill(sim.sim.defaultClient.clientId);
    await form.getByLabel('Client secret').fill(sim.sim.defaultClient.clientSecret);
    await form.getByRole('button', { name: 'Add connection' }).click();
    await page.waitForURL(/\/admin\/bqe\/connections\/\d+$/);
    await page.getByText('Connection “Acme Engineering” added.').waitFor();

    // htmx follows HX-Redirect to the simulated BQE, which consents at once and sends the browser back to the callback.
    await page.getByRole('button', { name: 'Connect with BQE' }).click();
    await page.getByText(/Connected “Acme Engineering” to BQE Core/).waitFor();
    assert.equal(await page.getByTestId('connection-status').textContent(), 'Connected');
    await page.getByTestId('offset-missing').waitFor();

    const offset = page.getByRole('form', { name: /UTC offset/ });
    await offset.getByLabel('Offset in minutes').fill('-300');
    await offset.getByRole('button', { name: 'Save Offset' }).click();
    await page.getByText('UTC offset saved: UTC−05:00 (-300 minutes).').waitFor();
    await page.getByTestId('offset-missing').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('sample-count').waitFor();
    assert.match((await page.getByTestId('sample-count').textContent()) ?? '', /^\d+$/);

    await page.locator('[data-live-status]').getByText('Live updates: on').waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    // The notice that the sync was queued is replaced as soon as the first progress arrives over SSE.
    const projects = page.locator('[data-object=project]');
    await projects.getByTestId('mirrored-count').getByText(`${sim.sim.data.projects.size} mirrored`).waitFor({ timeout: 30_000 });
    await projects.getByTestId('run-status').getByText('Succeeded').waitFor();
    await page.locator('[data-object=client]').getByTestId('mirrored-count').getByText(`${sim.sim.data.clients.size} mirrored`).waitFor({ timeout: 30_000 });
    await page.locator('table[aria-label="Sync history"] tbody tr').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'bqe-connection.png'), fullPage: true });
  });

  it('browses the mirrored projects as a hierarchy and searches them as you type', async () => {
    assert.ok(sim);
    const records = [...sim.sim.data.projects.values()];
    const root = records.find((p) => p.parentId === null && records.some((c) => c.parentId === p.id));
    assert.ok(root, 'the simulator seeds a project with phases');
    const child = records.find((p) => p.parentId === root.id);
    assert.ok(child);

    await page.goto(url('/admin/bqe/projects'));
    await page.getByRole('link', { name: 'Hierarchy' }).click();
    await page.waitForURL(/view=tree/);
    const node = page.locator(`li[data-project="${root.id}"]`);
    await node.locator('summary').first().click();
    await node.locator(`li[data-project="${child.id}"]`).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'bqe-projects-hierarchy.png'), fullPage: true });

    await page.getByRole('link', { name: 'List and search' }).click();
    const term = root.legacyId !== null ? String(root.legacyId) : root.code;
    await page.getByLabel('Search', { exact: true }).pressSequentially(term);
    await page.waitForURL(new RegExp(`[?&]q=${encodeURIComponent(term)}`));
    await page.locator(`tr[data-project="${root.id}"]`).waitFor();
    assert.ok((await page.locator('tr[data-project]').count()) < records.length, 'the table shows the matches only');
    await page.screenshot({ path: path.join(ARTIFACTS, 'bqe-projects.png'), fullPage: true });
    assert.deepEqual(problems, [], server?.output());
  });
});
