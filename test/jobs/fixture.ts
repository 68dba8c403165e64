import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { openDatabase, type DbHandle } from '../../src/db/connection.js';
import { runMigrations } from '../../src/db/migrate.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { DEFAULT_RUNNER_OPTIONS, JobRunner, type RunnerOptions } from '../../src/jobs/runner.js';
import type { JobViewRow } from '../../src/jobs/sql/read-jobs.js';
import type { TaskList } from '../../src/jobs/types.js';
import { ManualClock } from '../../src/platform/clock.js';
import { EventBus, type EventMap, type EventName } from '../../src/platform/events.js';
import { createLogger } from '../../src/platform/logger.js';

export const silentLogger = createLogger({ level: 'silent', format: 'json' });

export const tempDir = (prefix = 'switchyard-jobs-'): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** A migrated database in a temporary data dir; closed (and removed) when the test ends, after `beforeClose`. */
export const openTestDb = (t: TestContext, dataDir = tempDir(), beforeClose: () => Promise<void> | void = () => undefined): DbHandle => {
  const handle = openDatabase(dataDir);
  runMigrations(handle);
  // after hooks run in the order they were added, so one hook does the whole teardown in the right order.
  t.after(async () => {
    await beforeClose();
    if (handle.sqlite.open) handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return handle;
};

export interface QueueFixture {
  handle: DbHandle;
  clock: ManualClock;
  events: EventBus;
  queue: JobQueue;
  /** Builds and starts a runner for these tasks; it is stopped when the test ends. */
  runner(tasks: TaskList, options?: Partial<RunnerOptions>, start?: boolean): JobRunner;
  /** One job as jobs_view shows it (with its state), or undefined once it is gone. */
  row(id: number): JobViewRow | undefined;
  rows(): JobViewRow[];
  count(): number;
  /** Collects every event of a name from now on. */
  record<K extends EventName>(name: K): EventMap[K][];
}

/** Fast test defaults: a short poll so nothing waits 2 s, and a short shutdown wait. */
export const TEST_RUNNER_OPTIONS: RunnerOptions = { ...DEFAULT_RUNNER_OPTIONS, pollIntervalMs: 20, shutdownTimeoutMs: 2000 };

export const queueFixture = (t: TestContext, options: { clock?: ManualClock; dataDir?: string } = {}): QueueFixture => {
  const runners: JobRunner[] = [];
  const handle = openTestDb(t, options.dataDir, async () => {
    for (const r of runners) await r.stop();
  });
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const events = new EventBus();
  const queue = new JobQueue(handle, clock, events);
  const view = handle.sqlite.prepare<[number], JobViewRow>('SELECT * FROM jobs_view WHERE id = ?');
  const all = handle.sqlite.prepare<[], JobViewRow>('SELECT * FROM jobs_view ORDER BY id');
  const count = handle.sqlite.prepare<[], number>('SELECT count(*) FROM jobs').pluck();
  return {
    handle,
    clock,
    events,
    queue,
    runner(tasks, runnerOptions = {}, start = true) {
      const runner = new JobRunner(handle, queue, tasks, { ...TEST_RUNNER_OPTIONS, ...runnerOptions }, clock, events, silentLogger);
      runners.push(runner);
      if (start) runner.start();
      return runner;
    },
    row: (id) => view.get(id),
    rows: () => all.all(),
    count: () => count.get()!,
    record(name) {
      const seen: EventMap[typeof name][] = [];
      events.on(name, (p) => seen.push(p));
      return seen;
    },
  };
};

/** Waits (a turn of the event loop at a time) until `check` is truthy, or fails naming what it waited for. */
export const waitFor = async <T>(check: () => T, what: string, timeoutMs = 5000): Promise<NonNullable<T>> => {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await nextTurn();
  }
};

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

export const deferred = <T = void>(): Deferred<T> => {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** Lets pending microtasks, immediates and the completion flush run. */
export const settle = async (turns = 5): Promise<void> => {
  for (let i = 0; i < turns; i++) await nextTurn();
};

/**
 * Awaits a promise, failing after `timeoutMs`. The pool's timers are unref'd,
 * so a bare await on a task's promise could let the event loop run dry; this keeps it alive.
 */
export const within = async <T>(promise: Promise<T>, what: string, timeoutMs = 5000): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};
