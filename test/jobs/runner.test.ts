import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parseCrontab } from '../../src/jobs/crontab.js';
import { DEFAULT_RUNNER_OPTIONS } from '../../src/jobs/runner.js';
import type { TaskList } from '../../src/jobs/types.js';
import { deferred, queueFixture, settle, waitFor, within, type QueueFixture } from './fixture.js';

const ONE_EACH = { default: { concurrency: 1 }, ui_fast: { concurrency: 1 } };

/** Marks a job as taken by some worker at `at`, as a claim would. */
const lockAs = (fx: QueueFixture, id: number, worker: string, at = fx.clock.now()): void => {
  fx.handle.sqlite.prepare('UPDATE jobs SET locked_at = ?, locked_by = ?, attempts = attempts + 1 WHERE id = ?').run(at, worker, id);
};

describe('start and stop', () => {
  test('the defaults match graphile-worker: 2 s poll, 4 h lock timeout', () => {
    assert.equal(DEFAULT_RUNNER_OPTIONS.pollIntervalMs, 2000);
    assert.equal(DEFAULT_RUNNER_OPTIONS.lockTimeoutMs, 4 * 3_600_000);
    assert.equal(DEFAULT_RUNNER_OPTIONS.defaultTaskTimeoutMs, 5 * 60_000);
  });

  test('reports whether it is started; starting twice or stopping twice is harmless', async (t) => {
    const fx = queueFixture(t);
    const runner = fx.runner({}, {}, false);
    assert.equal(runner.started, false);
    await runner.stop();
    runner.start();
    runner.start();
    assert.equal(runner.started, true);
    await runner.stop();
    await runner.stop();
    assert.equal(runner.started, false);
  });

  test('nothing runs before start()', async (t) => {
    const fx = queueFixture(t);
    let calls = 0;
    const runner = fx.runner({ t: () => void calls++ }, {}, false);
    const job = await fx.queue.addJob('t');
    await settle();
    assert.equal(calls, 0);
    assert.equal(fx.row(job.id)!.state, 'queued');
    runner.start();
    await waitFor(() => fx.count() === 0, 'the job to run after start');
    assert.equal(calls, 1);
  });

  test('stop() stops claiming: a job added afterwards stays queued', async (t) => {
    const fx = queueFixture(t);
    let calls = 0;
    const runner = fx.runner({ t: () => void calls++ });
    await runner.stop();
    const job = await fx.queue.addJob('t');
    await settle();
    assert.equal(calls, 0);
    assert.deepEqual([fx.row(job.id)!.state, fx.row(job.id)!.locked_by], ['queued', null]);
  });

  test('stop() aborts the abortSignal of running tasks and waits for them to finish', async (t) => {
    const fx = queueFixture(t);
    const started = deferred();
    const log: string[] = [];
    const runner = fx.runner({
      polite: async (_p, helpers) => {
        started.resolve();
        await new Promise((resolve) => helpers.abortSignal.addEventListener('abort', resolve));
        log.push(`aborted: ${String((helpers.abortSignal.reason as Error).message)}`);
        for (let i = 0; i < 5; i++) await nextTurn();
        log.push('finished');
      },
    });
    const job = await fx.queue.addJob('polite');
    await within(started.promise, 'the task to start');
    await runner.stop();
    assert.deepEqual(log, ['aborted: the job runner is shutting down', 'finished']);
    assert.equal(fx.row(job.id), undefined, 'the finished job was written back before stop() returned');
  });

  test('a task that asks for its abortSignal during shutdown gets one already aborted', async (t) => {
    const fx = queueFixture(t);
    const started = deferred();
    const proceed = deferred();
    let abortedWhenAsked: boolean | undefined;
    const runner = fx.runner({
      late: async (_p, helpers) => {
        started.resolve();
        await proceed.promise;
        abortedWhenAsked = helpers.abortSignal.aborted;
      },
    });
    await fx.queue.addJob('late');
    await within(started.promise, 'the task to start');
    const stopping = runner.stop();
    proceed.resolve();
    await stopping;
    assert.equal(abortedWhenAsked, true);
  });

  test('tasks still running after shutdownTimeoutMs are released with their attempt counted', async (t) => {
    const fx = queueFixture(t);
    const started = deferred();
    const runner = fx.runner({ stubborn: () => { started.resolve(); return new Promise<void>(() => undefined); } }, { shutdownTimeoutMs: 30 });
    const job = await fx.queue.addJob('stubborn', {}, { queueName: 'q' });
    await within(started.promise, 'the task to start');
    await runner.stop();
    const row = fx.row(job.id)!;
    assert.deepEqual([row.locked_at, row.locked_by, row.attempts, row.state], [null, null, 1, 'retrying']);
    assert.equal(fx.handle.sqlite.prepare("SELECT locked_at FROM job_queues WHERE queue_name = 'q'").pluck().get(), null, 'its queue is unlocked');
  });

  test('a released task that finishes after shutdown writes nothing, even once the database is closed', async (t) => {
    const fx = queueFixture(t);
    const started = deferred();
    const finish = deferred();
    const runner = fx.runner({ slow: async () => { started.resolve(); await finish.promise; } }, { shutdownTimeoutMs: 20 });
    const job = await fx.queue.addJob('slow');
    await within(started.promise, 'the task to start');
    await runner.stop();
    const released = fx.row(job.id);
    assert.equal(released!.state, 'retrying');
    finish.resolve();
    await settle(10);
    assert.deepEqual(fx.row(job.id), released, 'the late success did not delete the released job');
    // The hub closes the database right after stopping the runner: a late write there would throw out of a timer.
    const again = deferred();
    const finish2 = deferred();
    const runner2 = fx.runner({ slow: async () => { again.resolve(); await finish2.promise; } }, { shutdownTimeoutMs: 20 });
    await within(again.promise, 'the released job to run again');
    await runner2.stop();
    fx.handle.close();
    finish2.resolve();
    await settle(10);
  });

  test('claimed but unstarted jobs are released at stop with their attempt given back', async (t) => {
    const fx = queueFixture(t);
    const blockerStarted = deferred();
    const tasks: TaskList = {
      quick: () => undefined,
      blocker: () => { blockerStarted.resolve(); return new Promise<void>(() => undefined); },
      waiting: () => assert.fail('must not start'),
    };
    // Quick jobs first: the pool claims bigger batches while jobs finish fast, so the waiting jobs are claimed with the blocker.
    // With the timer frozen every claim looks fast (batches 1, 2, 4), whatever the machine's load.
    t.mock.method(performance, 'now', () => 1_000_000);
    await fx.queue.addJobs([
      ...Array.from({ length: 4 }, () => ({ identifier: 'quick', spec: { priority: -2 } })),
      { identifier: 'blocker', spec: { priority: -1 } },
      ...Array.from({ length: 20 }, () => ({ identifier: 'waiting' })),
    ]);
    const runner = fx.runner(tasks, { pools: ONE_EACH, shutdownTimeoutMs: 20 });
    await within(blockerStarted.promise, 'the blocker to start');
    const claimed = fx.rows().filter((r) => r.task_identifier === 'waiting' && r.locked_by === runner.workerId);
    assert.ok(claimed.length > 0, 'some waiting jobs were claimed with the blocker');
    assert.ok(claimed.every((r) => r.attempts === 1));
    await runner.stop();
    const waiting = fx.rows().filter((r) => r.task_identifier === 'waiting');
    assert.equal(waiting.length, 20);
    for (const r of waiting) assert.deepEqual([r.locked_at, r.locked_by, r.attempts, r.state], [null, null, 0, 'queued']);
  });

  test('a runner started again after stop() runs jobs with a live abortSignal', async (t) => {
    const fx = queueFixture(t);
    const seen: boolean[] = [];
    const runner = fx.runner({ t: (_p, helpers) => void seen.push(helpers.abortSignal.aborted) });
    await runner.stop();
    runner.start();
    await fx.queue.addJob('t');
    await waitFor(() => seen.length === 1, 'the job to run after the restart');
    assert.deepEqual(seen, [false]);
  });
});

