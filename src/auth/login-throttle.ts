import type { LoginFailureRepository } from '../db/repositories/login-failure-repository.js';
import { tooManyRequests } from '../errors.js';
import type { Clock } from '../platform/clock.js';

export interface ThrottlePolicy {
  slowdownAfter: number;
  lockoutAfter: number;
  lockoutMinutes: number;
}

/** Delay grows one second per failure past the slowdown threshold, capped so a page never hangs. */
const MAX_DELAY_MS = 5000;
/** An IP trying many accounts is limited at a multiple of the per-account threshold. */
const IP_FACTOR = 4;

const keysFor = (email: string, ip: string): { key: string; factor: number }[] => [
  { key: `account:${email.toLowerCase()}|${ip}`, factor: 1 },
  { key: `ip:${ip}`, factor: IP_FACTOR },
];

/**
 * Repeated failed sign-ins are first slowed, then refused with 429 until the
 * lockout passes. Counters live in SQLite so a restart does not reset them.
 */
export const createLoginThrottle = (repo: LoginFailureRepository, clock: Clock, policy: () => ThrottlePolicy) => ({
  /** Throws 429 while locked out; otherwise returns how long to wait before checking the password. */
  check(email: string, ip: string): number {
    const p = policy();
    const now = clock.now();
    const windowMs = p.lockoutMinutes * 60_000;
    let delay = 0;
    for (const { key, factor } of keysFor(email, ip)) {
      const row = repo.find(key);
      if (!row || now - row.lastFailedAt > windowMs) continue;
      if (row.count >= p.lockoutAfter * factor) {
        const retryAfter = Math.ceil((row.lastFailedAt + windowMs - now) / 1000);
        throw tooManyRequests(`Too many failed sign-ins. Try again in ${Math.ceil(retryAfter / 60)} minute(s), or ask an admin to reset your password.`, retryAfter);
      }
      if (row.count >= p.slowdownAfter * factor) delay = Math.max(delay, Math.min(MAX_DELAY_MS, (row.count - p.slowdownAfter * factor + 1) * 1000));
    }
    return delay;
  },
  recordFailure(email: string, ip: string): void {
    const now = clock.now();
    const windowMs = policy().lockoutMinutes * 60_000;
    for (const { key } of keysFor(email, ip)) {
      const row = repo.find(key);
      const fresh = !row || now - row.lastFailedAt > windowMs;
      repo.save({ key, count: fresh ? 1 : row.count + 1, firstFailedAt: fresh ? now : row.firstFailedAt, lastFailedAt: now });
    }
  },
  recordSuccess(email: string, ip: string): void {
    repo.clear(keysFor(email, ip)[0]!.key);
  },
  /** An admin's password reset lifts the account's lockout from every address. */
  clearAccount(email: string): number {
    return repo.clearPrefix(`account:${email.toLowerCase()}|`);
  },
  prune(): number {
    return repo.deleteOlderThan(clock.now() - policy().lockoutMinutes * 60_000);
  },
});

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
