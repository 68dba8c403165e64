import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createApiCredentialService, type ApiCredentialService } from '../../../src/auth/api-credentials/credential-service.js';
import { createApiCredentialRepository } from '../../../src/db/repositories/api-credential-repository.js';
import { createApiNonceRepository } from '../../../src/db/repositories/api-nonce-repository.js';
import { createAuditRepository } from '../../../src/db/repositories/audit-repository.js';
import { transactionRunner } from '../../../src/db/transaction.js';
import { isAppError } from '../../../src/errors.js';
import type { Actor } from '../../../src/platform/actor.js';
import { createAuditService } from '../../../src/platform/audit.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { SecretBox } from '../../../src/platform/secrets.js';
import { migratedDb } from '../../helpers/db.js';

const HOUR = 3_600_000;
const admin: Actor = { userId: 1, email: 'admin@example.com', role: 'admin', ip: '192.0.2.1', requestId: 'req-1' };
const operator: Actor = { ...admin, userId: 2, email: 'op@example.com', role: 'operator' };

const rejects = (fn: () => unknown, status: number, code: string, message?: RegExp): void => {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isAppError(err), String(err));
    assert.equal(err.status, status);
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return true;
  });
};

describe('API credential service', () => {
  let db: ReturnType<typeof migratedDb>;
  let clock: ManualClock;
  let box: SecretBox;
  let service: ApiCredentialService;

  const row = (clientId: string) => db.sqlite.prepare('SELECT * FROM api_credentials WHERE client_id = ?').get(clientId) as Record<string, string | number | null>;
  const auditRows = () => db.sqlite.prepare('SELECT actor_email, action, target_type, target_id, before, after, ip, request_id FROM audit_log ORDER BY id').all() as Record<string, string | null>[];
  const everything = () => JSON.stringify({ credentials: db.sqlite.prepare('SELECT * FROM api_credentials').all(), audit: db.sqlite.prepare('SELECT * FROM audit_log').all() });

  beforeEach(() => {
    db = migratedDb();
    clock = new ManualClock();
    box = new SecretBox(crypto.randomBytes(32));
    service = createApiCredentialService({
      repo: createApiCredentialRepository(db.db),
      nonces: createApiNonceRepository(db.db),
      box,
      audit: createAuditService(createAuditRepository(db.db), clock),
      tx: transactionRunner(db),
      clock,
    });
  });
  afterEach(() => db.close());

  test('creates an HMAC credential, returns its secret once and stores it only sealed', () => {
    const { credential, secret } = service.create(admin, { name: 'HR script', type: 'hmac', scopes: ['rules:read', 'jobs:read'], allowedIps: [] });
    assert.match(credential.clientId, /^sy_[0-9a-f]{20}$/);
    assert.match(secret, /^sys_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(
      { ...credential, id: 0 },
      {
        id: 0,
        clientId: credential.clientId,
        name: 'HR script',
        type: 'hmac',
        scopes: ['rules:read', 'jobs:read'],
        allowedIps: [],
        status: 'active',
        rateLimitPerMinute: 120,
        createdBy: 'admin@example.com',
        createdAt: clock.now(),
        updatedAt: clock.now(),
        rotatedAt: null,
        lastUsedAt: null,
        lastUsedIp: null,
        hasSecondary: false,
        secondaryExpiresAt: null,
        revokedAt: null,
        revokedBy: null,
      },
    );
    const stored = row(credential.clientId);
    assert.equal(stored.secret_hash, null);
    assert.equal(box.decrypt(stored.secret_sealed as string), secret);
    assert.ok(!everything().includes(secret), 'the secret is nowhere in plain text');
  });

  test('creates a Bearer credential and keeps only the SHA-256 of its token', () => {
    const { credential, secret } = service.create(admin, { name: 'CI', type: 'bearer', scopes: ['jobs:write'], allowedIps: ['127.0.0.1'], rateLimitPerMinute: 30 });
    assert.match(secret, /^syb_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual([credential.type, credential.allowedIps, credential.rateLimitPerMinute], ['bearer', ['127.0.0.1'], 30]);
    const stored = row(credential.clientId);
    assert.equal(stored.secret_sealed, null);
    assert.equal(stored.secret_hash, crypto.createHash('sha256').update(secret).digest('hex'));
    assert.ok(!everything().includes(secret));
  });

  test('audits each change with who, what and from where, and never a secret', () => {
    const { credential, secret } = service.create(admin, { name: 'HR script', type: 'hmac', scopes: ['rules:read'], allowedIps: ['10.0.0.0/8'] });
    const rotated = service.rotate(admin, credential.clientId);
    service.retireSecondary(admin, credential.clientId);
    service.revoke(admin, credential.clientId);
    const rows = auditRows();
    assert.deepEqual(
      rows.map((r) => [r.actor_email, r.action, r.target_type, r.target_id, r.ip, r.request_id]),
      ['api.credential.create', 'api.credential.rotate', 'api.credential.retire', 'api.credential.revoke'].map((action) => ['admin@example.com', action, 'api_credential', credential.clientId, '192.0.2.1', 'req-1']),
    );
    assert.deepEqual(JSON.parse(rows[0]!.after!), { name: 'HR script', type: 'hmac', scopes: ['rules:read'], allowedIps: ['10.0.0.0/8'], rateLimitPerMinute: 120 });
    const text = JSON.stringify(rows);
    assert.ok(!text.includes(secret) && !text.includes(rotated.secret));
    assert.ok(!text.includes('sealed') && !text.includes('v1:'), 'no sealed value either');
  });

  test('only an admin may create, rotate, retire or revoke', () => {
    const { credential } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'] });
    rejects(() => service.create(operator, { name: 'y', type: 'hmac', scopes: ['rules:read'] }), 403, 'forbidden', /cannot create API credentials/);
    rejects(() => service.rotate(operator, credential.clientId), 403, 'forbidden');
    rejects(() => service.retireSecondary(operator, credential.clientId), 403, 'forbidden');
    rejects(() => service.revoke(operator, credential.clientId), 403, 'forbidden');
    assert.equal(auditRows().length, 1);
  });

  test('refuses bad input with field errors and stores nothing', () => {
    assert.throws(
      () => service.create(admin, { name: '', type: 'bearer', scopes: ['nope'], allowedIps: [] }),
      (err: unknown) => isAppError(err) && err.status === 422 && Object.keys(err.fieldErrors ?? {}).sort().join() === 'allowedIps,name,scopes',
    );
    assert.equal(service.list().length, 0);
    assert.equal(auditRows().length, 0);
  });

  test('lists newest first and gets one by client id, never with a secret', () => {
    const first = service.create(admin, { name: 'first', type: 'hmac', scopes: ['rules:read'] });
    clock.advance(1000);
    const second = service.create(admin, { name: 'second', type: 'bearer', scopes: ['rules:read'], allowedIps: ['::1'] });
    assert.deepEqual(service.list().map((c) => c.name), ['second', 'first']);
    assert.equal(service.get(first.credential.clientId)?.name, 'first');
    assert.equal(service.get('sy_00000000000000000000'), undefined);
    const listed = JSON.stringify(service.list());
    for (const secret of [first.secret, second.secret]) assert.ok(!listed.includes(secret));
    assert.ok(!/sealed|hash/i.test(listed));
  });

  test('rotation issues a new secret and keeps the previous one for 24 hours', () => {
    const { credential, secret: old } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'] });
    clock.advance(HOUR);
    const { credential: rotated, secret } = service.rotate(admin, credential.clientId);
    assert.notEqual(secret, old);
    assert.equal(rotated.rotatedAt, clock.now());
    assert.equal(rotated.hasSecondary, true);
    assert.equal(rotated.secondaryExpiresAt, clock.now() + 24 * HOUR);
    const stored = row(credential.clientId);
    assert.equal(box.decrypt(stored.secret_sealed as string), secret);
    assert.equal(box.decrypt(stored.secondary_secret_sealed as string), old);
    clock.advance(24 * HOUR);
    assert.equal(service.get(credential.clientId)?.hasSecondary, false, 'the previous secret expired');
    assert.equal(service.get(credential.clientId)?.secondaryExpiresAt, null);
  });

  test('rotating a Bearer credential moves the old hash to the secondary slot', () => {
    const { credential, secret: old } = service.create(admin, { name: 'x', type: 'bearer', scopes: ['rules:read'], allowedIps: ['127.0.0.1'] });
    const { secret } = service.rotate(admin, credential.clientId);
    const stored = row(credential.clientId);
    assert.equal(stored.secret_hash, crypto.createHash('sha256').update(secret).digest('hex'));
    assert.equal(stored.secondary_secret_hash, crypto.createHash('sha256').update(old).digest('hex'));
  });

  test('retiring ends the previous secret at once, and refuses when there is none', () => {
    const { credential } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'] });
    rejects(() => service.retireSecondary(admin, credential.clientId), 409, 'conflict', /no previous secret in use/);
    service.rotate(admin, credential.clientId);
    const retired = service.retireSecondary(admin, credential.clientId);
    assert.equal(retired.hasSecondary, false);
    assert.equal(row(credential.clientId).secondary_expires_at, clock.now());
    rejects(() => service.retireSecondary(admin, credential.clientId), 409, 'conflict');
  });

  test('revoking marks who and when, wipes HMAC secrets and refuses later changes', () => {
    const { credential } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'] });
    service.rotate(admin, credential.clientId);
    clock.advance(5000);
    const revoked = service.revoke(admin, credential.clientId);
    assert.deepEqual([revoked.status, revoked.revokedAt, revoked.revokedBy, revoked.hasSecondary], ['revoked', clock.now(), 'admin@example.com', false]);
    const stored = row(credential.clientId);
    assert.equal(stored.secret_sealed, null);
    assert.equal(stored.secondary_secret_sealed, null);
    rejects(() => service.rotate(admin, credential.clientId), 409, 'conflict', /is revoked/);
    rejects(() => service.revoke(admin, credential.clientId), 409, 'conflict');
    rejects(() => service.retireSecondary(admin, credential.clientId), 409, 'conflict');
  });

  test('an unknown client id is a 404 naming it', () => {
    rejects(() => service.rotate(admin, 'sy_nothere'), 404, 'not_found', /sy_nothere/);
    rejects(() => service.revoke(admin, 'sy_nothere'), 404, 'not_found');
  });

  test('prune removes expired nonces and previous secrets kept a day past their end', () => {
    const { credential } = service.create(admin, { name: 'x', type: 'hmac', scopes: ['rules:read'] });
    service.rotate(admin, credential.clientId);
    const now = clock.now();
    const nonces = createApiNonceRepository(db.db);
    nonces.remember(credential.clientId, 'expired-nonce-000001', now - 1, now);
    nonces.remember(credential.clientId, 'live-nonce-0000000001', now + 60_000, now);
    assert.deepEqual(service.prune(), { nonces: 1, retiredSecrets: 0 });
    clock.advance(48 * HOUR - 1);
    assert.deepEqual(service.prune(), { nonces: 1, retiredSecrets: 0 }, 'the previous secret expired a day ago: still kept to explain a refusal');
    clock.advance(2);
    assert.deepEqual(service.prune(), { nonces: 0, retiredSecrets: 1 });
    assert.equal(row(credential.clientId).secondary_secret_sealed, null);
  });
});
