import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createApiNonceRepository, type ApiNonceRepository } from '../../../src/db/repositories/api-nonce-repository.js';
import { migratedDb } from '../../helpers/db.js';

describe('API nonce repository', () => {
  let db: ReturnType<typeof migratedDb>;
  let nonces: ApiNonceRepository;
  const rows = () => db.sqlite.prepare('SELECT client_id, nonce, expires_at FROM api_nonces ORDER BY client_id, nonce').raw().all();

  beforeEach(() => {
    db = migratedDb();
    nonces = createApiNonceRepository(db.db);
  });
  afterEach(() => db.close());

  test('remembers a nonce once per client and refuses it while it lives', () => {
    assert.equal(nonces.remember('sy_a', 'nonce-1', 2000, 1000), true);
    assert.equal(nonces.remember('sy_a', 'nonce-1', 2500, 1500), false);
    assert.equal(nonces.remember('sy_a', 'nonce-1', 3000, 2000), false, 'still live at its expiry');
    assert.equal(nonces.remember('sy_b', 'nonce-1', 2000, 1000), true, 'another client may use the same nonce');
    assert.deepEqual(rows(), [
      ['sy_a', 'nonce-1', 2000],
      ['sy_b', 'nonce-1', 2000],
    ]);
  });

  test('an expired row that was not pruned yet is taken over', () => {
    nonces.remember('sy_a', 'nonce-1', 2000, 1000);
    assert.equal(nonces.remember('sy_a', 'nonce-1', 9000, 2001), true);
    assert.deepEqual(rows(), [['sy_a', 'nonce-1', 9000]]);
  });

  test('deletes expired nonces only', () => {
    nonces.remember('sy_a', 'old', 1000, 0);
    nonces.remember('sy_a', 'new', 5000, 0);
    assert.equal(nonces.deleteExpired(3000), 1);
    assert.deepEqual(rows(), [['sy_a', 'new', 5000]]);
  });
});
