import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createLoginThrottle, type ThrottlePolicy } from '../../src/auth/login-throttle.js';
import { verifyPassword } from '../../src/auth/passwords.js';
import { createSessionService, type SessionService } from '../../src/auth/session-service.js';
import { createUserService, type PublicUser, type UserService } from '../../src/auth/user-service.js';
import { createAuditRepository } from '../../src/db/repositories/audit-repository.js';
import { createLoginFailureRepository } from '../../src/db/repositories/login-failure-repository.js';
import { createSessionRepository } from '../../src/db/repositories/session-repository.js';
import { createUserRepository } from '../../src/db/repositories/user-repository.js';
import { transactionRunner } from '../../src/db/transaction.js';
import { AppError } from '../../src/errors.js';
import { systemActor, type Actor } from '../../src/platform/actor.js';
import { createAuditService, type AuditService } from '../../src/platform/audit.js';
import { ManualClock } from '../../src/platform/clock.js';
import { EventBus } from '../../src/platform/events.js';
import { createLogger } from '../../src/platform/logger.js';
import { migratedDb } from '../helpers/db.js';

const PASSWORD = 'correct-horse-battery-staple';
const IP = '192.0.2.10';

interface Fixture {
  db: ReturnType<typeof migratedDb>;
  users: UserService;
  sessions: SessionService;
  audit: AuditService;
  clock: ManualClock;
  events: EventBus;
  sleeps: number[];
}

