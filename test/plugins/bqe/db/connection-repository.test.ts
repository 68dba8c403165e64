import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { createConnectionRepository } from '../../../../src/plugins/bqe/db/connection-repository.js';
import { bqeDb } from '../../../../src/plugins/bqe/db/plugin-db.js';
import { SecretBox } from '../../../../src/platform/secrets.js';
import { migratedDb } from '../../../helpers/db.js';

const setup = () => {
  const handle = migratedDb();
  const repo = createConnectionRepository(bqeDb(handle), new SecretBox(crypto.randomBytes(32)));
  const connection = repo.create({ name: 'Main', environment: 'sandbox', identityUrl: 'https://idp.example/idp', clientId: 'cid', clientSecret: 'client-secret-value', utcOffsetMinutes: null }, 1000);
  return { handle, repo, connection };
};

const rawRow = (handle: ReturnType<typeof migratedDb>) => JSON.stringify(handle.sqlite.prepare('SELECT * FROM bqe_connections').all());

describe('connection repository', () => {
  test('creates a connection that cannot sync yet and keeps the client secret sealed', () => {
    const { handle, repo, connection } = setup();
    assert.equal(connection.status, 'not_connected');
    assert.equal(connection.hasTokens, false);
    assert.equal(connection.clientSync, 'all');
    assert.equal(repo.clientSecret(connection.id), 'client-secret-value');
    assert.ok(!rawRow(handle).includes('client-secret-value'));
  });

  test('stores tokens sealed and reads them back with the tenant endpoint and scopes', () => {
    const { handle, repo, connection } = setup();
    repo.saveTokens(connection.id, { accessToken: 'access-abc', refreshToken: 'refresh-def', expiresAt: 5000, apiBaseUrl: 'https://api.example/api', scopes: ['read:core', 'offline_access'] }, 2000, { connected: true });
    assert.deepEqual(repo.tokens(connection.id), { accessToken: 'access-abc', refreshToken: 'refresh-def', expiresAt: 5000, apiBaseUrl: 'https://api.example/api', scopes: ['read:core', 'offline_access'] });
    const stored = repo.get(connection.id)!;
    assert.equal(stored.status, 'connected');
    assert.equal(stored.connectedAt, 2000);
    assert.ok(!rawRow(handle).includes('access-abc') && !rawRow(handle).includes('refresh-def'));
  });

  test('a refresh keeps the time of the consent', () => {
    const { repo, connection } = setup();
    const tokens = { accessToken: 'a', refreshToken: 'r', expiresAt: 5000, apiBaseUrl: 'https://api.example/api', scopes: ['read:core'] };
    repo.saveTokens(connection.id, tokens, 2000, { connected: true });
    repo.saveTokens(connection.id, tokens, 3000, { connected: false });
    assert.equal(repo.get(connection.id)!.connectedAt, 2000);
  });

  test('clearing tokens leaves the connection needing a new sign-in, with the reason', () => {
    const { repo, connection } = setup();
    repo.saveTokens(connection.id, { accessToken: 'a', refreshToken: null, expiresAt: 5000, apiBaseUrl: 'https://api.example/api', scopes: [] }, 2000, { connected: true });
    repo.clearTokens(connection.id, 'needs_reauth', 'revoked', 3000);
    assert.equal(repo.tokens(connection.id), undefined);
    assert.equal(repo.get(connection.id)!.statusReason, 'revoked');
  });

  test('a pending authorization is taken once, with its verifier unsealed', () => {
    const { handle, repo, connection } = setup();
    repo.savePendingAuthorization('hash-1', { connectionId: connection.id, codeVerifier: 'verifier-xyz', redirectUri: 'http://hub/cb', scopes: ['read:core'], createdBy: 'a@b.co', expiresAt: 9000 }, 1000);
    assert.ok(!JSON.stringify(handle.sqlite.prepare('SELECT * FROM bqe_oauth_states').all()).includes('verifier-xyz'));
    assert.equal(repo.takePendingAuthorization('hash-1')?.codeVerifier, 'verifier-xyz');
    assert.equal(repo.takePendingAuthorization('hash-1'), undefined);
  });

  test('expired pending authorizations are cleared when a new one is saved', () => {
    const { handle, repo, connection } = setup();
    const pending = { connectionId: connection.id, codeVerifier: 'v', redirectUri: 'http://hub/cb', scopes: ['read:core'], createdBy: 'a@b.co' };
    repo.savePendingAuthorization('old', { ...pending, expiresAt: 1500 }, 1000);
    repo.savePendingAuthorization('new', { ...pending, expiresAt: 9000 }, 2000);
    assert.equal(handle.sqlite.prepare('SELECT count(*) FROM bqe_oauth_states').pluck().get(), 1);
  });

  test('deleting a connection removes it', () => {
    const { repo, connection } = setup();
    assert.equal(repo.remove(connection.id), true);
    assert.equal(repo.get(connection.id), undefined);
    assert.equal(repo.remove(connection.id), false);
  });
});
