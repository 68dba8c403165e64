import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { backoffMs } from '../../src/jobs/backoff.js';
import { PermanentJobError } from '../../src/jobs/errors.js';
import { defineTask, type JobHelpers, type TaskList } from '../../src/jobs/types.js';
import { deferred, queueFixture, waitFor, within, type QueueFixture } from './fixture.js';

const ONE_EACH = { default: { concurrency: 1 }, ui_fast: { concurrency: 1 } };

/** Waits until the job's failed attempt has been written back (unlocked, with `attempts` errors). */
const failedAttempts = (fx: QueueFixture, id: number, attempts: number) =>
  waitFor(() => {
    const row = fx.row(id);
    return row && row.locked_at === null && (JSON.parse(row.errors) as unknown[]).length === attempts ? row : undefined;
  }, `job ${id} to have ${attempts} failed attempt(s) recorded`);

const errorsOf = (fx: QueueFixture, id: number) => JSON.parse(fx.row(id)!.errors) as { attempt: number | null; at: number; message: string }[];

/** Adds a ready job and waits for it to run: proves the pool claimed at the current clock time. */
const runMarker = async (fx: QueueFixture, seen: string[], name: string): Promise<void> => {
  await fx.queue.addJob('marker', { name });
  await waitFor(() => seen.includes(name), `marker ${name} to run`);
};

