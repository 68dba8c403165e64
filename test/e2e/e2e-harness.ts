/// <reference lib="dom" />
// What every browser test needs: the built hub in a child process on a free port, and Debian's Chromium
// driven by playwright-core with CSP violations reported on the console.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

export { freePort } from '../helpers/net.js';

export const requireChromium = (): void => {
  if (!fs.existsSync(CHROMIUM)) {
    assert.fail(`${CHROMIUM} is missing: the browser tests need Debian's Chromium. Install it with: sudo apt-get install -y chromium`);
  }
};

/** Builds when dist/ is missing or older than the newest source file, so the test never runs stale code. */
export const ensureBuilt = (): void => {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((m, d) => {
      const full = path.join(dir, d.name);
      return Math.max(m, d.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
    }, 0);
  if (fs.existsSync(cli) && newest(path.join(ROOT, 'dist')) >= newest(path.join(ROOT, 'src'))) return;
  const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(res.status, 0, `npm run build failed:\n${res.stdout}\n${res.stderr}`);
};

export interface RunningServer {
  process: ChildProcess;
  output(): string;
}

/** Starts `node dist/cli.js serve` with the given environment and waits for /healthz to answer 200. */
export const startServer = async (env: NodeJS.ProcessEnv, base: string): Promise<RunningServer> => {
  let output = '';
  const server = spawn(process.execPath, ['dist/cli.js', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  server.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (server.exitCode !== null) assert.fail(`the hub exited with code ${server.exitCode} before it was healthy:\n${output}`);
    const ok = await fetch(`${base}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) assert.fail(`the hub did not answer /healthz within 20 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { process: server, output: () => output };
};

/** A fresh Chromium profile; CSP violations are reported through the console (an init script runs outside the page's CSP). */
export const launchBrowser = async (profileDir: string): Promise<BrowserContext> => {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'} (${e.sourceFile || 'page'}:${e.lineNumber})`);
    });
  });
  return context;
};

export interface WatchOptions {
  /** Prefixes each problem, when a test drives several tabs. */
  name?: string;
  /** An error answer the test provokes on purpose (Chromium also logs it to the console). */
  expected?: (url: string, status: number) => boolean;
  /** A request the test expects to be cut short (leaving a page ends its event stream). */
  expectedAbort?: (url: string, errorText: string | undefined) => boolean;
}

/** Collects every console error, page error, failed request and error answer; a browser test ends by asserting there were none. */
export const watchPage = (page: Page, problems: string[], options: WatchOptions = {}): void => {
  const prefix = options.name ? `${options.name}: ` : '';
  page.setDefaultTimeout(10_000);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(msg.text())?.[1];
    if (status && options.expected?.(msg.location().url, Number(status))) return;
    problems.push(`${prefix}console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`${prefix}page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    if (options.expectedAbort?.(req.url(), req.failure()?.errorText)) return;
    problems.push(`${prefix}request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !options.expected?.(res.url(), res.status())) problems.push(`${prefix}HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
  });
};
