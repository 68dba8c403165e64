import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createLoginThrottle, type LoginThrottle, type ThrottlePolicy } from '../../src/auth/login-throttle.js';
import { createLoginFailureRepository } from '../../src/db/repositories/login-failure-repository.js';
import { AppError } from '../../src/errors.js';
import { ManualClock } from '../../src/platform/clock.js';
import { migratedDb } from '../helpers/db.js';

const EMAIL = 'ann@example.com';
const IP = '192.0.2.1';

describe('login throttle', () => {
  let db: ReturnType<typeof migratedDb>;
  let clock: ManualClock;
  let policy: ThrottlePolicy;
  let throttle: LoginThrottle;

  beforeEach(() => {
    db = migratedDb();
    clock = new ManualClock();
    policy = { slowdownAfter: 3, lockoutAfter: 5, lockoutMinutes: 15 };
    throttle = createLoginThrottle(createLoginFailureRepository(db.db), clock, () => policy);
  });
  afterEach(() => db.close());

  const fail = (times: number, email = EMAIL, ip = IP): void => {
    for (let i = 0; i < times; i++) throttle.recordFailure(email, ip);
  };

  const lockedOut = (email = EMAIL, ip = IP): AppError => {
    try {
      throttle.check(email, ip);
    } catch (err) {
      assert.ok(err instanceof AppError);
      return err;
    }
    assert.fail('expected a 429');
  };

  test('lets a first attempt through without delay', () => {
    assert.equal(throttle.check(EMAIL, IP), 0);
  });

  test('adds no delay below the slowdown threshold', () => {
    fail(2);
    assert.equal(throttle.check(EMAIL, IP), 0);
  });

  test('delays one more second per failure past the slowdown threshold', () => {
    fail(3);
    assert.equal(throttle.check(EMAIL, IP), 1000);
    fail(1);
    assert.equal(throttle.check(EMAIL, IP), 2000);
  });

  test('caps the delay at five seconds', () => {
    policy = { slowdownAfter: 1, lockoutAfter: 50, lockoutMinutes: 15 };
    fail(20);
    assert.equal(throttle.check(EMAIL, IP), 5000);
  });

  test('refuses with 429 and a retry time once the lockout threshold is reached', () => {
    fail(5);
    const err = lockedOut();
    assert.equal(err.status, 429);
    assert.equal(err.code, 'too_many_requests');
    assert.deepEqual(err.details, { retryAfterSeconds: 15 * 60 });
    assert.match(err.message, /Try again in 15 minute\(s\)/);
  });

  test('counts the retry time from the last failure', () => {
    fail(5);
    clock.advance(10 * 60_000 + 500);
    assert.deepEqual(lockedOut().details, { retryAfterSeconds: 5 * 60 });
  });

  test('forgets failures once the window has passed', () => {
    fail(5);
    clock.advance(15 * 60_000 + 1);
    assert.equal(throttle.check(EMAIL, IP), 0);
    throttle.recordFailure(EMAIL, IP);
    assert.equal(db.sqlite.prepare('SELECT count FROM login_failures WHERE key = ?').pluck().get(`account:${EMAIL}|${IP}`), 1);
  });

  test('clears the account counter on success', () => {
    fail(4);
    throttle.recordSuccess(EMAIL, IP);
    assert.equal(throttle.check(EMAIL, IP), 0);
  });

  test('counts an account per address, ignoring email case', () => {
    fail(5, 'Ann@Example.com');
    assert.equal(lockedOut(EMAIL).status, 429);
    assert.equal(throttle.check(EMAIL, '198.51.100.7'), 0);
  });

  test('limits one address trying many accounts at four times the account threshold', () => {
    for (let i = 0; i < 12; i++) fail(1, `user${i}@example.com`);
    assert.equal(throttle.check('fresh@example.com', IP), 1000);
    for (let i = 12; i < 20; i++) fail(1, `user${i}@example.com`);
    assert.equal(lockedOut('fresh@example.com').status, 429);
    assert.equal(throttle.check('fresh@example.com', '198.51.100.7'), 0);
  });

  test('keeps the per-address counter after one account succeeds', () => {
    for (let i = 0; i < 20; i++) fail(1, `user${i}@example.com`);
    throttle.recordSuccess('user0@example.com', IP);
    assert.equal(lockedOut('other@example.com').status, 429);
  });

  test('follows a policy change at once', () => {
    fail(5);
    policy = { ...policy, lockoutAfter: 10, slowdownAfter: 5 };
    assert.equal(throttle.check(EMAIL, IP), 1000);
  });

  test('survives a restart because counters live in the database', () => {
    fail(5);
    const again = createLoginThrottle(createLoginFailureRepository(db.db), clock, () => policy);
    assert.throws(() => again.check(EMAIL, IP), (err: unknown) => err instanceof AppError && err.status === 429);
  });

  test('prunes counters older than the lockout window', () => {
    fail(1, 'old@example.com', '203.0.113.1');
    clock.advance(16 * 60_000);
    fail(1);
    assert.equal(throttle.prune(), 2);
    assert.equal(db.sqlite.prepare('SELECT count(*) FROM login_failures').pluck().get(), 2);
  });
});
