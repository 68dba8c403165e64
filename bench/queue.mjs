#!/usr/bin/env node
// Our own queue figures as JSON (npm run bench:queue). For the side-by-side comparison with
// graphile-worker and BullMQ use the shared harness with bench/queue-adapter.mjs (see bench/README.md).
// Runs every scenario once per SQLite `synchronous` setting, each setting in a fresh child process.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const N = Number(process.env.BENCH_JOBS ?? 20000);

if (!process.env.QUEUE_SYNCHRONOUS) {
  if (!fs.existsSync(path.join(root, 'dist', 'jobs', 'index.js'))) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const results = {};
  for (const mode of ['NORMAL', 'FULL']) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], { env: { ...process.env, QUEUE_SYNCHRONOUS: mode }, encoding: 'utf8' });
    if (child.status !== 0) {
      process.stderr.write(child.stderr);
      process.exit(1);
    }
    results[mode] = JSON.parse(child.stdout.trim().split('\n').pop());
  }
  const normal = results.NORMAL;
  console.log(
    JSON.stringify(
      {
        bench: 'queue',
        node: process.version,
        jobs: N,
        default_synchronous: 'NORMAL',
        note: 'WAL; synchronous=NORMAL survives a process crash, FULL also survives power loss',
        results,
        targets: { drain_c10_jobs_per_s: 55000, latency_p50_ms: 0.5, latency_p99_ms: 2, enqueue_single_jobs_per_s: 10000, enqueue_bulk_jobs_per_s: 100000 },
        meets_targets: {
          drain_c10: normal.drain_c10.jobs_per_s >= 55000,
          latency_p50: normal.latency.p50_ms <= 0.5,
          latency_p99: normal.latency.p99_ms <= 2,
          enqueue_single: normal.enqueue_single.jobs_per_s >= 10000,
          enqueue_bulk: normal.enqueue_bulk.jobs_per_s >= 100000,
        },
      },
      null,
      2,
    ),
  );
  process.exit(0);
}

const adapter = await import(path.join(here, 'queue-adapter.mjs'));
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const round = (x) => Math.round(x * 100) / 100;

const prequeue = async (n, identifier, opts) => {
  for (let i = 0; i < n; i += 1000) {
    await adapter.addJobsBulk(Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({ identifier, payload: { id: i + k }, ...(opts ? { opts } : {}) })));
  }
};
const untilEmpty = async () => {
  while ((await adapter.countPending()) > 0) await sleep(2);
};

const enqueueSingle = async () => {
  await adapter.setup();
  const t0 = now();
  for (let i = 0; i < N; i++) await adapter.addJob('noop', { id: i });
  const ms = now() - t0;
  await adapter.stop();
  return { jobs_per_s: Math.round(N / (ms / 1000)) };
};

const enqueueBulk = async () => {
  await adapter.setup();
  const t0 = now();
  await prequeue(N, 'noop');
  const ms = now() - t0;
  await adapter.stop();
  return { jobs_per_s: Math.round(N / (ms / 1000)) };
};

const drain = async (concurrency) => {
  await adapter.setup();
  await prequeue(N, 'noop');
  const t0 = now();
  await adapter.startWorker({ concurrency, taskList: { noop: async () => {} } });
  await untilEmpty();
  const ms = now() - t0;
  await adapter.stop();
  return { jobs_per_s: Math.round(N / (ms / 1000)) };
};

const latency = async () => {
  await adapter.setup();
  let resolveStart;
  await adapter.startWorker({ concurrency: 10, taskList: { lat: async () => resolveStart(now()) } });
  const samples = [];
  for (let i = 0; i < 220; i++) {
    await sleep(5);
    const started = new Promise((r) => (resolveStart = r));
    const t0 = now();
    await adapter.addJob('lat', { id: i });
    const t1 = await started;
    if (i >= 20) samples.push(t1 - t0);
  }
  await adapter.stop();
  samples.sort((a, b) => a - b);
  return { samples: samples.length, p50_ms: round(pct(samples, 50)), p95_ms: round(pct(samples, 95)), p99_ms: round(pct(samples, 99)), max_ms: round(samples[samples.length - 1]) };
};

const retry = async () => {
  const jobs = 1000;
  await adapter.setup();
  await prequeue(jobs, 'flaky', { maxAttempts: 3 });
  const seen = new Set();
  let firstFailuresDone;
  const allFailed = new Promise((r) => (firstFailuresDone = r));
  const t0 = now();
  await adapter.startWorker({
    concurrency: 10,
    taskList: {
      flaky: async ({ id }) => {
        if (!seen.has(id)) {
          seen.add(id);
          if (seen.size === jobs) firstFailuresDone(now());
          throw new Error('first attempt fails');
        }
      },
    },
  });
  const failedAt = await allFailed;
  await untilEmpty();
  const ms = now() - t0;
  await adapter.stop();
  return { failures_per_s: Math.round(jobs / ((failedAt - t0) / 1000)), ms_to_all_succeeded: Math.round(ms), backoff: 'first retry after exp(1) s' };
};

const result = {
  synchronous: process.env.QUEUE_SYNCHRONOUS,
  enqueue_single: await enqueueSingle(),
  enqueue_bulk: await enqueueBulk(),
  drain_c1: await drain(1),
  drain_c10: await drain(10),
  latency: await latency(),
  retry: await retry(),
};
console.log(JSON.stringify(result));