describe('running jobs', () => {
  test('a task gets the payload and helpers { job, logger, addJob, abortSignal }', async (t) => {
    const fx = queueFixture(t);
    const got = deferred<{ payload: unknown; helpers: JobHelpers }>();
    const job = await fx.queue.addJob('first', { employee: { id: 7 } }, { priority: 2 });
    fx.runner({ first: (payload, helpers) => got.resolve({ payload, helpers }) });
    const { payload, helpers } = await within(got.promise, 'the task to run');
    assert.deepEqual(payload, { employee: { id: 7 } });
    assert.equal(helpers.job.id, job.id);
    assert.equal(helpers.job.taskIdentifier, 'first');
    assert.equal(helpers.job.attempts, 1);
    assert.equal(helpers.job.priority, 2);
    assert.deepEqual(helpers.job.payload, { employee: { id: 7 } });
    assert.equal(typeof helpers.logger.info, 'function');
    assert.ok(helpers.abortSignal instanceof AbortSignal);
    assert.equal(helpers.abortSignal.aborted, false);
    const added = await helpers.addJob('follow-up', { from: job.id }, { runAt: new Date(fx.clock.now() + 60_000) });
    assert.deepEqual(fx.row(added.id)!.payload, JSON.stringify({ from: job.id }));
  });

  test('a succeeded job is deleted from jobs and counted in job_stats with its duration', async (t) => {
    const fx = queueFixture(t);
    const runner = fx.runner({ slow: async () => sleep(25), quick: () => undefined });
    const jobs = await fx.queue.addJobs([{ identifier: 'slow' }, { identifier: 'quick' }, { identifier: 'quick' }]);
    await waitFor(() => fx.count() === 0, 'all jobs to finish');
    await waitFor(() => fx.handle.sqlite.prepare('SELECT sum(succeeded) FROM job_stats').pluck().get() === 3, 'stats to be written');
    for (const j of jobs) assert.equal(fx.row(j.id), undefined);
    const stats = fx.handle.sqlite.prepare('SELECT task_identifier AS task, day, succeeded, failed, dead, total_ms, max_ms FROM job_stats ORDER BY task').all() as Record<string, unknown>[];
    assert.deepEqual(stats.map((s) => [s.task, s.day, s.succeeded, s.failed, s.dead]), [['quick', '2026-01-01', 2, 0, 0], ['slow', '2026-01-01', 1, 0, 0]]);
    const slow = stats.find((s) => s.task === 'slow')!;
    assert.ok((slow.max_ms as number) >= 20 && (slow.total_ms as number) >= 20, `slow task duration recorded: ${JSON.stringify(slow)}`);
    assert.deepEqual(runner.metrics.snapshot().map((m) => [m.task, m.succeeded]), [['quick', 2], ['slow', 1]]);
  });

  test('jobs run smallest priority first, then by run time, then in the order added', async (t) => {
    const fx = queueFixture(t);
    const order: string[] = [];
    const record = (p: unknown) => void order.push((p as { name: string }).name);
    const past = (s: number) => new Date(fx.clock.now() - s * 1000);
    await fx.queue.addJobs([
      { identifier: 'r', payload: { name: 'p5' }, spec: { priority: 5 } },
      { identifier: 'r', payload: { name: 'p0-late' }, spec: { runAt: past(1) } },
      { identifier: 'r', payload: { name: 'p-1' }, spec: { priority: -1 } },
      { identifier: 'r', payload: { name: 'p0-early' }, spec: { runAt: past(30) } },
      { identifier: 'r', payload: { name: 'p0-now-a' } },
      { identifier: 'r', payload: { name: 'p0-now-b' } },
      { identifier: 'r', payload: { name: 'p0-earliest' }, spec: { runAt: past(60) } },
    ]);
    fx.runner({ r: record }, { pools: ONE_EACH });
    await waitFor(() => order.length === 7, 'seven jobs to run');
    assert.deepEqual(order, ['p-1', 'p0-earliest', 'p0-early', 'p0-late', 'p0-now-a', 'p0-now-b', 'p5']);
  });

  test('jobs of one named queue run one at a time, in order, while other jobs run alongside', async (t) => {
    const fx = queueFixture(t);
    const log: string[] = [];
    let inQueue = 0;
    let maxInQueue = 0;
    let maxOverall = 0;
    let overall = 0;
    const tasks: TaskList = {
      serial: async (p) => {
        const n = (p as { n: number }).n;
        inQueue++;
        overall++;
        maxInQueue = Math.max(maxInQueue, inQueue);
        maxOverall = Math.max(maxOverall, overall);
        log.push(`start ${n}`);
        for (let i = 0; i < 3; i++) await nextTurn();
        log.push(`end ${n}`);
        inQueue--;
        overall--;
      },
      free: async () => {
        overall++;
        maxOverall = Math.max(maxOverall, overall);
        for (let i = 0; i < 3; i++) await nextTurn();
        overall--;
      },
    };
    await fx.queue.addJobs([
      ...Array.from({ length: 10 }, (_, n) => ({ identifier: 'serial', payload: { n }, spec: { queueName: 'crm' } })),
      ...Array.from({ length: 8 }, () => ({ identifier: 'free' })),
    ]);
    fx.runner(tasks, { pools: { default: { concurrency: 5 }, ui_fast: { concurrency: 1 } } });
    await waitFor(() => fx.count() === 0, 'all jobs to finish');
    assert.deepEqual(log, Array.from({ length: 10 }, (_, n) => [`start ${n}`, `end ${n}`]).flat());
    assert.equal(maxInQueue, 1);
    assert.ok(maxOverall > 1, 'jobs outside the queue ran in parallel');
    assert.equal(fx.handle.sqlite.prepare('SELECT count(*) FROM job_queues WHERE locked_at IS NOT NULL').pluck().get(), 0);
  });

  test('a job whose run time is ahead does not run until the clock passes it', async (t) => {
    const fx = queueFixture(t);
    const seen: string[] = [];
    fx.runner({ later: () => void seen.push('later'), marker: (p) => void seen.push((p as { name: string }).name) }, { pools: ONE_EACH });
    const job = await fx.queue.addJob('later', {}, { runAt: new Date(fx.clock.now() + 60_000) });
    await runMarker(fx, seen, 'm1');
    fx.clock.advance(59_999);
    await runMarker(fx, seen, 'm2');
    assert.deepEqual(seen, ['m1', 'm2']);
    assert.equal(fx.row(job.id)!.attempts, 0);
    fx.clock.advance(1);
    await waitFor(() => seen.includes('later'), 'the job to run once its time came');
  });

  test('a long job in the default pool does not delay a job added to the ui_fast pool', async (t) => {
    const fx = queueFixture(t);
    const release = deferred();
    const longStarted = deferred();
    const fastRan = deferred();
    fx.runner({ long: async () => { longStarted.resolve(); await release.promise; }, fast: () => fastRan.resolve() }, { pools: ONE_EACH });
    await fx.queue.addJob('long');
    await within(longStarted.promise, 'longStarted');
    const defaultWaiting = await fx.queue.addJob('fast');
    await fx.queue.addJob('fast', {}, { pool: 'ui_fast' });
    await within(fastRan.promise, 'fastRan');
    assert.equal(fx.row(defaultWaiting.id)!.state, 'queued', 'the default pool is still busy with the long job');
    release.resolve();
    await waitFor(() => fx.count() === 0, 'both pools to drain');
  });

  test('an in-process addJob wakes an idle worker without waiting for the poll interval', async (t) => {
    const fx = queueFixture(t);
    const ran = deferred();
    fx.runner({ now: () => ran.resolve() }, { pollIntervalMs: 60_000 });
    await nextTurn();
    const started = performance.now();
    await fx.queue.addJob('now');
    await within(ran.promise, 'ran');
    assert.ok(performance.now() - started < 200, `started within 200 ms (took ${Math.round(performance.now() - started)} ms)`);
  });

  test('an idle pool takes a plain ready job in its INSERT: it is stored already locked, attempt 1', async (t) => {
    const fx = queueFixture(t);
    const release = deferred();
    const runner = fx.runner({ hold: () => release.promise }, { pollIntervalMs: 60_000 });
    await nextTurn();
    const job = await fx.queue.addJob('hold');
    assert.equal(job.attempts, 1);
    assert.equal(job.lockedBy, runner.workerId);
    assert.equal(fx.row(job.id)!.state, 'running');
    assert.equal(runner.pools().find((p) => p.name === 'default')!.busy, 1);
    release.resolve();
    await waitFor(() => fx.count() === 0, 'the job to finish');
  });

  test('an INSERT that fails gives back the slot the idle pool reserved for the job', async (t) => {
    const fx = queueFixture(t);
    const release = deferred();
    const runner = fx.runner({ hold: () => release.promise }, { pools: ONE_EACH, pollIntervalMs: 60_000 });
    await nextTurn();
    fx.handle.sqlite.exec("CREATE TEMP TRIGGER refuse_boom BEFORE INSERT ON jobs WHEN NEW.task_identifier = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END");
    await assert.rejects(fx.queue.addJob('boom'), /boom refused/);
    const job = await fx.queue.addJob('hold');
    assert.equal(job.lockedBy, runner.workerId, 'the single slot was free to take the next job');
    release.resolve();
  });

  test('a job written by another process is found by the poll', async (t) => {
    const fx = queueFixture(t);
    const ran = deferred<unknown>();
    fx.runner({ outside: (p) => ran.resolve(p) }, { pollIntervalMs: 10 });
    await nextTurn();
    fx.handle.sqlite
      .prepare(`INSERT INTO jobs (task_identifier, pool, payload, priority, run_at, attempts, max_attempts, errors, created_at, updated_at) VALUES ('outside', 'default', '{"from":"cli"}', 0, ?, 0, 25, '[]', ?, ?)`)
      .run(fx.clock.now(), fx.clock.now(), fx.clock.now());
    assert.deepEqual(await within(ran.promise, 'the polled job to run'), { from: 'cli' });
  });

  test('jobs added by addJobs, in a named queue or with a key also wake an idle worker at once', async (t) => {
    const fx = queueFixture(t);
    const seen: string[] = [];
    fx.runner({ r: (p) => void seen.push((p as { name: string }).name) }, { pollIntervalMs: 60_000 });
    await nextTurn();
    const started = performance.now();
    await fx.queue.addJobs([{ identifier: 'r', payload: { name: 'batch' } }]);
    await fx.queue.addJob('r', { name: 'queued' }, { queueName: 'q' });
    await fx.queue.addJob('r', { name: 'keyed' }, { jobKey: 'k' });
    await waitFor(() => seen.length === 3, 'three jobs to run');
    assert.ok(performance.now() - started < 500, 'none waited for the poll');
  });

  test('a job added for a later time wakes the pool when that time comes, without a poll', async (t) => {
    const fx = queueFixture(t);
    const ran = deferred();
    fx.runner({ soon: () => ran.resolve() }, { pollIntervalMs: 60_000 });
    await nextTurn();
    // The pool's timer is real time; the job's run time is on the test clock, so both move together here.
    const job = await fx.queue.addJob('soon', {}, { runAt: new Date(fx.clock.now() + 30) });
    fx.clock.advance(30);
    await within(ran.promise, 'ran');
    await waitFor(() => fx.row(job.id) === undefined, 'the job to finish');
  });

  test('the pools report their concurrency and how many tasks are running', async (t) => {
    const fx = queueFixture(t);
    const release = deferred();
    const runner = fx.runner({ hold: () => release.promise }, { pools: { default: { concurrency: 3 }, ui_fast: { concurrency: 2 } } });
    await fx.queue.addJobs([{ identifier: 'hold' }, { identifier: 'hold' }]);
    await waitFor(() => runner.pools()[0]!.busy === 2, 'two busy workers');
    assert.deepEqual(runner.pools().map(({ name, concurrency, busy }) => ({ name, concurrency, busy })), [{ name: 'default', concurrency: 3, busy: 2 }, { name: 'ui_fast', concurrency: 2, busy: 0 }]);
    release.resolve();
  });
});

