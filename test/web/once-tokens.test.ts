import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/platform/clock.js';
import { OnceTokens } from '../../src/web/once-tokens.js';

const HOUR = 3_600_000;

test('a token is accepted the first time it comes back and refused every time after', () => {
  const tokens = new OnceTokens(new ManualClock(), HOUR, 100);
  const token = tokens.issue();
  assert.match(token, /^[A-Za-z0-9_-]{22}$/);
  assert.notEqual(tokens.issue(), token, 'every form gets its own');
  assert.equal(tokens.claim(token), true);
  assert.equal(tokens.claim(token), false);
  assert.equal(tokens.claim(token), false);
});

test('a missing or malformed token is refused', () => {
  const tokens = new OnceTokens(new ManualClock(), HOUR, 100);
  for (const bad of ['', 'short', 'x'.repeat(23), 'a/b+c=d'.padEnd(22, 'a'), `${'a'.repeat(21)}\n`]) assert.equal(tokens.claim(bad), false, JSON.stringify(bad));
});

test('a used token is remembered for the time given, then forgotten', () => {
  const clock = new ManualClock();
  const tokens = new OnceTokens(clock, HOUR, 100);
  const token = tokens.issue();
  tokens.claim(token);
  clock.advance(HOUR - 1);
  assert.equal(tokens.claim(token), false);
  clock.advance(1);
  assert.equal(tokens.claim(token), true, 'expired, so it is taken as new');
});

test('past the most it remembers, the oldest used tokens are forgotten first', () => {
  const tokens = new OnceTokens(new ManualClock(), HOUR, 3);
  const used = Array.from({ length: 4 }, () => tokens.issue());
  for (const token of used) assert.equal(tokens.claim(token), true);
  assert.equal(tokens.claim(used[3]!), false, 'the newest is still remembered');
  assert.equal(tokens.claim(used[0]!), true, 'the oldest was dropped to stay within 3');
});
