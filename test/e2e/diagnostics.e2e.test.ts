/// <reference lib="dom" />
// End-to-end: the diagnostics page of the built hub in Debian's Chromium. The browser signs in, opens a
// few pages and sends an htmx form; static/latency.js reports those timings, and /admin/io then shows
// them beside the server's own, refreshing itself by polling. Any console error, page error, failed
// request or CSP violation fails the run.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, ensureBuilt, freePort, launchBrowser, requireChromium, startServer, watchPage } from './e2e-harness.js';

const ADMIN = { email: 'ops@example.com', password: 'e2e-correct-horse-battery' };

describe('the diagnostics page in a real browser', () => {
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base = '';
  const tmpDirs: string[] = [];
  const problems: string[] = [];
  const url = (p: string) => `${base}${p}`;

  /** The text of one latency cell: the action's row, then the source's count cell. */
  const count = (p: Page, action: string, source: 'server' | 'browser') => p.locator(`tr[data-action="${action}"] [data-source="${source}"]`).textContent();

  before(async () => {
    requireChromium();
    ensureBuilt();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-diag-data-'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-diag-chromium-'));
    tmpDirs.push(dataDir, profileDir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
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
    server = (await startServer(env, base)).process;
    context = await launchBrowser(profileDir);
    page = context.pages()[0] ?? (await context.newPage());
    // Leaving the jobs page ends its event stream; that is how it should end.
    watchPage(page, problems, { expectedAbort: (u, error) => u.endsWith('/admin/jobs/stream') && error === 'net::ERR_ABORTED' });
    page.on('dialog', (d) => void d.accept());
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await context?.close().catch(() => undefined);
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('signs in and walks through a few pages', async () => {
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/admin'));
    const menu = page.getByRole('complementary', { name: 'Sections' });
    await menu.getByRole('link', { name: 'Jobs' }).click();
    await page.waitForURL(url('/admin/jobs'));
    await page.getByText('Live updates: on').waitFor();
    await menu.getByRole('link', { name: 'Diagnostics' }).click();
    await page.waitForURL(url('/admin/io'));
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Diagnostics');
  });

  it('purges through htmx and says so without leaving the page', async () => {
    await page.getByRole('button', { name: 'Purge', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'No entries in the cache; nothing changed.' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/io');
  });

  it('shows browser timings beside the server ones once the page has polled', async () => {
    // The browser reports every 5 s (or on leaving a page) and the sections poll every 5 s.
    // No named inner functions here: tsx would wrap them in a helper the page does not have.
    await page.waitForFunction(
      (actions) => actions.every((a) => (document.querySelector(`tr[data-action="${a}"] [data-source="browser"]`)?.textContent ?? '—') !== '—'),
      ['Page /admin/jobs', 'Diagnostics refresh', 'POST /admin/io/cache/purge-prefix'],
      { timeout: 30_000 },
    );
    assert.ok(Number(await count(page, 'GET /admin/jobs', 'server')) >= 1);
    assert.ok(Number(await count(page, 'Diagnostics refresh', 'server')) >= 1);
    assert.ok(Number(await count(page, 'POST /admin/io/cache/purge-prefix', 'server')) >= 1);
    assert.ok(Number(await count(page, 'Page /admin/jobs', 'browser')) >= 1);
    assert.equal(await page.locator('tr[data-action="POST /admin/io/latency"]').count(), 0, 'the reports themselves are not timed');
    assert.equal(await page.locator('tr[data-pool]').count(), 2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'diagnostics.png'), fullPage: true });
  });

  it('no console errors, page errors, failed requests or CSP violations happened', () => {
    assert.deepEqual(problems, []);
  });
});
