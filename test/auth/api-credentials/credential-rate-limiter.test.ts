import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CredentialRateLimiter } from '../../../src/auth/api-credentials/credential-rate-limiter.js';

const burst = (limiter: CredentialRateLimiter, key: string, perMinute: number, now: number): number => {
  let admitted = 0;
  while (limiter.check(key, perMinute, now).allowed) {
    limiter.take(key, perMinute, now);
    admitted++;
  }
  return admitted;
};

describe('credential rate limiter', () => {
  test("admits a minute's allowance at once, then refuses with the seconds until the next request fits", () => {
    const limiter = new CredentialRateLimiter();
    assert.equal(burst(limiter, 'a', 6, 0), 6);
    assert.deepEqual(limiter.check('a', 6, 0), { allowed: false, retryAfterSeconds: 10 });
    assert.deepEqual(limiter.check('a', 6, 9_000), { allowed: false, retryAfterSeconds: 1 });
    assert.deepEqual(limiter.check('a', 6, 10_000), { allowed: true });
  });

  test('refills evenly and never beyond one minute of requests', () => {
    const limiter = new CredentialRateLimiter();
    burst(limiter, 'a', 60, 0);
    assert.equal(burst(limiter, 'a', 60, 5_000), 5);
    assert.equal(burst(limiter, 'a', 60, 3_600_000), 60);
  });

  test('check alone uses nothing up', () => {
    const limiter = new CredentialRateLimiter();
    for (let i = 0; i < 10; i++) assert.equal(limiter.check('a', 1, 0).allowed, true);
    limiter.take('a', 1, 0);
    assert.equal(limiter.check('a', 1, 0).allowed, false);
  });

  test('keeps one bucket per credential', () => {
    const limiter = new CredentialRateLimiter();
    burst(limiter, 'a', 2, 0);
    assert.equal(limiter.check('a', 2, 0).allowed, false);
    assert.equal(limiter.check('b', 2, 0).allowed, true);
  });
});
