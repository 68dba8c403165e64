import { z } from 'zod';
import type { UserRepository, UserRow } from '../db/repositories/user-repository.js';
import type { RunInTransaction } from '../db/transaction.js';
import { ROLES, type Role } from '../db/schema/users.js';
import { AppError, conflict, notFound, unauthenticated, validationError, type FieldErrors } from '../errors.js';
import { assertRole, type Actor } from '../platform/actor.js';
import type { AuditService } from '../platform/audit.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import type { LoginThrottle } from './login-throttle.js';
import { DEFAULT_SCRYPT, hashPassword, passwordProblem, verifyPassword, type ScryptParams } from './passwords.js';

export interface PublicUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

export const toPublicUser = (row: UserRow): PublicUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  active: row.active,
  createdAt: row.createdAt,
  lastLoginAt: row.lastLoginAt,
});

const newUserSchema = z.object({
  email: z.string({ error: 'Enter an email address.' }).trim().toLowerCase().email('Enter a valid email address.').max(254, 'Use at most 254 characters.'),
  name: z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(100, 'Use at most 100 characters.'),
  role: z.enum(ROLES, { error: `Choose one of: ${ROLES.join(', ')}.` }),
  password: z.string({ error: 'Enter a password.' }),
});

export type NewUserInput = z.input<typeof newUserSchema>;

const fieldErrorsOf = (error: z.ZodError): FieldErrors => {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    out[key] ??= issue.message;
  }
  return out;
};

interface Deps {
  repo: UserRepository;
  tx: RunInTransaction;
  audit: AuditService;
  throttle: LoginThrottle;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  /** Tests lower the cost; production keeps the default. */
  scrypt?: ScryptParams;
  /** Injected so tests of the slowdown do not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const createUserService = ({ repo, tx, audit, throttle, clock, events, logger, scrypt = DEFAULT_SCRYPT, sleep = realSleep }: Deps) => {
  // Verifying against a real hash for unknown emails keeps response time from revealing which accounts exist.
  let decoyHash: Promise<string> | undefined;
  const decoy = () => (decoyHash ??= hashPassword('decoy-password-for-timing', scrypt));

  const parseNewUser = async (input: NewUserInput): Promise<{ email: string; name: string; role: Role; passwordHash: string }> => {
    const parsed = newUserSchema.safeParse(input);
    const errors: FieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
    const problem = typeof input.password === 'string' ? passwordProblem(input.password) : undefined;
    if (problem) errors.password ??= problem;
    if (!parsed.success || Object.keys(errors).length) throw validationError('The user could not be saved; check the highlighted fields.', errors);
    if (repo.findByEmail(parsed.data.email)) throw validationError('The user could not be saved.', { email: 'A user with this email already exists.' });
    return { ...parsed.data, passwordHash: await hashPassword(parsed.data.password, scrypt) };
  };

  const insertUser = (actor: Actor, data: { email: string; name: string; role: Role; passwordHash: string }): UserRow => {
    const now = clock.now();
    const row = repo.insert({ ...data, active: true, createdAt: now, updatedAt: now });
    audit.record(actor, { action: 'user.create', targetType: 'user', targetId: row.id, after: toPublicUser(row) });
    return row;
  };

  const mustFind = (id: number): UserRow => {
    const row = repo.findById(id);
    if (!row) throw notFound(`User #${id} does not exist.`);
    return row;
  };

  /** Refuses a change that would leave the hub without an active admin. */
  const keepOneAdmin = (target: UserRow, nextRole: Role, nextActive: boolean): void => {
    const staysAdmin = nextRole === 'admin' && nextActive;
    if (target.role === 'admin' && target.active && !staysAdmin && repo.countActiveAdmins(target.id) === 0) {
      throw conflict('This is the only active admin; make another user admin first.');
    }
  };

