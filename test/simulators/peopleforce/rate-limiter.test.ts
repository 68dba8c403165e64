import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src/platform/clock.js';
import { RateLimiter } from '../../../src/simulators/peopleforce/rate-limiter.js';

test('lets everything through when the limit is 0', () => {
  const limiter = new RateLimiter(() => 0);
  for (let i = 0; i < 1000; i++) assert.deepEqual(limiter.take(), { ok: true });
});

test('refuses past the limit with the seconds left in the minute, then opens a new window', () => {
  const clock = new ManualClock();
  const limiter = new RateLimiter(() => clock.now(), 1);
  assert.deepEqual(limiter.take(), { ok: true });
  clock.advance(20_500);
  assert.deepEqual(limiter.take(), { ok: false, retryAfterSeconds: 40 });
  clock.advance(39_500);
  assert.deepEqual(limiter.take(), { ok: true });
});

test('starts counting afresh after a reset', () => {
  const limiter = new RateLimiter(() => 0, 1);
  limiter.take();
  limiter.reset();
  assert.deepEqual(limiter.take(), { ok: true });
});