describe('reclaim', () => {
  test('start() unlocks jobs left locked by another (dead) worker, keeping their attempt, and runs them', async (t) => {
    const fx = queueFixture(t);
    const attempts: number[] = [];
    const [orphan, queued] = await fx.queue.addJobs([{ identifier: 'work' }, { identifier: 'work', spec: { queueName: 'q' } }]);
    lockAs(fx, orphan!.id, 'worker-1234-dead');
    lockAs(fx, queued!.id, 'worker-1234-dead');
    fx.handle.sqlite.prepare("INSERT INTO job_queues (queue_name, locked_at, locked_by) VALUES ('q', ?, 'worker-1234-dead')").run(fx.clock.now());
    fx.runner({ work: (_p, helpers) => void attempts.push(helpers.job.attempts) });
    await waitFor(() => fx.count() === 0, 'the reclaimed jobs to run');
    assert.deepEqual(attempts, [2, 2]);
  });

  test('reclaim() releases other workers\' locks and returns how many, leaving its own fresh locks', async (t) => {
    const fx = queueFixture(t);
    const runner = fx.runner({}, {}, false);
    const [a, b, c] = await fx.queue.addJobs([{ identifier: 'x' }, { identifier: 'x' }, { identifier: 'x' }]);
    lockAs(fx, a!.id, 'worker-other');
    lockAs(fx, b!.id, runner.workerId);
    assert.equal(runner.reclaim(), 1);
    assert.deepEqual([fx.row(a!.id)!.locked_by, fx.row(a!.id)!.attempts, fx.row(a!.id)!.state], [null, 1, 'retrying']);
    assert.equal(fx.row(b!.id)!.locked_by, runner.workerId);
    assert.equal(fx.row(c!.id)!.state, 'queued');
    assert.equal(runner.reclaim(), 0);
  });

  test('reclaim() releases its own locks once they are older than lockTimeoutMs', async (t) => {
    const fx = queueFixture(t);
    const runner = fx.runner({}, { lockTimeoutMs: 60_000 }, false);
    const job = await fx.queue.addJob('x', {}, { queueName: 'q' });
    lockAs(fx, job.id, runner.workerId);
    fx.handle.sqlite.prepare('INSERT INTO job_queues (queue_name, locked_at, locked_by) VALUES (?, ?, ?)').run('q', fx.clock.now(), runner.workerId);
    fx.clock.advance(60_000);
    assert.equal(runner.reclaim(), 0, 'exactly the timeout is not yet stale');
    fx.clock.advance(1);
    assert.equal(runner.reclaim(), 1);
    assert.equal(fx.row(job.id)!.locked_at, null);
    assert.equal(fx.handle.sqlite.prepare("SELECT locked_at FROM job_queues WHERE queue_name = 'q'").pluck().get(), null);
  });

  test('a running runner sweeps stale locks and runs those jobs again', async (t) => {
    const fx = queueFixture(t);
    const ran = deferred<number>();
    fx.runner({ work: (_p, helpers) => ran.resolve(helpers.job.attempts) }, { lockTimeoutMs: 20, pollIntervalMs: 60_000 });
    await nextTurn();
    const job = await fx.queue.addJob('work', {}, { runAt: new Date(fx.clock.now() + 3_600_000) });
    fx.handle.sqlite.prepare('UPDATE jobs SET run_at = ? WHERE id = ?').run(fx.clock.now(), job.id);
    lockAs(fx, job.id, 'worker-gone');
    assert.equal(await within(ran.promise, 'the swept job to run'), 2);
  });
});