  return {
    needsSetup(): boolean {
      return repo.count() === 0;
    },

    /** First-run setup: only while no user exists, checked inside the write transaction to close the race. */
    async setupFirstAdmin(input: Omit<NewUserInput, 'role'>, actor: Actor): Promise<PublicUser> {
      if (repo.count() > 0) throw conflict('Setup is already complete; sign in instead.');
      const data = await parseNewUser({ ...input, role: 'admin' });
      const row = tx(() => {
        if (repo.count() > 0) throw conflict('Setup is already complete; sign in instead.');
        return insertUser({ ...actor, email: data.email }, data);
      });
      logger.info({ userId: row.id }, 'first admin created by setup');
      return toPublicUser(row);
    },

    /** HUB_ADMIN_EMAIL/PASSWORD: creates that admin once; an existing account is left as it is. */
    async ensureBootstrapAdmin(email: string, password: string, actor: Actor): Promise<'created' | 'exists'> {
      if (repo.findByEmail(email.toLowerCase())) return 'exists';
      const data = await parseNewUser({ email, name: 'Administrator', role: 'admin', password });
      const row = tx(() => insertUser(actor, data));
      logger.info({ userId: row.id }, 'bootstrap admin created from environment');
      return 'created';
    },

    async authenticate(emailInput: string, password: string, ip: string): Promise<PublicUser> {
      const email = emailInput.trim().toLowerCase();
      const delay = throttle.check(email, ip);
      if (delay > 0) await sleep(delay);
      const row = email ? repo.findByEmail(email) : undefined;
      const ok = await verifyPassword(password, row?.passwordHash ?? (await decoy()));
      if (!row || !ok || !row.active) {
        throttle.recordFailure(email, ip);
        logger.warn({ ip, known: Boolean(row), active: row?.active ?? null }, 'sign-in failed');
        if (row && ok && !row.active) throw new AppError(403, 'account_deactivated', 'This account is deactivated; ask an admin to reactivate it.');
        throw unauthenticated('Email or password is incorrect.');
      }
      throttle.recordSuccess(email, ip);
      repo.update(row.id, { lastLoginAt: clock.now(), updatedAt: row.updatedAt });
      return toPublicUser({ ...row, lastLoginAt: clock.now() });
    },

    list(actor: Actor): PublicUser[] {
      assertRole(actor, 'admin', 'manage users');
      return repo.list().map(toPublicUser);
    },

    get(id: number): PublicUser {
      return toPublicUser(mustFind(id));
    },

    async create(actor: Actor, input: NewUserInput): Promise<PublicUser> {
      assertRole(actor, 'admin', 'create users');
      const data = await parseNewUser(input);
      return toPublicUser(tx(() => insertUser(actor, data)));
    },

    changeRole(actor: Actor, id: number, roleInput: unknown): PublicUser {
      assertRole(actor, 'admin', 'change roles');
      const role = z.enum(ROLES).safeParse(roleInput);
      if (!role.success) throw validationError('The role could not be changed.', { role: `Choose one of: ${ROLES.join(', ')}.` });
      const updated = tx(() => {
        const target = mustFind(id);
        if (target.role === role.data) return target;
        keepOneAdmin(target, role.data, target.active);
        const row = repo.update(id, { role: role.data, updatedAt: clock.now() }) ?? target;
        audit.record(actor, { action: 'user.role_change', targetType: 'user', targetId: id, before: { role: target.role }, after: { role: row.role } });
        return row;
      });
      events.emit('user.changed', { userId: id });
      return toPublicUser(updated);
    },

    async resetPassword(actor: Actor, id: number, password: unknown, endSessions: (userId: number) => number): Promise<PublicUser> {
      assertRole(actor, 'admin', 'reset passwords');
      const problem = typeof password === 'string' ? passwordProblem(password) : 'Enter a password.';
      if (problem) throw validationError('The password was not changed.', { password: problem });
      mustFind(id);
      const passwordHash = await hashPassword(password as string, scrypt);
      const row = tx(() => {
        const updated = repo.update(id, { passwordHash, updatedAt: clock.now() });
        if (updated) throttle.clearAccount(updated.email);
        const ended = endSessions(id);
        audit.record(actor, { action: 'user.password_reset', targetType: 'user', targetId: id, after: { password: '[changed]', sessionsEnded: ended } });
        return updated;
      });
      return toPublicUser(row ?? mustFind(id));
    },

    /** Any signed-in user may change their own password by proving the current one. */
    /** Ends every session of the user (the caller starts a fresh one), so a stolen session dies with the old password. */
    async changeOwnPassword(actor: Actor, current: string, next: string, ip: string, endSessions: (userId: number) => number): Promise<void> {
      if (actor.userId === null) throw unauthenticated();
      const row = mustFind(actor.userId);
      if (!(await verifyPassword(current, row.passwordHash))) {
        throttle.recordFailure(row.email, ip);
        throw validationError('The password was not changed.', { current: 'Your current password is not right.' });
      }
      const problem = passwordProblem(next);
      if (problem) throw validationError('The password was not changed.', { password: problem });
      const passwordHash = await hashPassword(next, scrypt);
      tx(() => {
        repo.update(row.id, { passwordHash, updatedAt: clock.now() });
        const ended = endSessions(row.id);
        audit.record(actor, { action: 'user.password_change', targetType: 'user', targetId: row.id, after: { password: '[changed]', sessionsEnded: ended } });
      });
    },

    setActive(actor: Actor, id: number, active: boolean, endSessions: (userId: number) => number): PublicUser {
      assertRole(actor, 'admin', 'activate or deactivate users');
      if (!active && actor.userId === id) throw conflict('You cannot deactivate your own account.');
      const updated = tx(() => {
        const target = mustFind(id);
        if (target.active === active) return target;
        keepOneAdmin(target, target.role, active);
        const row = repo.update(id, { active, updatedAt: clock.now() }) ?? target;
        const ended = active ? 0 : endSessions(id);
        audit.record(actor, { action: active ? 'user.reactivate' : 'user.deactivate', targetType: 'user', targetId: id, before: { active: target.active }, after: { active, sessionsEnded: ended } });
        return row;
      });
      events.emit('user.changed', { userId: id });
      return toPublicUser(updated);
    },
  };
};

export type UserService = ReturnType<typeof createUserService>;
