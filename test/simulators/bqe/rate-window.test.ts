import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src/platform/clock.js';
import { rateHeaders, RateWindow } from '../../../src/simulators/bqe/rate-window.js';

test('is off when the limit is 0', () => {
  const window = new RateWindow(() => 0, 0);
  assert.equal(window.take('t:c'), undefined);
});

test('refuses the request past the cap with the seconds until the oldest one leaves the window', () => {
  const clock = new ManualClock(0);
  const window = new RateWindow(() => clock.now(), 2);
  assert.deepEqual(window.take('t:c'), { allowed: true, limit: 2, remaining: 1, resetSeconds: 60, retryAfterSeconds: 0 });
  clock.advance(10_000);
  assert.equal(window.take('t:c')?.remaining, 0);
  clock.advance(20_500);
  assert.deepEqual(window.take('t:c'), { allowed: false, limit: 2, remaining: 0, resetSeconds: 30, retryAfterSeconds: 30 });
});

test('slides: a slot frees exactly 60 seconds after the request that used it', () => {
  const clock = new ManualClock(0);
  const window = new RateWindow(() => clock.now(), 2);
  window.take('k');
  clock.advance(30_000);
  window.take('k');
  clock.advance(29_999);
  assert.equal(window.take('k')?.allowed, false);
  clock.advance(1);
  assert.equal(window.take('k')?.allowed, true, 'the first request left the window');
  assert.equal(window.take('k')?.allowed, false, 'the second still counts');
});

test('does not count refused requests against the window', () => {
  const clock = new ManualClock(0);
  const window = new RateWindow(() => clock.now(), 1);
  window.take('k');
  for (let i = 0; i < 5; i++) window.take('k');
  clock.advance(60_000);
  assert.equal(window.take('k')?.allowed, true);
});

test('keeps a separate window per tenant and client', () => {
  const window = new RateWindow(() => 0, 1);
  assert.equal(window.take('t1:c')?.allowed, true);
  assert.equal(window.take('t2:c')?.allowed, true);
  assert.equal(window.take('t1:c')?.allowed, false);
});

test('never asks to retry after less than a second', () => {
  const clock = new ManualClock(0);
  const window = new RateWindow(() => clock.now(), 1);
  window.take('k');
  clock.advance(59_900);
  assert.equal(window.take('k')?.retryAfterSeconds, 1);
});

test('renders the X-Rate-Limit headers', () => {
  assert.deepEqual(rateHeaders({ allowed: true, limit: 100, remaining: 7, resetSeconds: 12, retryAfterSeconds: 0 }), {
    'X-Rate-Limit-Limit': '100',
    'X-Rate-Limit-Remaining': '7',
    'X-Rate-Limit-Reset': '12',
  });
});
