import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { canonicalString, generateHmacSecret, NONCE_PATTERN, signatureMatches, signRequest, verifyRequest } from '../../../src/auth/api-credentials/hmac-signature.js';

const SECRET = 'sys_7lq2cQ0i2Tn8r3VnX8m2Zb9yq4a1Kc6dPe5fGh0jLwU';
const BODY = Buffer.from('{"ids":[12]}\n', 'utf8');

describe('HMAC request signing', () => {
  test('the canonical string is method, path with query, timestamp and nonce, each ending in a line feed, then the raw body', () => {
    const bytes = canonicalString('POST', '/api/v1/jobs/retry?dry=1&x=%2F', '1767225600', 'n0nce-0123456789ab', BODY);
    assert.deepEqual(bytes, Buffer.concat([Buffer.from('POST\n/api/v1/jobs/retry?dry=1&x=%2F\n1767225600\nn0nce-0123456789ab\n'), BODY]));
  });

  test('a request without a body ends with the line feed after the nonce', () => {
    assert.equal(canonicalString('GET', '/api/v1/debug/whoami', 1767225600, 'abcdefghijklmnop', Buffer.alloc(0)).toString(), 'GET\n/api/v1/debug/whoami\n1767225600\nabcdefghijklmnop\n');
  });

  test('signs the same bytes openssl signs, keyed by the secret text', () => {
    const canonical = canonicalString('POST', '/api/v1/jobs/retry', '1767225600', 'abcdefghijklmnop', BODY);
    const openssl = execFileSync('openssl', ['dgst', '-sha256', '-hmac', SECRET], { input: canonical }).toString().replace(/^.*= */, '').trim();
    assert.equal(signRequest(SECRET, 'POST', '/api/v1/jobs/retry', '1767225600', 'abcdefghijklmnop', BODY), openssl);
    assert.match(openssl, /^[0-9a-f]{64}$/);
  });

  test('verifies a good signature and refuses any change to method, path, query, timestamp, nonce, body or key', () => {
    const signature = signRequest(SECRET, 'POST', '/api/v1/rules?x=1', '1767225600', 'abcdefghijklmnop', BODY);
    assert.equal(verifyRequest(SECRET, signature, 'POST', '/api/v1/rules?x=1', '1767225600', 'abcdefghijklmnop', BODY), true);
    assert.equal(verifyRequest(SECRET, signature, 'PUT', '/api/v1/rules?x=1', '1767225600', 'abcdefghijklmnop', BODY), false);
    assert.equal(verifyRequest(SECRET, signature, 'POST', '/api/v1/rules?x=2', '1767225600', 'abcdefghijklmnop', BODY), false);
    assert.equal(verifyRequest(SECRET, signature, 'POST', '/api/v1/rules', '1767225600', 'abcdefghijklmnop', BODY), false);
    assert.equal(verifyRequest(SECRET, signature, 'POST', '/api/v1/rules?x=1', '1767225601', 'abcdefghijklmnop', BODY), false);
    assert.equal(verifyRequest(SECRET, signature, 'POST', '/api/v1/rules?x=1', '1767225600', 'abcdefghijklmnoq', BODY), false);
    assert.equal(verifyRequest(SECRET, signature, 'POST', '/api/v1/rules?x=1', '1767225600', 'abcdefghijklmnop', Buffer.from('{"ids":[13]}\n')), false);
    assert.equal(verifyRequest(`${SECRET}x`, signature, 'POST', '/api/v1/rules?x=1', '1767225600', 'abcdefghijklmnop', BODY), false);
  });

  test('a signature that is not 64 lowercase hex characters never matches', () => {
    const canonical = canonicalString('GET', '/', '1', 'abcdefghijklmnop', Buffer.alloc(0));
    const good = signRequest(SECRET, 'GET', '/', '1', 'abcdefghijklmnop', Buffer.alloc(0));
    assert.equal(signatureMatches(SECRET, canonical, good), true);
    for (const bad of [good.toUpperCase(), good.slice(0, 63), `${good}0`, '', 'z'.repeat(64)]) assert.equal(signatureMatches(SECRET, canonical, bad), false, bad);
  });

  test('secrets are sys_ and 43 base64url characters, different every time', () => {
    const a = generateHmacSecret();
    assert.match(a, /^sys_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, generateHmacSecret());
  });

  test('nonces are 16 to 128 letters, digits, "-" or "_"', () => {
    for (const ok of ['a'.repeat(16), 'A-b_9'.repeat(25).slice(0, 128), crypto.randomUUID()]) assert.ok(NONCE_PATTERN.test(ok), ok);
    for (const bad of ['a'.repeat(15), 'a'.repeat(129), 'abcdefghijklmno p', 'abcdefghijklmnop=', 'abcdefghijklmnop\n']) assert.ok(!NONCE_PATTERN.test(bad), bad);
  });
});
