import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CronScheduler } from '../../src/jobs/cron-scheduler.js';
import { parseCrontab } from '../../src/jobs/crontab.js';
import type { Clock } from '../../src/platform/clock.js';
import { queueFixture, silentLogger, waitFor, type QueueFixture } from './fixture.js';

const at = (iso: string) => Date.parse(iso);

const scheduler = (fx: QueueFixture, crontab: string, clock: Clock = fx.clock) => new CronScheduler(fx.handle, fx.queue, parseCrontab(crontab), clock, silentLogger);

const cronPayloads = (fx: QueueFixture) => fx.rows().map((r) => JSON.parse(r.payload) as { _cron: { ts: string; backfilled: boolean } } & Record<string, unknown>);

describe('CronScheduler', () => {
  test('a tick queues one job with the payload and _cron.ts', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T11:59:30Z'));
    const cron = scheduler(fx, '0 * * * * crm.hourly {"full":false}');
    assert.equal(cron.catchUp(), 0);
    fx.clock.set(at('2026-01-01T12:00:00Z'));
    assert.equal(cron.catchUp(), 1);
    const [row] = fx.rows();
    assert.equal(row!.task_identifier, 'crm.hourly');
    assert.equal(row!.run_at, at('2026-01-01T12:00:00Z'));
    assert.deepEqual(JSON.parse(row!.payload), { full: false, _cron: { ts: '2026-01-01T12:00:00.000Z', backfilled: false } });
  });

  test('catchUp() twice at the same time queues the tick once', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T11:59:00Z'));
    const cron = scheduler(fx, '*/15 * * * * q');
    cron.catchUp();
    fx.clock.set(at('2026-01-01T12:00:10Z'));
    assert.equal(cron.catchUp(), 1);
    assert.equal(cron.catchUp(), 0);
    assert.equal(fx.count(), 1);
  });

  test('after a restart, a tick already run is not run again', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T11:59:00Z'));
    scheduler(fx, '0 * * * * q').catchUp();
    fx.clock.set(at('2026-01-01T12:00:20Z'));
    assert.equal(scheduler(fx, '0 * * * * q').catchUp(), 1);
    fx.clock.advance(5000);
    assert.equal(scheduler(fx, '0 * * * * q').catchUp(), 0, 'a new scheduler on the same database');
    assert.equal(fx.count(), 1);
  });

  test('missed ticks are backfilled only within fill, marked backfilled', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T00:00:30Z'));
    scheduler(fx, '0 * * * * t ?fill=3h').catchUp();
    // Down for ten hours.
    fx.clock.set(at('2026-01-01T10:30:00Z'));
    assert.equal(scheduler(fx, '0 * * * * t ?fill=3h').catchUp(), 3);
    assert.deepEqual(
      cronPayloads(fx).map((p) => p._cron),
      [
        { ts: '2026-01-01T08:00:00.000Z', backfilled: true },
        { ts: '2026-01-01T09:00:00.000Z', backfilled: true },
        { ts: '2026-01-01T10:00:00.000Z', backfilled: true },
      ],
    );
  });

  test('backfill never reaches back before the last tick run', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T09:59:00Z'));
    const cron = scheduler(fx, '0 * * * * t ?fill=1d');
    cron.catchUp();
    fx.clock.set(at('2026-01-01T10:00:00Z'));
    assert.equal(cron.catchUp(), 1);
    fx.clock.set(at('2026-01-01T13:30:00Z'));
    assert.equal(cron.catchUp(), 3);
    assert.deepEqual(cronPayloads(fx).map((p) => p._cron.ts.slice(11, 16)), ['10:00', '11:00', '12:00', '13:00']);
  });

  test('without fill, ticks missed while down are not backfilled', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T00:00:30Z'));
    scheduler(fx, '0 * * * * t').catchUp();
    fx.clock.set(at('2026-01-01T10:30:00Z'));
    assert.equal(scheduler(fx, '0 * * * * t').catchUp(), 0);
    assert.equal(fx.count(), 0);
  });

  test('without fill, a tick less than a minute ago still runs, not as a backfill', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T00:00:30Z'));
    scheduler(fx, '0 * * * * t').catchUp();
    fx.clock.set(at('2026-01-01T10:00:40Z'));
    assert.equal(scheduler(fx, '0 * * * * t').catchUp(), 1);
    assert.deepEqual(cronPayloads(fx)[0]!._cron, { ts: '2026-01-01T10:00:00.000Z', backfilled: false });
  });

  test('the first sight of an entry does not backfill, whatever its fill', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T10:30:00Z'));
    assert.equal(scheduler(fx, '0 * * * * t ?fill=1w').catchUp(), 0);
    assert.equal(fx.count(), 0);
  });

  test('each entry keeps its own record: one task under two ids runs at both schedules', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T11:59:00Z'));
    const cron = scheduler(fx, '0 * * * * sync\n0 12 * * * sync ?id=sync-noon');
    cron.catchUp();
    fx.clock.set(at('2026-01-01T12:00:00Z'));
    assert.equal(cron.catchUp(), 2);
    assert.deepEqual(fx.rows().map((r) => r.task_identifier), ['sync', 'sync']);
  });

  test('the job gets the entry\'s queue, max attempts, priority and job key', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T11:59:00Z'));
    const cron = scheduler(fx, '0 * * * * t ?queue=reports&max=3&priority=-4&jobKey=hourly-report&jobKeyMode=unsafe_dedupe');
    cron.catchUp();
    fx.clock.set(at('2026-01-01T12:00:00Z'));
    cron.catchUp();
    const [row] = fx.rows();
    assert.deepEqual([row!.queue_name, row!.max_attempts, row!.priority, row!.key], ['reports', 3, -4, 'hourly-report']);
    fx.clock.set(at('2026-01-01T13:00:00Z'));
    assert.equal(cron.catchUp(), 1, 'the tick is counted as run');
    assert.equal(fx.count(), 1, 'unsafe_dedupe kept the waiting job');
  });

  test('status() gives each entry\'s last run and next run', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T11:59:00Z'));
    const cron = scheduler(fx, '0 * * * * a\n30 2 * * * b');
    assert.deepEqual(cron.status().map((s) => [s.item.identifier, s.lastExecution, s.nextRun]), [
      ['a', null, at('2026-01-01T12:00:00Z')],
      ['b', null, at('2026-01-02T02:30:00Z')],
    ]);
    cron.catchUp();
    fx.clock.set(at('2026-01-01T12:00:05Z'));
    cron.catchUp();
    assert.deepEqual(cron.status().map((s) => [s.item.identifier, s.lastExecution, s.nextRun]), [
      ['a', at('2026-01-01T12:00:00Z'), at('2026-01-01T13:00:00Z')],
      ['b', null, at('2026-01-02T02:30:00Z')],
    ]);
  });

  test('start() queues the tick when its timer fires', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T11:59:59.970Z'));
    const cron = scheduler(fx, '0 * * * * t');
    cron.start();
    t.after(() => cron.stop());
    // The timer waits the 30 ms real time; the test clock is moved past the tick meanwhile.
    fx.clock.set(at('2026-01-01T12:00:00Z'));
    await waitFor(() => fx.count() === 1, 'the timer to queue the tick');
    assert.deepEqual(cronPayloads(fx)[0]!._cron, { ts: '2026-01-01T12:00:00.000Z', backfilled: false });
  });

  test('an entry whose next tick is months away does not make the timer spin', async (t) => {
    const fx = queueFixture(t);
    let reads = 0;
    const clock: Clock = { now: () => (reads++, fx.clock.now()) };
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    t.after(() => process.off('warning', onWarning));
    fx.clock.set(at('2026-01-02T00:00:00Z'));
    const cron = scheduler(fx, '0 0 1 1 * yearly', clock);
    cron.start();
    await sleep(60);
    cron.stop();
    assert.ok(reads < 10, `the clock was read ${reads} times in 60 ms`);
    assert.deepEqual(warnings.map((w) => w.name), []);
  });

  test('stop() cancels the timer', async (t) => {
    const fx = queueFixture(t);
    fx.clock.set(at('2026-01-01T11:59:59.990Z'));
    const cron = scheduler(fx, '0 * * * * t');
    cron.start();
    cron.stop();
    fx.clock.set(at('2026-01-01T12:00:00Z'));
    await sleep(40);
    assert.equal(fx.count(), 0);
  });

  test('a scheduler without entries starts and stops without a timer', async (t) => {
    const fx = queueFixture(t);
    const cron = scheduler(fx, '');
    cron.start();
    assert.deepEqual(cron.status(), []);
    cron.stop();
  });
});
