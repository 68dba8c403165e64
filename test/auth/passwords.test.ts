import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_SCRYPT, hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from '../../src/auth/passwords.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

describe('hashPassword and verifyPassword', () => {
  test('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct-horse-battery', CHEAP);
    assert.equal(await verifyPassword('correct-horse-battery', hash), true);
    assert.equal(await verifyPassword('correct-horse-batterY', hash), false);
    assert.equal(await verifyPassword('', hash), false);
  });

  test('writes the scheme and parameters into the hash, never the password', async () => {
    const hash = await hashPassword('correct-horse-battery', CHEAP);
    const parts = hash.split('$');
    assert.equal(parts.length, 6);
    assert.deepEqual(parts.slice(0, 4), ['scrypt', '1024', '8', '1']);
    assert.equal(Buffer.from(parts[4]!, 'base64').length, 16);
    assert.equal(Buffer.from(parts[5]!, 'base64').length, 32);
    assert.ok(!hash.includes('correct-horse'));
  });

  test('salts every hash, so the same password hashes differently', async () => {
    const [a, b] = await Promise.all([hashPassword('same-password-here', CHEAP), hashPassword('same-password-here', CHEAP)]);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('same-password-here', a), true);
    assert.equal(await verifyPassword('same-password-here', b), true);
  });

  test('uses the OWASP scrypt parameters by default', async () => {
    assert.deepEqual(DEFAULT_SCRYPT, { N: 131072, r: 8, p: 1 });
    const hash = await hashPassword('a-default-cost-password');
    assert.ok(hash.startsWith('scrypt$131072$8$1$'));
    assert.equal(await verifyPassword('a-default-cost-password', hash), true);
  });

  test('refuses stored values that are not scrypt hashes', async () => {
    for (const stored of ['', 'plain-text', 'bcrypt$10$8$1$c2FsdA==$a2V5', 'scrypt$1024$8$1$c2FsdA==', 'scrypt$$8$1$c2FsdA==$a2V5']) {
      assert.equal(await verifyPassword('anything-at-all', stored), false, stored);
    }
  });
});

describe('passwordProblem', () => {
  test('asks for at least 12 characters', () => {
    assert.equal(MIN_PASSWORD_LENGTH, 12);
    assert.equal(passwordProblem('x'.repeat(11)), 'Use at least 12 characters.');
    assert.equal(passwordProblem('x'.repeat(12)), undefined);
  });

  test('refuses more than 256 characters', () => {
    assert.equal(passwordProblem('x'.repeat(256)), undefined);
    assert.equal(passwordProblem('x'.repeat(257)), 'Use at most 256 characters.');
  });
});