describe('cron', () => {
  test('start() queues the current cron tick and the runner runs it', async (t) => {
    const fx = queueFixture(t);
    const ran = deferred<unknown>();
    // 12:00:00 on the test clock: the first sight of an entry runs nothing, so the clock starts just before the tick.
    fx.clock.set(Date.UTC(2026, 0, 1, 11, 59, 59));
    const runner = fx.runner({ hourly: (p) => ran.resolve(p) }, { crontab: parseCrontab('0 * * * * hourly') }, false);
    runner.cron.catchUp();
    fx.clock.advance(1000);
    runner.start();
    assert.deepEqual(await within(ran.promise, 'the cron job to run'), { _cron: { ts: '2026-01-01T12:00:00.000Z', backfilled: false } });
  });
});

describe('pools', () => {
  test('utilization counts only the time since start(), so a new runner is not diluted by the time before', async (t) => {
    const fx = queueFixture(t);
    const release = deferred();
    const runner = fx.runner({ hold: () => release.promise }, { pools: ONE_EACH }, false);
    fx.clock.advance(10 * 60_000);
    runner.start();
    await fx.queue.addJob('hold', {});
    await waitFor(() => runner.pools()[0]!.busy === 1, 'the task to start');
    fx.clock.advance(30_000);
    const [pool] = runner.pools();
    assert.deepEqual(pool, { name: 'default', concurrency: 1, busy: 1, utilization: { lastMinute: 1, lastFiveMinutes: 1 } });
    release.resolve();
  });
});
