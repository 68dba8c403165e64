#!/usr/bin/env node
// Start-up benchmark: how long the built hub takes from spawn to its first /healthz 200, and how much
// memory it holds when idle. Prints one JSON object on stdout (progress goes to stderr).
// Exits 0 even when a target is missed; non-zero only when the hub fails to start.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 5;
const POLL_MS = 10;
const IDLE_MS = 2000;
const START_TIMEOUT_MS = 30_000;
const TARGETS = { startMs: 1500, idleRssMb: 90 };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

/** Resolves true only for a 200; connection errors (not listening yet) resolve false. */
const healthy = (port) =>
  new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });

const rssMb = (pid) => {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Math.round((Number(line.split(/\s+/)[1]) / 1024) * 10) / 10; // kB → MiB, one decimal
};

class StartFailed extends Error {}

/** One start: spawn, poll until healthy, optionally idle and read RSS, then SIGTERM and wait for exit. */
const startOnce = async (dataDir, { measureRss }) => {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', HUB_DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' };
  delete env.HUB_ADMIN_EMAIL;
  delete env.HUB_ADMIN_PASSWORD;
  let output = '';
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/cli.js', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (b) => (output += b));
  child.stderr.on('data', (b) => (output += b));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  try {
    let startMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new StartFailed(`the hub exited (code ${child.exitCode}, signal ${child.signalCode}) before /healthz answered:\n${output}`);
      if (await healthy(port)) {
        startMs = Math.round(performance.now() - t0);
        break;
      }
      if (performance.now() - t0 > START_TIMEOUT_MS) throw new StartFailed(`/healthz did not answer 200 within ${START_TIMEOUT_MS} ms:\n${output}`);
      await sleep(POLL_MS);
    }
    let rss;
    if (measureRss) {
      await sleep(IDLE_MS);
      rss = rssMb(child.pid);
    }
    return { startMs, rssMb: rss };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const { code, signal } = await exited;
      clearTimeout(timer);
      if (code !== 0) log(`note: the hub exited with code ${code}${signal ? ` (signal ${signal})` : ''} after SIGTERM`);
    }
  }
};

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : Math.round(((sorted[mid - 1] + sorted[mid]) / 2) * 10) / 10;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
};

const main = async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) {
    log('dist/ is missing: running npm run build');
    const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (res.status !== 0) throw new StartFailed('npm run build failed');
  }

  const dirs = [];
  try {
    const cold = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
      dirs.push(dir);
      const run = await startOnce(dir, { measureRss: true });
      log(`cold start ${i + 1}/${RUNS}: ${run.startMs} ms, idle RSS ${run.rssMb} MB`);
      cold.push(run);
    }
    // Warm: the first run's data dir already holds a migrated database and a secret key.
    const warm = await startOnce(dirs[0], { measureRss: false });
    log(`warm start: ${warm.startMs} ms`);

    const coldStartMs = stats(cold.map((r) => r.startMs));
    const idleRssMb = stats(cold.map((r) => r.rssMb));
    const result = {
      node: process.version,
      runs: RUNS,
      coldStartMs,
      warmStartMs: warm.startMs,
      idleRssMb,
      targets: TARGETS,
      // Judged on the median of the cold runs.
      meetsTargets: { start: coldStartMs.median <= TARGETS.startMs, rss: idleRssMb.median <= TARGETS.idleRssMb },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
};

main().catch((err) => {
  log(err instanceof StartFailed ? err.message : err.stack ?? String(err));
  process.exit(1);
});
