import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAuditRepository } from '../../src/db/repositories/audit-repository.js';
import type { Actor } from '../../src/platform/actor.js';
import { createAuditService, redactForAudit, type AuditService } from '../../src/platform/audit.js';
import { ManualClock } from '../../src/platform/clock.js';
import { migratedDb } from '../helpers/db.js';

const admin: Actor = { userId: 1, email: 'admin@example.com', role: 'admin', ip: '10.0.0.1', requestId: 'req-1' };
const operator: Actor = { userId: 2, email: 'ops@example.com', role: 'operator', ip: null, requestId: null };

describe('redactForAudit', () => {
  test('replaces password, secret, token, API key and hash values', () => {
    assert.deepEqual(
      redactForAudit({ password: 'p', newPassword: 'p2', pass: 'p3', clientSecret: 's', apiToken: 't', api_key: 'k', apiKey: 'k2', passwordHash: 'h', name: 'Ann' }),
      { password: '[redacted]', newPassword: '[redacted]', pass: '[redacted]', clientSecret: '[redacted]', apiToken: '[redacted]', api_key: '[redacted]', apiKey: '[redacted]', passwordHash: '[redacted]', name: 'Ann' },
    );
  });

  test('redacts inside nested objects and arrays', () => {
    assert.deepEqual(redactForAudit({ settings: { token: 'abc', url: 'https://x' }, list: [{ secret: 'x', id: 1 }] }), {
      settings: { token: '[redacted]', url: 'https://x' },
      list: [{ secret: '[redacted]', id: 1 }],
    });
  });

  test('keeps empty secret values so "not set" stays visible', () => {
    assert.deepEqual(redactForAudit({ password: '', token: null, secret: undefined }), { password: '', token: null, secret: undefined });
  });

  test('keeps the "[changed]" marker that says a secret was replaced', () => {
    assert.deepEqual(redactForAudit({ password: '[changed]', apiToken: '[changed]' }), { password: '[changed]', apiToken: '[changed]' });
  });

  test('passes plain values through', () => {
    assert.equal(redactForAudit('text'), 'text');
    assert.equal(redactForAudit(7), 7);
    assert.equal(redactForAudit(null), null);
    assert.deepEqual(redactForAudit(['a', 1]), ['a', 1]);
  });
});

