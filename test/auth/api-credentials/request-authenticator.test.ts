import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createApiCredentialService, type ApiCredentialService } from '../../../src/auth/api-credentials/credential-service.js';
import { signRequest } from '../../../src/auth/api-credentials/hmac-signature.js';
import { createApiAuthenticator, type ApiAuthenticator, type ApiAuthRequest, type ApiAuthResult } from '../../../src/auth/api-credentials/request-authenticator.js';
import { createApiCredentialRepository } from '../../../src/db/repositories/api-credential-repository.js';
import { createApiNonceRepository } from '../../../src/db/repositories/api-nonce-repository.js';
import { createAuditRepository } from '../../../src/db/repositories/audit-repository.js';
import { transactionRunner } from '../../../src/db/transaction.js';
import type { Actor } from '../../../src/platform/actor.js';
import { createAuditService } from '../../../src/platform/audit.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { SecretBox } from '../../../src/platform/secrets.js';
import { migratedDb } from '../../helpers/db.js';

const HOUR = 3_600_000;
const admin: Actor = { userId: 1, email: 'admin@example.com', role: 'admin', ip: null, requestId: null };
const BODY = Buffer.from('{"enabled":true}');

describe('API request authenticator', () => {
  let db: ReturnType<typeof migratedDb>;
  let clock: ManualClock;
  let service: ApiCredentialService;
  let auth: ApiAuthenticator;

  const nonceCount = () => db.sqlite.prepare('SELECT count(*) FROM api_nonces').pluck().get() as number;
  const lastUsed = (clientId: string) => db.sqlite.prepare('SELECT last_used_at, last_used_ip FROM api_credentials WHERE client_id = ?').raw().get(clientId);

  const signed = (clientId: string, secret: string, overrides: Partial<{ nonce: string; timestamp: string; ip: string; body: Buffer; target: string }> = {}): ApiAuthRequest => {
    const timestamp = overrides.timestamp ?? String(Math.floor(clock.now() / 1000));
    const nonce = overrides.nonce ?? crypto.randomBytes(16).toString('hex');
    const body = overrides.body ?? BODY;
    const target = overrides.target ?? '/api/v1/settings/platform';
    return {
      headers: { clientId, timestamp, nonce, signature: signRequest(secret, 'PATCH', target, timestamp, nonce, body) },
      method: 'PATCH',
      target,
      body,
      ip: overrides.ip ?? '192.0.2.10',
    };
  };
  const bearer = (token: string, ip = '127.0.0.1'): ApiAuthRequest => ({ headers: { authorization: `Bearer ${token}` }, method: 'GET', target: '/api/v1/debug/whoami', body: Buffer.alloc(0), ip });
  const code = (result: ApiAuthResult): string => (result.ok ? 'ok' : `${result.status} ${result.code}`);

  beforeEach(() => {
    db = migratedDb();
    clock = new ManualClock();
    const box = new SecretBox(crypto.randomBytes(32));
    const repo = createApiCredentialRepository(db.db);
    const nonces = createApiNonceRepository(db.db);
    service = createApiCredentialService({ repo, nonces, box, audit: createAuditService(createAuditRepository(db.db), clock), tx: transactionRunner(db), clock });
    auth = createApiAuthenticator({ repo, nonces, box, clock });
  });
  afterEach(() => db.close());

  test('accepts a signed request, names the caller, stores the nonce and marks the credential used', () => {
    const { credential, secret } = service.create(admin, { name: 'HR script', type: 'hmac', scopes: ['settings:write', 'rules:read'] });
    const result = auth.authenticate(signed(credential.clientId, secret));
    assert.deepEqual(result, { ok: true, caller: { clientId: credential.clientId, name: 'HR script', type: 'hmac', scopes: ['rules:read', 'settings:write'], ip: '192.0.2.10' } });
    assert.equal(nonceCount(), 1);
    assert.deepEqual(lastUsed(credential.clientId), [clock.now(), '192.0.2.10']);
  });

  test('a timestamp exactly 60 seconds off is accepted, 61 is not', () => {
    const { credential, secret } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'] });
    const now = Math.floor(clock.now() / 1000);
    assert.equal(code(auth.authenticate(signed(credential.clientId, secret, { timestamp: String(now - 60) }))), 'ok');
    assert.equal(code(auth.authenticate(signed(credential.clientId, secret, { timestamp: String(now + 60) }))), 'ok');
    const behind = auth.authenticate(signed(credential.clientId, secret, { timestamp: String(now - 61) }));
    assert.equal(code(behind), '401 auth_timestamp_skew');
    assert.deepEqual(!behind.ok && behind.details, { serverTime: now, skewSeconds: -61 });
    assert.equal(code(auth.authenticate(signed(credential.clientId, secret, { timestamp: String(now + 61) }))), '401 auth_timestamp_skew');
  });

  test('the previous secret works during the overlap, then answers auth_secret_retired, then after pruning is just a wrong signature', () => {
    const { credential, secret: old } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'] });
    const { secret } = service.rotate(admin, credential.clientId);
    assert.equal(code(auth.authenticate(signed(credential.clientId, old))), 'ok');
    assert.equal(code(auth.authenticate(signed(credential.clientId, secret))), 'ok');
    clock.advance(24 * HOUR);
    const before = nonceCount();
    assert.equal(code(auth.authenticate(signed(credential.clientId, old))), '401 auth_secret_retired');
    assert.equal(nonceCount(), before, 'a refused request stores no nonce');
    assert.equal(code(auth.authenticate(signed(credential.clientId, secret))), 'ok');
    clock.advance(24 * HOUR + 1);
    service.prune();
    assert.equal(code(auth.authenticate(signed(credential.clientId, old))), '401 auth_bad_signature');
  });

  test('retiring the previous secret refuses it at once with auth_secret_retired', () => {
    const { credential, secret: old } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'] });
    service.rotate(admin, credential.clientId);
    service.retireSecondary(admin, credential.clientId);
    assert.equal(code(auth.authenticate(signed(credential.clientId, old))), '401 auth_secret_retired');
    assert.equal(code(auth.authenticate(signed(credential.clientId, 'sys_not-the-secret'))), '401 auth_bad_signature');
  });

  test('a Bearer token: current and previous accepted during the overlap, previous refused once retired', () => {
    const { credential, secret: old } = service.create(admin, { name: 'x', type: 'bearer', scopes: ['rules:read'], allowedIps: ['127.0.0.1'] });
    const { secret } = service.rotate(admin, credential.clientId);
    assert.equal(code(auth.authenticate(bearer(old))), 'ok');
    assert.equal(code(auth.authenticate(bearer(secret))), 'ok');
    service.retireSecondary(admin, credential.clientId);
    assert.equal(code(auth.authenticate(bearer(old))), '401 auth_secret_retired');
    assert.equal(code(auth.authenticate(bearer('syb_unknown'))), '401 auth_unknown_client');
    assert.equal(nonceCount(), 0, 'Bearer requests store no nonces');
  });

  test('a revoked credential is refused before its signature or address is looked at', () => {
    const hmac = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'] });
    const token = service.create(admin, { name: 'y', type: 'bearer', scopes: ['rules:read'], allowedIps: ['127.0.0.1'] });
    service.revoke(admin, hmac.credential.clientId);
    service.revoke(admin, token.credential.clientId);
    assert.equal(code(auth.authenticate(signed(hmac.credential.clientId, hmac.secret))), '401 auth_revoked');
    assert.equal(code(auth.authenticate(bearer(token.secret, '127.0.0.2'))), '401 auth_revoked');
    assert.deepEqual(lastUsed(hmac.credential.clientId), [null, null]);
  });

  test('an HMAC credential with allowed addresses refuses others with 403, but only once the signature is right', () => {
    const { credential, secret } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'], allowedIps: ['10.0.0.0/8'] });
    assert.equal(code(auth.authenticate(signed(credential.clientId, secret, { ip: '10.1.2.3' }))), 'ok');
    const refused = auth.authenticate(signed(credential.clientId, secret, { ip: '192.0.2.1' }));
    assert.equal(code(refused), '403 auth_ip_not_allowed');
    assert.deepEqual(!refused.ok && refused.details, { ip: '192.0.2.1' });
    assert.equal(code(auth.authenticate(signed(credential.clientId, 'sys_wrong', { ip: '192.0.2.1' }))), '401 auth_bad_signature');
  });

  test('a Bearer credential refuses addresses outside its list, IPv6 included', () => {
    const { secret } = service.create(admin, { name: 'x', type: 'bearer', scopes: ['rules:read'], allowedIps: ['127.0.0.1', '2001:db8::/32'] });
    assert.equal(code(auth.authenticate(bearer(secret, '::ffff:127.0.0.1'))), 'ok');
    assert.equal(code(auth.authenticate(bearer(secret, '2001:db8::5'))), 'ok');
    assert.equal(code(auth.authenticate(bearer(secret, '127.0.0.2'))), '403 auth_ip_not_allowed');
    assert.equal(code(auth.authenticate(bearer(secret, '2001:db9::5'))), '403 auth_ip_not_allowed');
    assert.equal(code(auth.authenticate(bearer(secret, 'local'))), '403 auth_ip_not_allowed');
  });

  test('a replayed nonce is refused, and the same nonce from another client is not a replay', () => {
    const a = service.create(admin, { name: 'a', type: 'hmac', scopes: ['rules:read'] });
    const b = service.create(admin, { name: 'b', type: 'hmac', scopes: ['rules:read'] });
    const request = signed(a.credential.clientId, a.secret, { nonce: 'same-nonce-0123456789' });
    assert.equal(code(auth.authenticate(request)), 'ok');
    assert.equal(code(auth.authenticate(request)), '401 auth_nonce_replayed');
    assert.equal(code(auth.authenticate(signed(b.credential.clientId, b.secret, { nonce: 'same-nonce-0123456789' }))), 'ok');
  });

  test('over the rate limit: 429 with the wait, no nonce stored, and admitted again once the bucket refills', () => {
    const { credential, secret } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'], rateLimitPerMinute: 2 });
    assert.equal(code(auth.authenticate(signed(credential.clientId, secret))), 'ok');
    assert.equal(code(auth.authenticate(signed(credential.clientId, secret))), 'ok');
    const refused = auth.authenticate(signed(credential.clientId, secret));
    assert.equal(code(refused), '429 rate_limited');
    assert.equal(!refused.ok && refused.retryAfterSeconds, 30);
    assert.equal(nonceCount(), 2);
    clock.advance(30_000);
    assert.equal(code(auth.authenticate(signed(credential.clientId, secret))), 'ok');
  });

  test('last use is written at most every few seconds from one address, and at once from a new one', () => {
    const { credential, secret } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'] });
    const first = clock.now();
    auth.authenticate(signed(credential.clientId, secret));
    clock.advance(1000);
    auth.authenticate(signed(credential.clientId, secret));
    assert.deepEqual(lastUsed(credential.clientId), [first, '192.0.2.10']);
    auth.authenticate(signed(credential.clientId, secret, { ip: '192.0.2.11' }));
    assert.deepEqual(lastUsed(credential.clientId), [clock.now(), '192.0.2.11']);
    clock.advance(5000);
    auth.authenticate(signed(credential.clientId, secret, { ip: '192.0.2.11' }));
    assert.deepEqual(lastUsed(credential.clientId), [clock.now(), '192.0.2.11']);
  });

  test('says which signed-request header is missing, and what is malformed', () => {
    const { credential, secret } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'] });
    const good = signed(credential.clientId, secret);
    const without = (key: keyof ApiAuthRequest['headers']): ApiAuthRequest => ({ ...good, headers: { ...good.headers, [key]: undefined } });
    const missing = auth.authenticate(without('nonce'));
    assert.equal(code(missing), '401 auth_missing');
    assert.deepEqual(!missing.ok && missing.details, { missing: ['X-Nonce'] });
    assert.match(!missing.ok ? missing.message : '', /^The X-Nonce header is missing/);
    const none = auth.authenticate({ ...good, headers: {} });
    assert.deepEqual(!none.ok && [none.code, none.details], ['auth_missing', { missing: ['X-Client-Id', 'X-Timestamp', 'X-Nonce', 'X-Signature'] }]);
    const malformed: [keyof ApiAuthRequest['headers'], string, string][] = [
      ['signature', good.headers.signature!.toUpperCase(), 'X-Signature'],
      ['signature', 'abc', 'X-Signature'],
      ['timestamp', '1767225600.5', 'X-Timestamp'],
      ['timestamp', '-5', 'X-Timestamp'],
      ['nonce', 'short', 'X-Nonce'],
      ['nonce', 'has spaces in the nonce', 'X-Nonce'],
      ['clientId', 'sy_<script>', 'X-Client-Id'],
    ];
    for (const [key, value, header] of malformed) {
      const result = auth.authenticate({ ...good, headers: { ...good.headers, [key]: value } });
      assert.deepEqual(!result.ok && [result.status, result.code, result.details], [401, 'auth_malformed', { header }], `${key}=${value}`);
    }
    assert.equal(nonceCount(), 0);
  });

  test('a Bearer header together with signing headers is malformed; a Bearer client id used for signing is unknown', () => {
    const token = service.create(admin, { name: 'y', type: 'bearer', scopes: ['rules:read'], allowedIps: ['127.0.0.1'] });
    const request = signed(token.credential.clientId, 'sys_whatever');
    assert.equal(code(auth.authenticate({ ...request, headers: { ...request.headers, authorization: `Bearer ${token.secret}` } })), '401 auth_malformed');
    const unknown = auth.authenticate(request);
    assert.equal(code(unknown), '401 auth_unknown_client');
    assert.match(!unknown.ok ? unknown.message : '', /is a Bearer credential/);
  });
});
