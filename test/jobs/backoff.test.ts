import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffMs } from '../../src/jobs/backoff.js';

test('waits exp(attempts) seconds, rounded to whole milliseconds', () => {
  assert.equal(backoffMs(1), 2718);
  assert.equal(backoffMs(2), 7389);
  assert.equal(backoffMs(3), 20086);
  assert.equal(backoffMs(0), 1000);
});

test('stops growing after the tenth attempt (about six hours)', () => {
  assert.equal(backoffMs(10), Math.round(Math.exp(10) * 1000));
  assert.equal(backoffMs(11), backoffMs(10));
  assert.equal(backoffMs(25), backoffMs(10));
  assert.ok(backoffMs(10) > 6 * 3_600_000 && backoffMs(10) < 6.2 * 3_600_000);
});

test('grows with every attempt up to the cap', () => {
  for (let a = 1; a < 10; a++) assert.ok(backoffMs(a + 1) > backoffMs(a), `attempt ${a + 1} waits longer than attempt ${a}`);
});
