import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LATENCY_OPTIONS, LatencyRecorder } from '../../src/platform/latency.js';

test('gives nearest-rank percentiles per action and source', () => {
  const recorder = new LatencyRecorder();
  for (let ms = 1; ms <= 100; ms++) recorder.record('server', 'GET /admin/jobs', ms);
  recorder.record('browser', 'GET /admin/jobs', 250);
  assert.deepEqual(recorder.snapshot(), [
    { action: 'GET /admin/jobs', server: { count: 100, p50: 50, p95: 95, p99: 99 }, browser: { count: 1, p50: 250, p95: 250, p99: 250 } },
  ]);
});

test('sorts actions by name and leaves a source without samples undefined', () => {
  const recorder = new LatencyRecorder();
  recorder.record('browser', 'Rules page', 12);
  recorder.record('server', 'GET /admin', 3);
  const rows = recorder.snapshot();
  assert.deepEqual(rows.map((r) => r.action), ['GET /admin', 'Rules page']);
  assert.equal(rows[0]!.browser, undefined);
  assert.equal(rows[1]!.server, undefined);
});

test('percentiles follow a sliding window of recent samples while the count keeps growing', () => {
  const recorder = new LatencyRecorder({ windowSize: 10 });
  for (let i = 0; i < 10; i++) recorder.record('server', 'a', 1000);
  for (let i = 0; i < 10; i++) recorder.record('server', 'a', 5);
  assert.deepEqual(recorder.snapshot()[0]!.server, { count: 20, p50: 5, p95: 5, p99: 5 });
});

test('keeps at most maxActions, forgetting the one recorded least recently', () => {
  const recorder = new LatencyRecorder({ maxActions: 3 });
  recorder.record('server', 'a', 1);
  recorder.record('server', 'b', 1);
  recorder.record('server', 'c', 1);
  recorder.record('browser', 'a', 1);
  recorder.record('server', 'd', 1);
  assert.deepEqual(recorder.snapshot().map((r) => r.action), ['a', 'c', 'd']);
  assert.equal(recorder.forgotten, 1);
});

test('ignores negative and non-finite durations', () => {
  const recorder = new LatencyRecorder();
  recorder.record('server', 'a', -1);
  recorder.record('server', 'a', Number.NaN);
  recorder.record('server', 'a', Number.POSITIVE_INFINITY);
  assert.deepEqual(recorder.snapshot(), []);
});

test('defaults to 200 actions of 512 samples each', () => {
  assert.deepEqual(new LatencyRecorder().options, DEFAULT_LATENCY_OPTIONS);
  assert.deepEqual(DEFAULT_LATENCY_OPTIONS, { maxActions: 200, windowSize: 512 });
});