describe('failures', () => {
  test('a throwing task is retried after exp(1) s, then exp(2) s, keeping every error in order', async (t) => {
    const fx = queueFixture(t);
    let calls = 0;
    const seen: string[] = [];
    fx.runner({ flaky: () => { calls++; throw new Error(`boom ${calls}`); }, marker: (p) => void seen.push((p as { name: string }).name) }, { pools: ONE_EACH });
    const job = await fx.queue.addJob('flaky', { id: 1 }, { maxAttempts: 5 });
    const t0 = fx.clock.now();
    let row = await failedAttempts(fx, job.id, 1);
    assert.equal(row.run_at, t0 + Math.round(Math.exp(1) * 1000));
    assert.deepEqual([row.attempts, row.state, row.last_error], [1, 'retrying', 'boom 1']);

    fx.clock.advance(2717);
    await runMarker(fx, seen, 'before-retry');
    assert.equal(calls, 1, 'not retried before its time');

    fx.clock.advance(1);
    const t1 = fx.clock.now();
    row = await failedAttempts(fx, job.id, 2);
    assert.equal(row.run_at, t1 + Math.round(Math.exp(2) * 1000));
    assert.equal(row.run_at - t1, backoffMs(2));

    fx.clock.advance(backoffMs(2));
    const t2 = fx.clock.now();
    row = await failedAttempts(fx, job.id, 3);
    assert.equal(row.run_at, t2 + backoffMs(3));
    assert.deepEqual(errorsOf(fx, job.id), [
      { attempt: 1, at: t0, message: 'boom 1' },
      { attempt: 2, at: t1, message: 'boom 2' },
      { attempt: 3, at: t2, message: 'boom 3' },
    ]);
  });

  test('after maxAttempts the job is dead, with its payload and all its errors', async (t) => {
    const fx = queueFixture(t);
    let calls = 0;
    const dead = fx.record('job.dead');
    const runner = fx.runner({ flaky: () => { calls++; throw new Error(`boom ${calls}`); } });
    const job = await fx.queue.addJob('flaky', { customer: 'acme' }, { maxAttempts: 2 });
    await failedAttempts(fx, job.id, 1);
    fx.clock.advance(backoffMs(1));
    const row = await failedAttempts(fx, job.id, 2);
    assert.deepEqual([row.state, row.attempts, row.max_attempts, row.payload, row.last_error], ['dead', 2, 2, '{"customer":"acme"}', 'boom 2']);
    assert.deepEqual(errorsOf(fx, job.id).map((e) => [e.attempt, e.message]), [[1, 'boom 1'], [2, 'boom 2']]);
    assert.equal(dead.length, 1);
    fx.clock.advance(backoffMs(10));
    await fx.queue.addJob('flaky', {}, { runAt: new Date(fx.clock.now() + 3_600_000) });
    await nextTurn();
    assert.equal(calls, 2, 'a dead job is not run again');
    assert.deepEqual(runner.metrics.snapshot().map((m) => [m.task, m.failed, m.dead]), [['flaky', 1, 1]]);
  });

  test('a PermanentJobError makes the job dead at once', async (t) => {
    const fx = queueFixture(t);
    fx.runner({ gone: () => { throw new PermanentJobError('employee 7 no longer exists'); } });
    const job = await fx.queue.addJob('gone', {}, { maxAttempts: 10 });
    const row = await failedAttempts(fx, job.id, 1);
    assert.deepEqual([row.state, row.attempts, row.last_error], ['dead', 10, 'employee 7 no longer exists']);
    assert.deepEqual(errorsOf(fx, job.id).map((e) => e.attempt), [1]);
  });

  test('a task with maxAgeMs does not retry a job older than that', async (t) => {
    const fx = queueFixture(t);
    const task = defineTask(() => { throw new Error('upstream down'); }, { maxAgeMs: 60_000 });
    const old = await fx.queue.addJob('sync', { n: 'old' });
    fx.clock.advance(60_000);
    const young = await fx.queue.addJob('sync', { n: 'young' });
    fx.runner({ sync: task });
    const oldRow = await failedAttempts(fx, old.id, 1);
    assert.equal(oldRow.state, 'dead');
    assert.equal(oldRow.last_error, 'upstream down (not retried: the job is older than its maximum age of 60000 ms)');
    const youngRow = await failedAttempts(fx, young.id, 1);
    assert.equal(youngRow.state, 'retrying');
  });

  test('a task that throws a non-Error value records a readable message, and the runner keeps going', async (t) => {
    const fx = queueFixture(t);
    const after = deferred();
    fx.runner(
      {
        str: () => { throw 'quota exceeded'; },
        obj: () => Promise.reject({ code: 42, detail: { retry: false } }),
        nothing: () => { throw undefined; },
        emptyError: () => { throw new TypeError(); },
        ok: () => after.resolve(),
      },
      { pools: ONE_EACH },
    );
    const [s, o, n, e] = await fx.queue.addJobs([{ identifier: 'str' }, { identifier: 'obj' }, { identifier: 'nothing' }, { identifier: 'emptyError' }, { identifier: 'ok' }]);
    await within(after.promise, 'after');
    assert.equal((await failedAttempts(fx, s!.id, 1)).last_error, "task threw a non-Error value: 'quota exceeded'");
    assert.equal((await failedAttempts(fx, o!.id, 1)).last_error, 'task threw a non-Error value: { code: 42, detail: { retry: false } }');
    assert.equal((await failedAttempts(fx, n!.id, 1)).last_error, 'task threw a non-Error value: undefined');
    assert.equal((await failedAttempts(fx, e!.id, 1)).last_error, 'TypeError');
  });

  test('an unknown task makes the job dead with a message naming it and the known tasks, and the runner keeps going', async (t) => {
    const fx = queueFixture(t);
    const after = deferred();
    fx.runner({ 'crm.sync': () => after.resolve(), 'a.first': () => undefined }, { pools: ONE_EACH });
    const [missing] = await fx.queue.addJobs([{ identifier: 'crm.snyc' }, { identifier: 'crm.sync' }]);
    await within(after.promise, 'after');
    const row = await failedAttempts(fx, missing!.id, 1);
    assert.equal(row.state, 'dead');
    assert.equal(row.last_error, 'unknown task "crm.snyc": no task with this identifier is registered (known: a.first, crm.sync)');
  });

  test('a task that never returns is abandoned after its timeoutMs, counted as a failure, with its abortSignal aborted', async (t) => {
    const fx = queueFixture(t);
    const signal = deferred<AbortSignal>();
    const nextRan = deferred();
    const failed = fx.record('job.failed');
    const runner = fx.runner(
      {
        stuck: defineTask((_p, helpers) => { signal.resolve(helpers.abortSignal); return new Promise<void>(() => undefined); }, { timeoutMs: 50 }),
        next: () => nextRan.resolve(),
      },
      { pools: ONE_EACH },
    );
    const job = await fx.queue.addJob('stuck');
    const abort = await within(signal.promise, 'signal');
    await fx.queue.addJob('next');
    fx.clock.advance(49);
    await sleep(300);
    assert.equal(abort.aborted, false, 'not abandoned before its timeout');
    fx.clock.advance(1);
    const row = await failedAttempts(fx, job.id, 1);
    assert.equal(abort.aborted, true);
    assert.match(String(abort.reason), /task did not finish within 50 ms and was abandoned/);
    assert.deepEqual([row.state, row.attempts, row.last_error], ['retrying', 1, 'task did not finish within 50 ms and was abandoned']);
    assert.equal(failed.length, 1);
    await within(nextRan.promise, 'nextRan');
    assert.deepEqual(runner.metrics.snapshot().find((m) => m.task === 'stuck')?.failed, 1);
  });

  test('a task that finishes after being abandoned for its timeout changes nothing more', async (t) => {
    const fx = queueFixture(t);
    const finish = deferred();
    const started = deferred();
    const succeeded = fx.record('job.succeeded');
    fx.runner({ late: defineTask(async () => { started.resolve(); await finish.promise; }, { timeoutMs: 10 }) });
    const job = await fx.queue.addJob('late');
    await within(started.promise, 'started');
    fx.clock.advance(10);
    await failedAttempts(fx, job.id, 1);
    finish.resolve();
    for (let i = 0; i < 10; i++) await nextTurn();
    assert.equal(fx.row(job.id)!.state, 'retrying');
    assert.equal(succeeded.length, 0);
  });
});

