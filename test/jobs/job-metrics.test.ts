import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobMetrics } from '../../src/jobs/job-metrics.js';
import type { TaskStatDelta } from '../../src/jobs/sql/record-stats.js';
import { ManualClock } from '../../src/platform/clock.js';

const setup = () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 23, 59, 0));
  const flushed: TaskStatDelta[][] = [];
  const metrics = new JobMetrics(clock, (deltas) => flushed.push([...deltas]));
  return { clock, flushed, metrics };
};

test('counts outcomes and durations per task since start, sorted by task', () => {
  const { metrics } = setup();
  metrics.record('b.sync', 'succeeded', 10);
  metrics.record('a.sync', 'failed', 5.5);
  metrics.record('b.sync', 'succeeded', 30);
  metrics.record('b.sync', 'dead', 2);
  assert.deepEqual(metrics.snapshot(), [
    { task: 'a.sync', succeeded: 0, failed: 1, dead: 0, totalMs: 5.5, maxMs: 5.5 },
    { task: 'b.sync', succeeded: 2, failed: 0, dead: 1, totalMs: 42, maxMs: 30 },
  ]);
});

test('snapshot() returns copies that later records do not change', () => {
  const { metrics } = setup();
  metrics.record('t', 'succeeded', 1);
  const snap = metrics.snapshot();
  metrics.record('t', 'succeeded', 1);
  assert.equal(snap[0]!.succeeded, 1);
});

test('flush() hands over per-task, per-day deltas in whole milliseconds, then starts afresh', () => {
  const { metrics, flushed } = setup();
  metrics.record('t', 'succeeded', 10.4);
  metrics.record('t', 'succeeded', 20.6);
  metrics.record('u', 'dead', 3);
  metrics.flush();
  assert.deepEqual(flushed, [[
    { task: 't', day: '2026-01-01', succeeded: 2, failed: 0, dead: 0, totalMs: 31, maxMs: 21 },
    { task: 'u', day: '2026-01-01', succeeded: 0, failed: 0, dead: 1, totalMs: 3, maxMs: 3 },
  ]]);
  metrics.record('t', 'failed', 1);
  metrics.flush();
  assert.deepEqual(flushed[1], [{ task: 't', day: '2026-01-01', succeeded: 0, failed: 1, dead: 0, totalMs: 1, maxMs: 1 }]);
});

test('flush() with nothing recorded writes nothing', () => {
  const { metrics, flushed } = setup();
  metrics.flush();
  metrics.record('t', 'succeeded', 1);
  metrics.flush();
  metrics.flush();
  assert.equal(flushed.length, 1);
});

test('records after midnight (UTC) go to the next day', () => {
  const { metrics, flushed, clock } = setup();
  metrics.record('t', 'succeeded', 1);
  clock.advance(60_000);
  metrics.record('t', 'succeeded', 2);
  metrics.flush();
  assert.deepEqual(flushed[0]!.map((d) => [d.day, d.succeeded]), [['2026-01-01', 1], ['2026-01-02', 1]]);
  assert.equal(metrics.snapshot()[0]!.succeeded, 2, 'the since-start totals do not split by day');
});
