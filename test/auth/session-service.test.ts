import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createSessionService, type SessionService } from '../../src/auth/session-service.js';
import { createSessionRepository } from '../../src/db/repositories/session-repository.js';
import { createUserRepository } from '../../src/db/repositories/user-repository.js';
import { ManualClock } from '../../src/platform/clock.js';
import { migratedDb } from '../helpers/db.js';

const HOUR = 3_600_000;

describe('session service', () => {
  let db: ReturnType<typeof migratedDb>;
  let clock: ManualClock;
  let lifetime: number;
  let sessions: SessionService;
  let userId: number;

  const row = (id: string) =>
    db.sqlite.prepare('SELECT * FROM sessions WHERE id_hash = ?').get(crypto.createHash('sha256').update(id).digest('hex')) as
      | { user_id: number; expires_at: number; last_seen_at: number; ip: string | null; user_agent: string | null; csrf_token: string }
      | undefined;
  const count = () => db.sqlite.prepare('SELECT count(*) FROM sessions').pluck().get() as number;

  beforeEach(() => {
    db = migratedDb();
    clock = new ManualClock();
    lifetime = 12 * HOUR;
    sessions = createSessionService(createSessionRepository(db.db), clock, () => lifetime);
    userId = createUserRepository(db.db).insert({ email: 'ann@example.com', name: 'Ann', role: 'operator', passwordHash: 'x', createdAt: 0, updatedAt: 0 }).id;
  });
  afterEach(() => db.close());

  test('starts a session that resolves to its user and CSRF token', () => {
    const started = sessions.start(userId, { ip: '192.0.2.1', userAgent: 'Firefox' });
    assert.equal(started.expiresAt, clock.now() + 12 * HOUR);
    assert.match(started.id, /^[A-Za-z0-9_-]{43}$/);
    const active = sessions.resolve(started.id);
    assert.ok(active && active !== 'expired');
    assert.equal(active.user.id, userId);
    assert.equal(active.user.email, 'ann@example.com');
    assert.equal(active.csrfToken, started.csrfToken);
    assert.equal(active.expiresAt, started.expiresAt);
    assert.equal('passwordHash' in active.user, false);
  });

  test('stores only a hash of the id, with the address and a shortened user agent', () => {
    const started = sessions.start(userId, { ip: '192.0.2.1', userAgent: 'x'.repeat(500) });
    const stored = row(started.id);
    assert.ok(stored);
    assert.equal(stored.ip, '192.0.2.1');
    assert.equal(stored.user_agent?.length, 300);
    const everything = JSON.stringify(db.sqlite.prepare('SELECT * FROM sessions').all());
    assert.ok(!everything.includes(started.id));
  });

  test('gives each session a different id and CSRF token', () => {
    const a = sessions.start(userId, { ip: null, userAgent: null });
    const b = sessions.start(userId, { ip: null, userAgent: null });
    assert.notEqual(a.id, b.id);
    assert.notEqual(a.csrfToken, b.csrfToken);
    assert.equal(row(a.id)?.user_agent, null);
  });

  test('resolves an unknown id to undefined', () => {
    assert.equal(sessions.resolve('no-such-session'), undefined);
  });

  test('reports an expired session as expired and deletes it', () => {
    const started = sessions.start(userId, { ip: null, userAgent: null });
    clock.advance(12 * HOUR);
    assert.equal(sessions.resolve(started.id), 'expired');
    assert.equal(row(started.id), undefined);
    assert.equal(sessions.resolve(started.id), undefined);
  });

  test('ends the previous session when a new one starts over it', () => {
    const first = sessions.start(userId, { ip: null, userAgent: null });
    const second = sessions.start(userId, { ip: null, userAgent: null }, first.id);
    assert.equal(sessions.resolve(first.id), undefined);
    assert.ok(sessions.resolve(second.id));
    assert.equal(count(), 1);
  });

  test('does not touch the expiry within a minute of the last request', () => {
    const started = sessions.start(userId, { ip: null, userAgent: null });
    clock.advance(59_999);
    const active = sessions.resolve(started.id);
    assert.ok(active && active !== 'expired');
    assert.equal(active.expiresAt, started.expiresAt);
    assert.equal(row(started.id)?.last_seen_at, clock.now() - 59_999);
  });

  test('extends the expiry after a minute of activity', () => {
    const started = sessions.start(userId, { ip: null, userAgent: null });
    clock.advance(60_000);
    const active = sessions.resolve(started.id);
    assert.ok(active && active !== 'expired');
    assert.equal(active.expiresAt, clock.now() + 12 * HOUR);
    assert.equal(row(started.id)?.expires_at, clock.now() + 12 * HOUR);
    assert.equal(row(started.id)?.last_seen_at, clock.now());
    clock.advance(12 * HOUR - 1);
    assert.ok(sessions.resolve(started.id) !== 'expired', 'still valid past the original expiry');
  });

  test('uses the lifetime setting as it is when extending', () => {
    const started = sessions.start(userId, { ip: null, userAgent: null });
    lifetime = HOUR;
    clock.advance(60_000);
    const active = sessions.resolve(started.id);
    assert.ok(active && active !== 'expired');
    assert.equal(active.expiresAt, clock.now() + HOUR);
  });

  test('reports the session of a deactivated user as expired', () => {
    const started = sessions.start(userId, { ip: null, userAgent: null });
    db.sqlite.prepare('UPDATE users SET active = 0 WHERE id = ?').run(userId);
    assert.equal(sessions.resolve(started.id), 'expired');
    assert.equal(row(started.id), undefined);
  });

  test('ends one session on sign-out and all of a user on request', () => {
    const a = sessions.start(userId, { ip: null, userAgent: null });
    const b = sessions.start(userId, { ip: null, userAgent: null });
    const c = sessions.start(userId, { ip: null, userAgent: null });
    sessions.end(a.id);
    assert.equal(sessions.resolve(a.id), undefined);
    assert.equal(sessions.endAllFor(userId), 2);
    assert.equal(sessions.resolve(b.id), undefined);
    assert.equal(sessions.resolve(c.id), undefined);
    assert.equal(sessions.endAllFor(userId), 0);
  });

  test('prunes expired sessions only', () => {
    sessions.start(userId, { ip: null, userAgent: null });
    clock.advance(6 * HOUR);
    const fresh = sessions.start(userId, { ip: null, userAgent: null });
    clock.advance(6 * HOUR + 1);
    assert.equal(sessions.prune(), 1);
    assert.equal(count(), 1);
    assert.ok(sessions.resolve(fresh.id));
  });

  test('disappears with its user', () => {
    const started = sessions.start(userId, { ip: null, userAgent: null });
    db.sqlite.prepare('DELETE FROM users WHERE id = ?').run(userId);
    assert.equal(row(started.id), undefined);
  });
});
