import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createApiCredentialRepository, type ApiCredentialRepository, type NewApiCredentialRow } from '../../../src/db/repositories/api-credential-repository.js';
import { migratedDb } from '../../helpers/db.js';

const base = (clientId: string, extra: Partial<NewApiCredentialRow> = {}): NewApiCredentialRow => ({
  clientId,
  name: clientId,
  type: 'bearer',
  scopes: '["rules:read"]',
  allowedIps: '["127.0.0.1"]',
  status: 'active',
  rateLimitPerMinute: 120,
  createdBy: 'admin@example.com',
  createdAt: 1000,
  updatedAt: 1000,
  ...extra,
});

describe('API credential repository', () => {
  let db: ReturnType<typeof migratedDb>;
  let repo: ApiCredentialRepository;

  beforeEach(() => {
    db = migratedDb();
    repo = createApiCredentialRepository(db.db);
  });
  afterEach(() => db.close());

  test('inserts and finds by client id; client ids are unique', () => {
    const row = repo.insert(base('sy_a', { secretHash: 'h1' }));
    assert.equal(repo.findByClientId('sy_a')?.id, row.id);
    assert.equal(repo.findByClientId('sy_b'), undefined);
    assert.throws(() => repo.insert(base('sy_a')), /UNIQUE/);
  });

  test('finds a Bearer credential by its current or previous token hash, never an HMAC one', () => {
    const bearer = repo.insert(base('sy_a', { secretHash: 'current', secondarySecretHash: 'previous' }));
    repo.insert(base('sy_h', { type: 'hmac', secretHash: 'hmac-hash' }));
    assert.equal(repo.findByTokenHash('current')?.id, bearer.id);
    assert.equal(repo.findByTokenHash('previous')?.id, bearer.id);
    assert.equal(repo.findByTokenHash('hmac-hash'), undefined);
    assert.equal(repo.findByTokenHash('other'), undefined);
  });

  test('lists newest first', () => {
    repo.insert(base('sy_old', { createdAt: 1 }));
    repo.insert(base('sy_new', { createdAt: 2 }));
    assert.deepEqual(repo.list().map((r) => r.clientId), ['sy_new', 'sy_old']);
  });

  test('touch sets only when and from where it was last used', () => {
    const row = repo.insert(base('sy_a'));
    repo.touch(row.id, 5000, '192.0.2.1');
    const after = repo.findByClientId('sy_a')!;
    assert.deepEqual([after.lastUsedAt, after.lastUsedIp, after.updatedAt], [5000, '192.0.2.1', 1000]);
  });

  test('clears previous secrets that ended before the cutoff and leaves the rest', () => {
    repo.insert(base('sy_gone', { secondarySecretHash: 'x', secondarySecretSealed: 'v1:x', secondaryExpiresAt: 100 }));
    repo.insert(base('sy_kept', { secondarySecretHash: 'y', secondaryExpiresAt: 300 }));
    repo.insert(base('sy_none'));
    assert.equal(repo.clearSecondariesExpiredBefore(200), 1);
    const gone = repo.findByClientId('sy_gone')!;
    assert.deepEqual([gone.secondarySecretHash, gone.secondarySecretSealed, gone.secondaryExpiresAt], [null, null, null]);
    assert.equal(repo.findByClientId('sy_kept')!.secondarySecretHash, 'y');
  });
});
