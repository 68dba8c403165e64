/// <reference lib="dom" />
// End-to-end: the built hub (`node dist/cli.js serve`) in a child process, driven by Debian's Chromium
// through playwright-core. One browser session walks first-run setup, sign-out/in, settings (htmx),
// a CSS-only tooltip and help, and fails on any console error, page error, failed request or CSP violation.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, ensureBuilt, freePort, launchBrowser, requireChromium, startServer, watchPage } from './e2e-harness.js';

const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'e2e-correct-horse-battery' };


describe('Switchyard in a real browser', () => {
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base = '';
  const tmpDirs: string[] = [];
  const problems: string[] = [];

  const url = (p: string) => `${base}${p}`;
  const pathname = () => new URL(page.url()).pathname;

  before(async () => {
    requireChromium();
    ensureBuilt();

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-data-'));
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-chromium-'));
    tmpDirs.push(dataDir, profileDir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;

    const env: NodeJS.ProcessEnv = { ...process.env, HUB_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'info' };
    // Setup must happen in the browser, so no admin comes from the environment.
    delete env.HUB_ADMIN_EMAIL;
    delete env.HUB_ADMIN_PASSWORD;
    delete env.HUB_BASE_URL;
    server = (await startServer(env, base)).process;

    context = await launchBrowser(profileDir);
    page = context.pages()[0] ?? (await context.newPage());
    // A deliberate 422 from the settings form is expected.
    watchPage(page, problems, { expected: (url, status) => status === 422 && url.includes('/admin/settings/') });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('first run: / leads to setup, which creates the admin and signs them in', async () => {
    await page.goto(url('/'));
    assert.equal(pathname(), '/setup');
    await page.getByLabel('Your name').fill(ADMIN.name);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Repeat password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.waitForURL(url('/admin'));
    await page.getByRole('status').filter({ hasText: `Welcome, ${ADMIN.name}` }).waitFor();
  });

  it('signs out from the user menu and back in', async () => {
    await page.getByRole('link', { name: /User menu for/ }).hover();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'user-menu.png'), clip: { x: 780, y: 0, width: 500, height: 260 } });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(url('/login'));
    await page.getByText('You are signed out.').waitFor();

    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/admin'));
    await page.getByRole('link', { name: /User menu for/ }).waitFor();
  });

  it('settings: a bad value shows its error in place (htmx), a good one saves and persists', async () => {
    await page.goto(url('/admin/settings'));
    const card = () => page.getByRole('form', { name: 'General settings' });
    const lifetime = () => card().getByLabel('Session lifetime');

    // A marker on window survives an htmx swap but not a page load.
    await page.evaluate(() => ((window as unknown as { __e2eNoReload: boolean }).__e2eNoReload = true));
    await lifetime().fill('0');
    await card().getByRole('button', { name: 'Save General settings' }).click();
    await card().getByText('Must be at least 1').waitFor();
    assert.equal(pathname(), '/admin/settings');
    assert.equal(await page.evaluate(() => (window as unknown as { __e2eNoReload?: boolean }).__e2eNoReload), true, 'the page reloaded instead of swapping the card');
    assert.equal(await lifetime().getAttribute('aria-invalid'), 'true');

    await lifetime().fill('8');
    await card().getByRole('button', { name: 'Save General settings' }).click();
    await card().getByText('General settings saved.').waitFor();
    assert.equal(await card().getByText('Must be at least 1').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __e2eNoReload?: boolean }).__e2eNoReload), true);

    await page.reload();
    assert.equal(await lifetime().inputValue(), '8');
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings.png'), fullPage: true });
  });

  it('a CSS-only tooltip shows its text on focus', async () => {
    const tip = page.locator('label', { hasText: 'Session lifetime' }).locator('.sy-tip');
    const tipText = await tip.getAttribute('data-tip');
    assert.ok(tipText && tipText.trim().length > 0, 'the tooltip has no data-tip text');
    assert.equal(await tip.evaluate((el) => getComputedStyle(el, '::after').opacity), '0', 'the tooltip shows before focus');
    await tip.focus();
    // The fade-in is a short transition: wait for it to finish.
    await page.waitForFunction((el) => getComputedStyle(el, '::after').opacity === '1', await tip.elementHandle());
    const after = await tip.evaluate((el) => {
      const s = getComputedStyle(el, '::after');
      return { opacity: s.opacity, visibility: s.visibility, content: s.content };
    });
    assert.equal(after.opacity, '1');
    assert.equal(after.visibility, 'visible');
    assert.equal(after.content, JSON.stringify(tipText));
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-tooltip.png') });
  });

  it('help: the settings page links to its help, and topics render with a table of contents', async () => {
    await page.getByRole('link', { name: 'Help: Settings' }).click();
    await page.waitForURL(/\/admin\/help\//);
    const linked = ((await page.locator('main h1.title').textContent()) ?? '').trim();
    assert.ok(linked.length > 0, 'the linked help topic has no title');
    assert.notEqual(linked, 'Help topic not found', `"Help: Settings" links to a missing topic (${pathname()}): add user_guides/${path.basename(pathname())}.md`);

    await page.goto(url('/admin/help'));
    const topics = page.getByRole('list', { name: 'Help topics' }).getByRole('link');
    assert.ok((await topics.count()) > 0, 'the help index lists no topics');
    // The getting-started guide's title may change; its URL is stable.
    await page.locator('a[href="/admin/help/getting-started"]').click();
    await page.waitForURL(url('/admin/help/getting-started'));
    const title = ((await page.locator('main h1.title').textContent()) ?? '').trim();
    assert.ok(title.length > 0, 'the topic has no title');
    assert.equal(await page.locator('h1').count(), 1, 'the topic repeats its title as a second h1');

    await page.screenshot({ path: path.join(ARTIFACTS, 'help.png'), fullPage: true });

    const h2s = page.locator('article.sy-help h2');
    if ((await h2s.count()) > 0) {
      const toc = page.getByRole('navigation', { name: 'On this page' });
      const links = toc.getByRole('link');
      assert.ok((await links.count()) > 0, 'the topic has sections but no "On this page" links');
      const first = links.first();
      const target = ((await first.getAttribute('href')) ?? '').slice(1);
      await first.click();
      await page.locator(`[id="${target}"]`).waitFor({ state: 'visible' });
      assert.equal(new URL(page.url()).hash, `#${target}`);
    }
  });

  it('no console errors, page errors, failed requests or CSP violations happened', () => {
    assert.deepEqual(problems, []);
  });
});
