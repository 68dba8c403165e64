import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { JobRunner } from '../../src/jobs/runner.js';
import { tickYield, type TickContext } from '../../src/jobs/tick-yield.js';
import { systemActor } from '../../src/platform/actor.js';
import type { EventMap } from '../../src/platform/events.js';
import type { DomainDeclaration } from '../../src/platform/settings-schema.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { silentLogger, TEST_RUNNER_OPTIONS, waitFor } from './fixture.js';

const DEMO: DomainDeclaration = {
  domain: 'demo',
  title: 'Demo',
  description: 'A polling domain for tests.',
  polling: { defaultEnabled: true, defaultIntervalSeconds: 60, minIntervalSeconds: 30, maxIntervalSeconds: 3600 },
  settings: [],
};

interface TickRow {
  id: number;
  key: string | null;
  queue_name: string | null;
  run_at: number;
  locked_at: number | null;
  max_attempts: number;
}

/** A hub (jobs not started) with the demo domain declared and a runner for its tick. */
const setup = async (t: TestContext, work: (ctx: TickContext) => Promise<void>) => {
  const hub: TestHub = await startTestHub({ startJobs: false });
  hub.ctx.domainConfig.declare(DEMO);
  const tick = tickYield({ domain: 'demo', domainConfig: hub.ctx.domainConfig, events: hub.ctx.events, clock: hub.clock, work });
  let markers = 0;
  const tasks = { [tick.identifier]: tick.task, 'demo.marker': () => void markers++ };
  const runner = new JobRunner(hub.ctx.db, hub.ctx.queue, tasks, TEST_RUNNER_OPTIONS, hub.clock, hub.ctx.events, silentLogger);
  t.after(async () => {
    await runner.stop();
    await hub.close();
  });
  const completed: EventMap['tick.completed'][] = [];
  hub.ctx.events.on('tick.completed', (e) => completed.push(e));
  const ticks = () => hub.ctx.db.sqlite.prepare("SELECT id, key, queue_name, run_at, locked_at, max_attempts FROM jobs WHERE task_identifier = 'demo.tick' ORDER BY id").all() as TickRow[];
  /** Waits for round `n` to end and its successor to be the only tick left, waiting. */
  const afterRound = async (n: number): Promise<TickRow> => {
    await waitFor(() => completed.length >= n, `tick round ${n}`);
    return waitFor(() => {
      const rows = ticks();
      return rows.length === 1 && rows[0]!.locked_at === null ? rows[0] : undefined;
    }, `the tick after round ${n} to be queued alone`);
  };
  /** Runs a marker job: the pool has claimed at the current clock time, so a due tick would have been taken too. */
  const claimNow = async (): Promise<void> => {
    const before = markers;
    await hub.ctx.queue.addJob('demo.marker');
    await waitFor(() => markers > before, 'the marker job to run');
  };
  return { hub, tick, runner, completed, ticks, afterRound, claimNow };
};

