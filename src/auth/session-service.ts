import crypto from 'node:crypto';
import type { SessionRepository } from '../db/repositories/session-repository.js';
import type { Clock } from '../platform/clock.js';
import { toPublicUser, type PublicUser } from './user-service.js';

export interface ActiveSession {
  user: PublicUser;
  csrfToken: string;
  expiresAt: number;
}

const hashId = (id: string): string => crypto.createHash('sha256').update(id).digest('hex');

/** Refreshing the expiry on every request would write on every page; once a minute is plenty. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side sessions in SQLite. The cookie holds a random id; the table
 * holds only its hash, the user's CSRF token and the expiry.
 */
export const createSessionService = (repo: SessionRepository, clock: Clock, lifetimeMs: () => number) => ({
  /** Starts a fresh session (a new id on every sign-in, so a planted id is useless) and ends the old one. */
  start(userId: number, meta: { ip: string | null; userAgent: string | null }, previousId?: string): { id: string; csrfToken: string; expiresAt: number } {
    if (previousId) repo.delete(hashId(previousId));
    const id = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(32).toString('base64url');
    const now = clock.now();
    const expiresAt = now + lifetimeMs();
    repo.insert({ idHash: hashId(id), userId, csrfToken, createdAt: now, expiresAt, lastSeenAt: now, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null });
    return { id, csrfToken, expiresAt };
  },

  /** 'expired' lets the page say why the user must sign in again. */
  resolve(id: string): ActiveSession | 'expired' | undefined {
    const idHash = hashId(id);
    const found = repo.findWithUser(idHash);
    if (!found) return undefined;
    const now = clock.now();
    if (found.session.expiresAt <= now || !found.user.active) {
      repo.delete(idHash);
      return 'expired';
    }
    let expiresAt = found.session.expiresAt;
    if (now - found.session.lastSeenAt >= TOUCH_EVERY_MS) {
      expiresAt = now + lifetimeMs();
      repo.touch(idHash, now, expiresAt);
    }
    return { user: toPublicUser(found.user), csrfToken: found.session.csrfToken, expiresAt };
  },

  end(id: string): void {
    repo.delete(hashId(id));
  },

  endAllFor(userId: number): number {
    return repo.deleteForUser(userId);
  },

  prune(): number {
    return repo.deleteExpired(clock.now());
  },
});

export type SessionService = ReturnType<typeof createSessionService>;