describe('events', () => {
  test('job.started, job.succeeded, job.failed and job.dead carry the job, task, pool and attempt', async (t) => {
    const fx = queueFixture(t);
    const started = fx.record('job.started');
    const succeeded = fx.record('job.succeeded');
    const failed = fx.record('job.failed');
    const dead = fx.record('job.dead');
    fx.runner({ ok: () => undefined, bad: () => { throw new Error('nope'); } }, { pools: ONE_EACH });
    const [ok, bad] = await fx.queue.addJobs([{ identifier: 'ok' }, { identifier: 'bad', spec: { maxAttempts: 2, pool: 'ui_fast' } }]);
    await failedAttempts(fx, bad!.id, 1);
    const failedAt = fx.clock.now();
    fx.clock.advance(backoffMs(1));
    await failedAttempts(fx, bad!.id, 2);

    assert.deepEqual(started.map((e) => [e.id, e.task, e.pool, e.attempt]).sort(), [[ok!.id, 'ok', 'default', 1], [bad!.id, 'bad', 'ui_fast', 1], [bad!.id, 'bad', 'ui_fast', 2]].sort());
    assert.equal(succeeded.length, 1);
    const s = succeeded[0]!;
    assert.deepEqual([s.id, s.task, s.pool, s.attempt], [ok!.id, 'ok', 'default', 1]);
    assert.ok(s.ms >= 0);
    assert.equal(failed.length, 1);
    const { ms: failedMs, ...f } = failed[0]!;
    assert.deepEqual(f, { id: bad!.id, task: 'bad', pool: 'ui_fast', attempt: 1, error: 'nope', retryAt: failedAt + backoffMs(1) });
    assert.ok(failedMs >= 0);
    assert.equal(dead.length, 1);
    const { ms: deadMs, ...d } = dead[0]!;
    assert.deepEqual(d, { id: bad!.id, task: 'bad', pool: 'ui_fast', attempt: 2, error: 'nope' });
    assert.ok(deadMs >= 0);
  });
});

