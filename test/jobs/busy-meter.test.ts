import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BusyMeter } from '../../src/jobs/busy-meter.js';

const T0 = 1_000_000;

test('reports no utilization before any time has passed or with no capacity', () => {
  const meter = new BusyMeter(T0);
  meter.change(T0, 2);
  assert.equal(meter.utilization(T0, 60_000, 2, T0), 0);
  assert.equal(meter.utilization(T0 + 1000, 60_000, 0, T0), 0);
});

test('integrates busy workers over time across bucket boundaries', () => {
  const meter = new BusyMeter(T0);
  meter.change(T0 + 500, 1);
  meter.change(T0 + 2_500, 3);
  meter.change(T0 + 4_000, 0);
  // 2 s × 1 + 1.5 s × 3 = 6.5 worker-seconds out of 4 workers × 10 s.
  assert.equal(meter.utilization(T0 + 10_000, 60_000, 4, T0), 6.5 / 40);
});

test('looks back only over the window, counting the first bucket in proportion', () => {
  const meter = new BusyMeter(T0);
  meter.change(T0, 1);
  meter.change(T0 + 120_000, 0);
  assert.equal(meter.utilization(T0 + 150_000, 60_000, 1, T0), 0.5);
  assert.equal(meter.utilization(T0 + 150_500, 60_000, 1, T0), 29.5 / 60);
});

test('forgets busy time older than its horizon, even after a long quiet gap', () => {
  const meter = new BusyMeter(T0, 1000, 5 * 60_000);
  meter.change(T0, 2);
  meter.change(T0 + 60_000, 0);
  assert.equal(meter.utilization(T0 + 3_600_000, 5 * 60_000, 2, T0), 0);
  meter.change(T0 + 3_600_000, 1);
  assert.equal(meter.utilization(T0 + 3_630_000, 60_000, 1, T0), 0.5);
});

test('never reports more than full utilization', () => {
  const meter = new BusyMeter(T0);
  meter.change(T0, 5);
  assert.equal(meter.utilization(T0 + 10_000, 60_000, 2, T0), 1);
});
