import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { codeChallengeS256, createCodeVerifier, createState, hashState, newAuthorization } from '../../../../src/plugins/bqe/oauth/pkce.js';

test('makes verifiers of 43 to 128 unreserved characters, different every time', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const verifier = createCodeVerifier();
    assert.match(verifier, /^[A-Za-z0-9\-._~]{43,128}$/);
    seen.add(verifier);
  }
  assert.equal(seen.size, 50);
});

test('computes the S256 challenge of RFC 7636 appendix B', () => {
  assert.equal(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('makes unguessable states and stores only their SHA-256 in hex', () => {
  const a = createState();
  const b = createState();
  assert.notEqual(a, b);
  assert.ok(a.length >= 43);
  assert.equal(hashState(a), crypto.createHash('sha256').update(a).digest('hex'));
  assert.match(hashState(a), /^[0-9a-f]{64}$/);
  assert.ok(!hashState(a).includes(a));
});

test('a new authorization carries a state with its hash and a verifier with its challenge', () => {
  const auth = newAuthorization();
  assert.equal(auth.stateHash, hashState(auth.state));
  assert.equal(auth.challenge, codeChallengeS256(auth.verifier));
  assert.notEqual(auth.state, auth.verifier);
});