const build = (): Fixture => {
  const db = migratedDb();
  const clock = new ManualClock();
  const audit = createAuditService(createAuditRepository(db.db), clock);
  const policy: ThrottlePolicy = { slowdownAfter: 2, lockoutAfter: 4, lockoutMinutes: 15 };
  const throttle = createLoginThrottle(createLoginFailureRepository(db.db), clock, () => policy);
  const events = new EventBus();
  const sleeps: number[] = [];
  const users = createUserService({
    repo: createUserRepository(db.db),
    tx: transactionRunner(db),
    audit,
    throttle,
    clock,
    events,
    logger: createLogger({ level: 'silent', format: 'json' }),
    scrypt: { N: 1024, r: 8, p: 1 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  const sessions = createSessionService(createSessionRepository(db.db), clock, () => 3_600_000);
  return { db, users, sessions, audit, clock, events, sleeps };
};

const actorFor = (user: PublicUser): Actor => ({ userId: user.id, email: user.email, role: user.role, ip: IP, requestId: 'req' });

const appError = async (promiseOrFn: Promise<unknown> | (() => unknown)): Promise<AppError> => {
  try {
    if (typeof promiseOrFn === 'function') promiseOrFn();
    else await promiseOrFn;
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an AppError');
};

const auditActions = (f: Fixture): string[] => f.audit.search({ limit: 100, offset: 0 }).rows.map((r) => r.action).reverse();

describe('user service', () => {
  let f: Fixture;
  let admin: PublicUser;
  let adminActor: Actor;

  beforeEach(async () => {
    f = build();
    admin = await f.users.setupFirstAdmin({ email: 'Admin@Example.com', name: 'Admin', password: PASSWORD }, { ...systemActor, ip: IP });
    adminActor = actorFor(admin);
  });
  afterEach(() => f.db.close());

  describe('setup', () => {
    test('creates the first admin once, with a lower-cased email and an audit row', async () => {
      assert.equal(admin.email, 'admin@example.com');
      assert.equal(admin.role, 'admin');
      assert.equal(admin.active, true);
      assert.equal(f.users.needsSetup(), false);
      const [row] = f.audit.search({ limit: 10, offset: 0 }).rows;
      assert.equal(row?.action, 'user.create');
      assert.equal(row?.actorEmail, 'admin@example.com');
      assert.ok(!row?.after?.includes('scrypt$'), 'the hash is not audited');
    });

    test('refuses a second setup with 409', async () => {
      const err = await appError(f.users.setupFirstAdmin({ email: 'late@example.com', name: 'Late', password: PASSWORD }, systemActor));
      assert.equal(err.status, 409);
      assert.match(err.message, /Setup is already complete/);
    });

    test('needs setup while no user exists', () => {
      const fresh = build();
      try {
        assert.equal(fresh.users.needsSetup(), true);
      } finally {
        fresh.db.close();
      }
    });

    test('lets only one of two simultaneous setups win', async () => {
      const fresh = build();
      try {
        const results = await Promise.allSettled([
          fresh.users.setupFirstAdmin({ email: 'one@example.com', name: 'One', password: PASSWORD }, systemActor),
          fresh.users.setupFirstAdmin({ email: 'two@example.com', name: 'Two', password: PASSWORD }, systemActor),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        assert.equal((rejected.reason as AppError).status, 409);
        assert.equal(fresh.db.sqlite.prepare('SELECT count(*) FROM users').pluck().get(), 1);
      } finally {
        fresh.db.close();
      }
    });
  });

  describe('bootstrap admin', () => {
    test('creates the admin from the environment once and leaves it alone after', async () => {
      assert.equal(await f.users.ensureBootstrapAdmin('Boot@Example.com', PASSWORD, systemActor), 'created');
      const boot = f.users.list(adminActor).find((u) => u.email === 'boot@example.com');
      assert.ok(boot);
      assert.equal(boot.role, 'admin');
      f.users.changeRole(adminActor, boot.id, 'viewer');
      assert.equal(await f.users.ensureBootstrapAdmin('boot@example.com', 'another-password-entirely', systemActor), 'exists');
      assert.equal(f.users.get(boot.id).role, 'viewer');
      const user = await f.users.authenticate('boot@example.com', PASSWORD, IP);
      assert.equal(user.id, boot.id);
      assert.equal(auditActions(f).filter((a) => a === 'user.create').length, 2);
    });
  });

  describe('authenticate', () => {
    test('signs in with the right password, whatever the email case, and records the time', async () => {
      f.clock.advance(1000);
      const user = await f.users.authenticate('  ADMIN@example.com ', PASSWORD, IP);
      assert.equal(user.id, admin.id);
      assert.equal(user.lastLoginAt, f.clock.now());
      assert.equal(f.users.get(admin.id).lastLoginAt, f.clock.now());
    });

    test('refuses a wrong password with 401', async () => {
      const err = await appError(f.users.authenticate('admin@example.com', 'wrong-password-here', IP));
      assert.equal(err.status, 401);
      assert.equal(err.message, 'Email or password is incorrect.');
    });

    test('refuses an unknown email with the same message', async () => {
      const err = await appError(f.users.authenticate('nobody@example.com', PASSWORD, IP));
      assert.equal(err.status, 401);
      assert.equal(err.message, 'Email or password is incorrect.');
      const blank = await appError(f.users.authenticate('', PASSWORD, IP));
      assert.equal(blank.status, 401);
    });

    test('refuses a deactivated account with 403 only when the password is right', async () => {
      const ann = await f.users.create(adminActor, { email: 'ann@example.com', name: 'Ann', role: 'viewer', password: PASSWORD });
      f.users.setActive(adminActor, ann.id, false, (id) => f.sessions.endAllFor(id));
      const right = await appError(f.users.authenticate('ann@example.com', PASSWORD, IP));
      assert.equal(right.status, 403);
      assert.equal(right.code, 'account_deactivated');
      const wrong = await appError(f.users.authenticate('ann@example.com', 'wrong-password-here', '192.0.2.99'));
      assert.equal(wrong.status, 401);
    });

    test('slows then refuses repeated failures, and a success clears the account counter', async () => {
      for (let i = 0; i < 2; i++) await appError(f.users.authenticate('admin@example.com', 'wrong-password-here', IP));
      assert.deepEqual(f.sleeps, []);
      await appError(f.users.authenticate('admin@example.com', 'wrong-password-here', IP));
      assert.deepEqual(f.sleeps, [1000]);
      await f.users.authenticate('admin@example.com', PASSWORD, IP);
      assert.deepEqual(f.sleeps, [1000, 2000]);
      await f.users.authenticate('admin@example.com', PASSWORD, IP);
      assert.deepEqual(f.sleeps, [1000, 2000], 'the success cleared the counter');
      for (let i = 0; i < 4; i++) await appError(f.users.authenticate('admin@example.com', 'wrong-password-here', IP));
      const locked = await appError(f.users.authenticate('admin@example.com', PASSWORD, IP));
      assert.equal(locked.status, 429);
    });
  });

  describe('create', () => {
    test('creates a user with a hashed password and an audit row', async () => {
      const ann = await f.users.create(adminActor, { email: ' Ann@Example.com ', name: ' Ann ', role: 'operator', password: PASSWORD });
      assert.deepEqual({ email: ann.email, name: ann.name, role: ann.role, active: ann.active }, { email: 'ann@example.com', name: 'Ann', role: 'operator', active: true });
      const hash = f.db.sqlite.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(ann.id) as string;
      assert.ok(hash.startsWith('scrypt$1024$'));
      assert.equal(await verifyPassword(PASSWORD, hash), true);
      const [row] = f.audit.search({ action: 'user.create', actor: 'admin@', limit: 10, offset: 0 }).rows;
      assert.equal(row?.targetId, String(ann.id));
      assert.equal(JSON.parse(row!.after!).email, 'ann@example.com');
    });

    test('reports every invalid field', async () => {
      const err = await appError(f.users.create(adminActor, { email: 'not-an-email', name: '  ', role: 'superuser' as never, password: 'short' }));
      assert.equal(err.status, 422);
      assert.deepEqual(err.fieldErrors, {
        email: 'Enter a valid email address.',
        name: 'Enter a name.',
        role: 'Choose one of: viewer, operator, admin.',
        password: 'Use at least 12 characters.',
      });
      assert.equal(f.users.list(adminActor).length, 1);
    });

    test('refuses missing fields', async () => {
      const err = await appError(f.users.create(adminActor, {} as never));
      assert.deepEqual(err.fieldErrors, { email: 'Enter an email address.', name: 'Enter a name.', role: 'Choose one of: viewer, operator, admin.', password: 'Enter a password.' });
    });

    test('refuses a password that is too long', async () => {
      const err = await appError(f.users.create(adminActor, { email: 'ann@example.com', name: 'Ann', role: 'viewer', password: 'x'.repeat(257) }));
      assert.deepEqual(err.fieldErrors, { password: 'Use at most 256 characters.' });
    });

    test('refuses a duplicate email, whatever its case', async () => {
      const err = await appError(f.users.create(adminActor, { email: 'ADMIN@example.com', name: 'Again', role: 'viewer', password: PASSWORD }));
      assert.equal(err.status, 422);
      assert.deepEqual(err.fieldErrors, { email: 'A user with this email already exists.' });
    });

    test('lets only admins create or list users', async () => {
      const op: Actor = { ...adminActor, userId: 99, role: 'operator' };
      assert.equal((await appError(f.users.create(op, { email: 'x@example.com', name: 'X', role: 'viewer', password: PASSWORD }))).status, 403);
      assert.equal((await appError(() => f.users.list(op))).status, 403);
    });
  });

  describe('changeRole', () => {
    test('changes a role, audits before and after, and announces it', async () => {
      const ann = await f.users.create(adminActor, { email: 'ann@example.com', name: 'Ann', role: 'viewer', password: PASSWORD });
      const seen: number[] = [];
      f.events.on('user.changed', (e) => seen.push(e.userId));
      assert.equal(f.users.changeRole(adminActor, ann.id, 'operator').role, 'operator');
      assert.deepEqual(seen, [ann.id]);
      const [row] = f.audit.search({ action: 'user.role_change', limit: 10, offset: 0 }).rows;
      assert.deepEqual(JSON.parse(row!.before!), { role: 'viewer' });
      assert.deepEqual(JSON.parse(row!.after!), { role: 'operator' });
    });

    test('writes nothing when the role is unchanged', async () => {
      const ann = await f.users.create(adminActor, { email: 'ann@example.com', name: 'Ann', role: 'viewer', password: PASSWORD });
      f.users.changeRole(adminActor, ann.id, 'viewer');
      assert.equal(f.audit.search({ action: 'user.role_change', limit: 10, offset: 0 }).total, 0);
    });

    test('cannot demote the last active admin', async () => {
      const err = await appError(() => f.users.changeRole(adminActor, admin.id, 'operator'));
      assert.equal(err.status, 409);
      assert.match(err.message, /only active admin/);
      assert.equal(f.users.get(admin.id).role, 'admin');
    });

    test('can demote an admin when another active admin remains', async () => {
      const bob = await f.users.create(adminActor, { email: 'bob@example.com', name: 'Bob', role: 'admin', password: PASSWORD });
      assert.equal(f.users.changeRole(actorFor(bob), admin.id, 'viewer').role, 'viewer');
    });

    test('refuses an unknown role, an unknown user and a non-admin actor', async () => {
      assert.deepEqual((await appError(() => f.users.changeRole(adminActor, admin.id, 'root'))).fieldErrors, { role: 'Choose one of: viewer, operator, admin.' });
      assert.equal((await appError(() => f.users.changeRole(adminActor, 999, 'viewer'))).status, 404);
      assert.equal((await appError(() => f.users.changeRole({ ...adminActor, role: 'viewer' }, admin.id, 'viewer'))).status, 403);
    });
  });

  describe('setActive', () => {
    test('deactivates a user, ends their sessions and audits how many ended', async () => {
      const ann = await f.users.create(adminActor, { email: 'ann@example.com', name: 'Ann', role: 'viewer', password: PASSWORD });
      const s1 = f.sessions.start(ann.id, { ip: IP, userAgent: null });
      f.sessions.start(ann.id, { ip: IP, userAgent: null });
      const updated = f.users.setActive(adminActor, ann.id, false, (id) => f.sessions.endAllFor(id));
      assert.equal(updated.active, false);
      assert.equal(f.sessions.resolve(s1.id), undefined);
      const [row] = f.audit.search({ action: 'user.deactivate', limit: 10, offset: 0 }).rows;
      assert.deepEqual(JSON.parse(row!.after!), { active: false, sessionsEnded: 2 });
    });

    test('reactivates a user without ending sessions', async () => {
      const ann = await f.users.create(adminActor, { email: 'ann@example.com', name: 'Ann', role: 'viewer', password: PASSWORD });
      f.users.setActive(adminActor, ann.id, false, () => 0);
      let called = false;
      assert.equal(
        f.users.setActive(adminActor, ann.id, true, () => {
          called = true;
          return 0;
        }).active,
        true,
      );
      assert.equal(called, false);
      assert.ok(auditActions(f).includes('user.reactivate'));
    });

    test('cannot deactivate your own account', async () => {
      const bob = await f.users.create(adminActor, { email: 'bob@example.com', name: 'Bob', role: 'admin', password: PASSWORD });
      const err = await appError(() => f.users.setActive(adminActor, admin.id, false, () => 0));
      assert.equal(err.status, 409);
      assert.match(err.message, /your own account/);
      assert.equal(f.users.get(admin.id).active, true);
      assert.equal(f.users.get(bob.id).active, true);
    });

    test('cannot deactivate the last active admin', async () => {
      const err = await appError(() => f.users.setActive({ ...systemActor }, admin.id, false, () => 0));
      assert.equal(err.status, 409);
      assert.match(err.message, /only active admin/);
    });

    test('writes nothing when the state is unchanged', async () => {
      const before = auditActions(f).length;
      f.users.setActive(adminActor, admin.id, true, () => 0);
      assert.equal(auditActions(f).length, before);
    });
  });

  describe('resetPassword', () => {
    test('lifts the account\'s sign-in lockout from every address', async () => {
      const ann = await f.users.create(adminActor, { email: 'ann@example.com', name: 'Ann', role: 'viewer', password: PASSWORD });
      for (let i = 0; i < 4; i++) await appError(f.users.authenticate('ann@example.com', 'wrong-password-here', '192.0.2.60'));
      assert.equal((await appError(f.users.authenticate('ann@example.com', PASSWORD, '192.0.2.60'))).status, 429);
      await f.users.resetPassword(adminActor, ann.id, 'a-brand-new-password', () => 0);
      await f.users.authenticate('ann@example.com', 'a-brand-new-password', '192.0.2.60');
    });

    test('sets a new password, ends the sessions and audits without the password', async () => {
      const ann = await f.users.create(adminActor, { email: 'ann@example.com', name: 'Ann', role: 'viewer', password: PASSWORD });
      const session = f.sessions.start(ann.id, { ip: IP, userAgent: null });
      await f.users.resetPassword(adminActor, ann.id, 'a-brand-new-password', (id) => f.sessions.endAllFor(id));
      assert.equal(f.sessions.resolve(session.id), undefined);
      await f.users.authenticate('ann@example.com', 'a-brand-new-password', IP);
      assert.equal((await appError(f.users.authenticate('ann@example.com', PASSWORD, '192.0.2.50'))).status, 401);
      const [row] = f.audit.search({ action: 'user.password_reset', limit: 10, offset: 0 }).rows;
      assert.deepEqual(JSON.parse(row!.after!), { password: '[changed]', sessionsEnded: 1 });
      assert.ok(!row!.after!.includes('brand-new'));
    });

    test('refuses a weak or missing password, an unknown user and a non-admin', async () => {
      assert.deepEqual((await appError(f.users.resetPassword(adminActor, admin.id, 'short', () => 0))).fieldErrors, { password: 'Use at least 12 characters.' });
      assert.deepEqual((await appError(f.users.resetPassword(adminActor, admin.id, undefined, () => 0))).fieldErrors, { password: 'Enter a password.' });
      assert.equal((await appError(f.users.resetPassword(adminActor, 999, 'a-brand-new-password', () => 0))).status, 404);
      assert.equal((await appError(f.users.resetPassword({ ...adminActor, role: 'operator' }, admin.id, 'a-brand-new-password', () => 0))).status, 403);
    });
  });

  describe('changeOwnPassword', () => {
    test('changes the password when the current one is right, and audits it', async () => {
      const ended: number[] = [];
      await f.users.changeOwnPassword(adminActor, PASSWORD, 'my-next-password-1', IP, (id) => (ended.push(id), 2));
      await f.users.authenticate('admin@example.com', 'my-next-password-1', IP);
      assert.deepEqual(ended, [adminActor.userId]);
      const [row] = f.audit.search({ action: 'user.password_change', limit: 10, offset: 0 }).rows;
      assert.deepEqual(JSON.parse(row!.after!), { password: '[changed]', sessionsEnded: 2 });
    });

    test('needs the current password, and counts a wrong one as a failed sign-in', async () => {
      const err = await appError(f.users.changeOwnPassword(adminActor, 'not-my-password', 'my-next-password-1', IP, () => 0));
      assert.equal(err.status, 422);
      assert.deepEqual(err.fieldErrors, { current: 'Your current password is not right.' });
      assert.equal(f.db.sqlite.prepare('SELECT count FROM login_failures WHERE key = ?').pluck().get(`account:admin@example.com|${IP}`), 1);
      await f.users.authenticate('admin@example.com', PASSWORD, '192.0.2.77');
    });

    test('refuses a weak new password', async () => {
      assert.deepEqual((await appError(f.users.changeOwnPassword(adminActor, PASSWORD, 'short', IP, () => 0))).fieldErrors, { password: 'Use at least 12 characters.' });
    });

    test('refuses an actor without a user', async () => {
      assert.equal((await appError(f.users.changeOwnPassword(systemActor, PASSWORD, 'my-next-password-1', IP, () => 0))).status, 401);
    });
  });

  test('every change above writes an audit row', async () => {
    const ann = await f.users.create(adminActor, { email: 'ann@example.com', name: 'Ann', role: 'viewer', password: PASSWORD });
    f.users.changeRole(adminActor, ann.id, 'operator');
    f.users.setActive(adminActor, ann.id, false, () => 0);
    f.users.setActive(adminActor, ann.id, true, () => 0);
    await f.users.resetPassword(adminActor, ann.id, 'a-brand-new-password', () => 0);
    await f.users.changeOwnPassword(actorFor({ ...ann, role: 'operator' }), 'a-brand-new-password', 'a-newer-password-2', IP, () => 0);
    assert.deepEqual(auditActions(f), ['user.create', 'user.create', 'user.role_change', 'user.deactivate', 'user.reactivate', 'user.password_reset', 'user.password_change']);
  });
});