describe('tickYield', () => {
  test('ensureScheduled queues one tick under the domain\'s key and queue; twice keeps a single job', async (t) => {
    const { hub, tick, ticks } = await setup(t, async () => undefined);
    assert.equal(tick.identifier, 'demo.tick');
    await tick.ensureScheduled(hub.ctx.queue);
    await tick.ensureScheduled(hub.ctx.queue);
    const rows = ticks();
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]!.key, rows[0]!.queue_name, rows[0]!.max_attempts, rows[0]!.run_at], ['tick:demo', 'tick:demo', 3, hub.clock.now()]);
  });

  test('ensureScheduled keeps the time of a tick already waiting', async (t) => {
    const { hub, tick, ticks } = await setup(t, async () => undefined);
    const later = hub.clock.now() + 45_000;
    await hub.ctx.queue.addJob(tick.identifier, {}, { jobKey: 'tick:demo', queueName: 'tick:demo', runAt: new Date(later) });
    await tick.ensureScheduled(hub.ctx.queue);
    assert.deepEqual(ticks().map((r) => r.run_at), [later]);
  });

  test('each round does the work, then reschedules itself with the same key at now + the interval', async (t) => {
    const rounds: TickContext[] = [];
    const { hub, tick, runner, afterRound, claimNow } = await setup(t, async (ctx) => void rounds.push(ctx));
    await tick.ensureScheduled(hub.ctx.queue);
    runner.start();
    const first = await afterRound(1);
    assert.equal(rounds.length, 1);
    assert.equal(rounds[0]!.domain, 'demo');
    assert.equal(rounds[0]!.signal, rounds[0]!.helpers.abortSignal);
    assert.deepEqual([first.key, first.queue_name, first.run_at], ['tick:demo', 'tick:demo', hub.clock.now() + 60_000]);

    hub.clock.advance(59_999);
    await claimNow();
    assert.equal(rounds.length, 1, 'not before the interval');
    hub.clock.advance(1);
    const second = await afterRound(2);
    assert.equal(rounds.length, 2);
    assert.notEqual(second.id, first.id);
    assert.equal(second.run_at, hub.clock.now() + 60_000);
  });

  test('works only while the master switch is on; switched off, the ticks still come round', async (t) => {
    let rounds = 0;
    const { hub, tick, runner, completed, afterRound } = await setup(t, async () => void rounds++);
    hub.ctx.domainConfig.update(systemActor, 'demo', { enabled: false });
    await tick.ensureScheduled(hub.ctx.queue);
    runner.start();
    const next = await afterRound(1);
    assert.equal(rounds, 0);
    assert.equal(completed[0]!.ran, false);
    assert.equal(completed[0]!.error, null);
    assert.equal(next.run_at, hub.clock.now() + 60_000);

    hub.ctx.domainConfig.update(systemActor, 'demo', { enabled: true });
    hub.clock.advance(60_000);
    await afterRound(2);
    assert.equal(rounds, 1);
    assert.equal(completed[1]!.ran, true);
  });

  test('a changed interval applies from the next tick', async (t) => {
    const { hub, tick, runner, afterRound } = await setup(t, async () => undefined);
    await tick.ensureScheduled(hub.ctx.queue);
    runner.start();
    const first = await afterRound(1);
    assert.equal(first.run_at, hub.clock.now() + 60_000);
    hub.ctx.domainConfig.update(systemActor, 'demo', { pollIntervalSeconds: 300 });
    assert.equal((await afterRound(1)).run_at, first.run_at, 'the waiting tick keeps its time');
    hub.clock.advance(60_000);
    const second = await afterRound(2);
    assert.equal(second.run_at, hub.clock.now() + 300_000);
  });

  test('a failing round is reported on tick.completed and the chain continues', async (t) => {
    let rounds = 0;
    const { hub, tick, runner, completed, afterRound } = await setup(t, async () => {
      rounds++;
      if (rounds === 1) throw new Error('upstream returned 503');
    });
    const failed: unknown[] = [];
    hub.ctx.events.on('job.failed', (e) => failed.push(e));
    await tick.ensureScheduled(hub.ctx.queue);
    runner.start();
    const next = await afterRound(1);
    assert.deepEqual({ ...completed[0], ms: 0 }, { domain: 'demo', ran: true, ms: 0, error: 'upstream returned 503' });
    assert.equal(next.run_at, hub.clock.now() + 60_000);
    assert.deepEqual(failed, [], 'the tick job itself succeeded');
    hub.clock.advance(60_000);
    await afterRound(2);
    assert.equal(completed[1]!.error, null);
    assert.equal(rounds, 2);
  });

  test('a round that throws a non-Error value is reported with its text', async (t) => {
    const { hub, tick, runner, completed, afterRound } = await setup(t, () => Promise.reject('quota'));
    await tick.ensureScheduled(hub.ctx.queue);
    runner.start();
    await afterRound(1);
    assert.equal(completed[0]!.error, 'quota');
  });
});