describe('audit service', () => {
  let db: ReturnType<typeof migratedDb>;
  let audit: AuditService;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const t0 = clock.now();

  before(() => {
    db = migratedDb();
    audit = createAuditService(createAuditRepository(db.db), clock);
    audit.record(admin, { action: 'user.create', targetType: 'user', targetId: 5, after: { email: 'new@example.com', password: 'hunter2-hunter2' } });
    clock.advance(60_000);
    audit.record(operator, { action: 'settings.update', targetType: 'domain', targetId: 'platform', before: { instanceName: 'Old 100%' }, after: { instanceName: 'New_name', apiToken: 'tok-123' } });
    clock.advance(60_000);
    audit.record(admin, { action: 'user.deactivate', targetType: 'user', targetId: null });
  });
  after(() => db.close());

  test('records who did what, when, from where, with secrets redacted', () => {
    const row = db.sqlite.prepare("SELECT * FROM audit_log WHERE action = 'user.create'").get() as Record<string, unknown>;
    assert.equal(row.at, t0);
    assert.equal(row.actor_id, 1);
    assert.equal(row.actor_email, 'admin@example.com');
    assert.equal(row.target_type, 'user');
    assert.equal(row.target_id, '5');
    assert.equal(row.before, null);
    assert.deepEqual(JSON.parse(row.after as string), { email: 'new@example.com', password: '[redacted]' });
    assert.equal(row.ip, '10.0.0.1');
    assert.equal(row.request_id, 'req-1');
    const all = JSON.stringify(db.sqlite.prepare('SELECT * FROM audit_log').all());
    assert.ok(!all.includes('hunter2') && !all.includes('tok-123'), 'no secret value reaches the table');
  });

  test('stores a missing target id as null', () => {
    const row = db.sqlite.prepare("SELECT target_id FROM audit_log WHERE action = 'user.deactivate'").get() as { target_id: string | null };
    assert.equal(row.target_id, null);
  });

  test('lists newest first with the total and the distinct actions', () => {
    const page = audit.search({ limit: 10, offset: 0 });
    assert.equal(page.total, 3);
    assert.deepEqual(page.rows.map((r) => r.action), ['user.deactivate', 'settings.update', 'user.create']);
    assert.deepEqual(page.actions, ['settings.update', 'user.create', 'user.deactivate']);
  });

  test('pages with limit and offset while the total counts every match', () => {
    const page = audit.search({ limit: 1, offset: 1 });
    assert.equal(page.total, 3);
    assert.deepEqual(page.rows.map((r) => r.action), ['settings.update']);
  });

  test('filters by part of the actor email', () => {
    const page = audit.search({ actor: 'ops@', limit: 10, offset: 0 });
    assert.deepEqual(page.rows.map((r) => r.actorEmail), ['ops@example.com']);
  });

  test('filters by exact action', () => {
    assert.equal(audit.search({ action: 'user.create', limit: 10, offset: 0 }).total, 1);
    assert.equal(audit.search({ action: 'user', limit: 10, offset: 0 }).total, 0);
  });

  test('filters by a time range, from inclusive and to exclusive', () => {
    assert.deepEqual(audit.search({ from: t0 + 60_000, limit: 10, offset: 0 }).rows.map((r) => r.action), ['user.deactivate', 'settings.update']);
    assert.deepEqual(audit.search({ to: t0 + 60_000, limit: 10, offset: 0 }).rows.map((r) => r.action), ['user.create']);
    assert.equal(audit.search({ from: t0 + 60_000, to: t0 + 120_000, limit: 10, offset: 0 }).total, 1);
  });

  test('searches text in the target id and the before and after snapshots', () => {
    assert.deepEqual(audit.search({ text: 'platform', limit: 10, offset: 0 }).rows.map((r) => r.action), ['settings.update']);
    assert.deepEqual(audit.search({ text: 'new@example', limit: 10, offset: 0 }).rows.map((r) => r.action), ['user.create']);
    assert.deepEqual(audit.search({ text: 'Old', limit: 10, offset: 0 }).rows.map((r) => r.action), ['settings.update']);
  });

  test('treats % and _ in a search as plain characters', () => {
    assert.equal(audit.search({ text: '100%', limit: 10, offset: 0 }).total, 1);
    assert.equal(audit.search({ text: '%', limit: 10, offset: 0 }).total, 1);
    assert.equal(audit.search({ text: 'New_', limit: 10, offset: 0 }).total, 1);
    assert.equal(audit.search({ text: '_', limit: 10, offset: 0 }).total, 1);
    assert.equal(audit.search({ actor: '%', limit: 10, offset: 0 }).total, 0);
  });

  test('combines filters', () => {
    assert.equal(audit.search({ actor: 'admin', action: 'user.create', text: '5', limit: 10, offset: 0 }).total, 1);
    assert.equal(audit.search({ actor: 'ops', action: 'user.create', limit: 10, offset: 0 }).total, 0);
  });

  test('prunes entries older than a cutoff', () => {
    const local = migratedDb();
    try {
      const service = createAuditService(createAuditRepository(local.db), clock);
      service.record(admin, { action: 'a', targetType: 't' });
      clock.advance(1000);
      service.record(admin, { action: 'b', targetType: 't' });
      assert.equal(service.pruneOlderThan(clock.now()), 1);
      assert.deepEqual(service.search({ limit: 10, offset: 0 }).rows.map((r) => r.action), ['b']);
    } finally {
      local.close();
    }
  });
});
