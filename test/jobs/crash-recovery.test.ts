import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/db/connection.js';
import { runMigrations } from '../../src/db/migrate.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { systemClock } from '../../src/platform/clock.js';
import { EventBus } from '../../src/platform/events.js';
import { projectPath } from '../../src/paths.js';
import { tempDir } from './fixture.js';

const JOBS = 2000;
const WORKER = projectPath('test', 'fixtures', 'jobs', 'crash-worker.ts');

const stderrOf = new WeakMap<ChildProcess, string>();

const startWorker = (dataDir: string, logFile: string, slowAfter?: number): ChildProcess => {
  const args = ['--import', 'tsx', WORKER, dataDir, logFile, ...(slowAfter ? [String(slowAfter)] : [])];
  const child = spawn(process.execPath, args, { cwd: projectPath(), stdio: ['ignore', 'ignore', 'pipe'] });
  stderrOf.set(child, '');
  child.stderr!.on('data', (chunk) => stderrOf.set(child, stderrOf.get(child) + String(chunk)));
  return child;
};

const kill = async (child: ChildProcess, signal: NodeJS.Signals): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
};

/** Polls (a few ms at a time: the work happens in another process) until `check` holds. */
const until = async (check: () => boolean, what: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}) while waiting for ${what}: ${stderrOf.get(child)}`);
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
};

const lineCount = (file: string): number => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 1 : 0);

test('after a SIGKILL mid-run, a restarted worker runs every job, repeating only those locked at the kill, never three times', async (t) => {
  const dataDir = tempDir('switchyard-crash-');
  const logFile = path.join(dataDir, 'runs.log');
  const children: ChildProcess[] = [];
  t.after(async () => {
    for (const c of children) await kill(c, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const setup = openDatabase(dataDir);
  runMigrations(setup);
  const queue = new JobQueue(setup, systemClock, new EventBus());
  const jobs = await queue.addJobs(Array.from({ length: JOBS }, (_, i) => ({ identifier: 'crash.record', payload: { i } })));
  assert.deepEqual([jobs[0]!.id, jobs[JOBS - 1]!.id], [1, JOBS]);
  setup.close();

  // Full speed up to 500 runs, then slower, so the kill after 600 lands mid-run however late this process notices.
  const first = startWorker(dataDir, logFile, 500);
  children.push(first);
  await until(() => lineCount(logFile) >= 600, '600 jobs to run', first);
  await kill(first, 'SIGKILL');

  const db = () => new Database(path.join(dataDir, 'switchyard.db'), { readonly: true });
  const reader = db();
  const lockedAtKill = new Set(reader.prepare('SELECT id FROM jobs WHERE locked_at IS NOT NULL').pluck().all() as number[]);
  const leftAtKill = reader.prepare('SELECT count(*) FROM jobs').pluck().get() as number;
  reader.close();
  const ranBeforeKill = lineCount(logFile);
  assert.ok(leftAtKill > 0, `the kill came before the work was done (${ranBeforeKill} runs logged)`);

  const second = startWorker(dataDir, logFile);
  children.push(second);
  const watcher = db();
  t.after(() => watcher.close());
  const remaining = watcher.prepare('SELECT count(*) FROM jobs').pluck();
  await until(() => remaining.get() === 0, 'every job to finish after the restart', second);
  await kill(second, 'SIGTERM');

  const runs = new Map<number, number>();
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line) continue;
    const [id] = line.split(' ').map(Number);
    runs.set(id!, (runs.get(id!) ?? 0) + 1);
  }
  const missing = Array.from({ length: JOBS }, (_, i) => i + 1).filter((id) => !runs.has(id));
  assert.deepEqual(missing, [], 'every job ran at least once');
  const repeated = [...runs].filter(([, n]) => n > 1).map(([id]) => id);
  assert.deepEqual(repeated.filter((id) => !lockedAtKill.has(id)), [], 'only jobs locked at the kill ran twice');
  assert.deepEqual([...runs].filter(([, n]) => n >= 3), [], 'no job ran three times');
  assert.equal(runs.size, JOBS);
  t.diagnostic(`${ranBeforeKill} runs before the kill, ${lockedAtKill.size} jobs locked at the kill, ${repeated.length} ran twice`);
});
