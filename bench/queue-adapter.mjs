// Adapter for ../shared/bench/queue/bench.mjs (interface in its ADAPTER.md): Switchyard's embedded
// SQLite queue, from the built code (run `npm run build` first). Durability: WAL with
// synchronous=NORMAL (a committed job survives a process crash); set QUEUE_SYNCHRONOUS=FULL
// to also survive power loss.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const { openDatabase } = await import(path.join(dist, 'db', 'connection.js'));
const { runMigrations } = await import(path.join(dist, 'db', 'migrate.js'));
const { EventBus } = await import(path.join(dist, 'platform', 'events.js'));
const { systemClock } = await import(path.join(dist, 'platform', 'clock.js'));
const { createLogger } = await import(path.join(dist, 'platform', 'logger.js'));
const { JobQueue, JobRunner, DEFAULT_RUNNER_OPTIONS } = await import(path.join(dist, 'jobs', 'index.js'));

export const name = 'switchyard-sqlite';
const synchronous = (process.env.QUEUE_SYNCHRONOUS ?? 'NORMAL').toUpperCase();
let dir, handle, queue, runner, countStmt, errors = 0;

export async function info() {
  return { queue: 'switchyard embedded (SQLite, better-sqlite3)', journal_mode: 'WAL', synchronous, retry_backoff: 'exp(min(attempts,10)) s', batch_claim: true };
}

export async function setup() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-queue-bench-'));
  handle = openDatabase(dir);
  handle.sqlite.pragma(`synchronous = ${synchronous}`);
  runMigrations(handle);
  queue = new JobQueue(handle, systemClock, new EventBus());
  countStmt = handle.sqlite.prepare('SELECT count(*) AS n FROM jobs');
}

export async function addJob(identifier, payload, opts = {}) {
  await queue.addJob(identifier, payload, opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {});
}

export async function addJobsBulk(specs) {
  await queue.addJobs(specs.map((s) => ({ identifier: s.identifier, payload: s.payload, spec: s.opts?.maxAttempts ? { maxAttempts: s.opts.maxAttempts } : {} })));
}

export async function startWorker({ concurrency, taskList }) {
  const logger = createLogger({ level: 'silent', format: 'json' });
  const tasks = Object.fromEntries(Object.entries(taskList).map(([id, fn]) => [id, (payload, helpers) => fn(payload, { attempt: helpers.job.attempts, jobId: helpers.job.id })]));
  runner = new JobRunner(handle, queue, tasks, { ...DEFAULT_RUNNER_OPTIONS, pools: { default: { concurrency }, ui_fast: { concurrency: 1 } } }, systemClock, new EventBus(), logger);
  runner.start();
}

export async function countPending() {
  return countStmt.get().n;
}

export function stats() {
  return { log_errors: errors };
}

export async function stop() {
  if (runner) await runner.stop();
  handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