describe('storage trouble', () => {
  test('a database locked beyond busy_timeout delays the claim instead of crashing, and the job runs once it is free', async (t) => {
    const fx = queueFixture(t);
    const ran = deferred();
    fx.runner({ work: async () => ran.resolve() });
    const job = await fx.queue.addJob('work', {}, { runAt: new Date(fx.clock.now() + 50) });
    fx.handle.sqlite.pragma('busy_timeout = 20');
    const other = new Database(fx.handle.file);
    other.pragma('busy_timeout = 20');
    other.exec('BEGIN IMMEDIATE');
    fx.clock.advance(100);
    await sleep(200);
    assert.equal(fx.row(job.id)?.locked_at, null, 'nothing was claimed while the database was locked');
    other.exec('COMMIT');
    other.close();
    await within(ran.promise, 'the job to run after the lock was released', 4000);
  });
});

describe('utilization', () => {
  test('counts the worker-time a task held against the pool size over the last minute and five minutes', async (t) => {
    const fx = queueFixture(t);
    const release = deferred();
    const runner = fx.runner({ hold: () => release.promise }, { pools: { default: { concurrency: 2 }, ui_fast: { concurrency: 1 } } });
    const job = await fx.queue.addJob('hold', {});
    const pool = () => runner.pools().find((p) => p.name === 'default')!;
    await waitFor(() => pool().busy === 1, 'the task to start');
    fx.clock.advance(30_000);
    release.resolve();
    await waitFor(() => fx.row(job.id) === undefined && pool().busy === 0, 'the job to finish');
    fx.clock.advance(30_000);
    // 30 s of one worker out of 2 workers × 60 s since the pool started.
    assert.deepEqual(pool().utilization, { lastMinute: 0.25, lastFiveMinutes: 0.25 });
    fx.clock.advance(60_000);
    assert.deepEqual(pool().utilization, { lastMinute: 0, lastFiveMinutes: 0.125 });
    assert.deepEqual(runner.pools().find((p) => p.name === 'ui_fast')!.utilization, { lastMinute: 0, lastFiveMinutes: 0 });
  });

  test('a task still running counts up to now', async (t) => {
    const fx = queueFixture(t);
    const release = deferred();
    const runner = fx.runner({ hold: () => release.promise }, { pools: ONE_EACH });
    await fx.queue.addJob('hold', {});
    await waitFor(() => runner.pools()[0]!.busy === 1, 'the task to start');
    fx.clock.advance(90_000);
    assert.deepEqual(runner.pools()[0]!.utilization, { lastMinute: 1, lastFiveMinutes: 1 });
    release.resolve();
  });
});
