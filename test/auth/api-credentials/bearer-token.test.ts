import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { generateBearerToken, hashBearerToken, parseAuthorization } from '../../../src/auth/api-credentials/bearer-token.js';

describe('Bearer tokens', () => {
  test('tokens are syb_ and 43 base64url characters, different every time', () => {
    const token = generateBearerToken();
    assert.match(token, /^syb_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(token, generateBearerToken());
  });

  test('only the SHA-256 of a token is kept', () => {
    const token = generateBearerToken();
    assert.equal(hashBearerToken(token), crypto.createHash('sha256').update(token).digest('hex'));
  });

  test('reads "Bearer <token>" with the scheme in any case', () => {
    assert.deepEqual(parseAuthorization('Bearer syb_abc'), { kind: 'bearer', token: 'syb_abc' });
    assert.deepEqual(parseAuthorization('bearer  syb_abc '), { kind: 'bearer', token: 'syb_abc' });
  });

  test('calls any other scheme or shape malformed', () => {
    for (const header of ['', 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Token syb_abc', 'Bearer syb_a"b', `Bearer ${'a'.repeat(513)}`]) {
      assert.equal(parseAuthorization(header).kind, 'malformed', header);
    }
  });
});
