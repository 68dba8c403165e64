import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkConsent } from '../../../../src/plugins/bqe/connections/consent.js';
import { loadProvider } from '../../../../src/plugins/bqe/provider.js';

const meta = loadProvider();

describe('checkConsent', () => {
  test('needs nothing when the consented scopes are the ones asked for, in any order', () => {
    assert.deepEqual(checkConsent(meta, ['offline_access', 'read:core']), { needed: false, added: [], removed: [], reason: null });
  });

  test('needs nothing before a first consent', () => {
    assert.equal(checkConsent(meta, null).needed, false);
  });

  test('asks again when provider.json adds a scope, and says what it is for', () => {
    const check = checkConsent(meta, ['read:core']);
    assert.equal(check.needed, true);
    assert.deepEqual(check.added, ['offline_access']);
    assert.match(check.reason!, /Switchyard now needs “offline_access” \(Lets BQE issue a refresh token/);
    assert.match(check.reason!, /Reconnect OAuth/);
  });

  test('asks again when a scope is no longer needed, so the token stops carrying it', () => {
    const check = checkConsent(meta, ['offline_access', 'read:core', 'readwrite:core']);
    assert.deepEqual(check.removed, ['readwrite:core']);
    assert.match(check.reason!, /no longer needs “readwrite:core”/);
  });
});
