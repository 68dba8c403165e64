import crypto from 'node:crypto';
import type { Clock } from '../platform/clock.js';

const TOKEN = /^[A-Za-z0-9_-]{22}$/;

/**
 * Lets a form's POST take effect once. A page that answers a POST directly
 * (the one-time secret reveal) is re-sent when the browser reloads it; the
 * repeat brings back the same token and is refused, so a reload neither
 * creates a second credential nor rotates twice (which would drop the
 * secret the first rotation handed out). Used tokens are remembered in
 * memory for `ttlMs`: one hub process serves a data folder.
 */
export class OnceTokens {
  readonly #used = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxRemembered: number,
  ) {}

  issue(): string {
    return crypto.randomBytes(16).toString('base64url');
  }

  /** True the first time a well-formed token comes back; false for a repeat or anything else. */
  claim(token: string): boolean {
    if (!TOKEN.test(token)) return false;
    const now = this.clock.now();
    this.#forgetExpired(now);
    if (this.#used.has(token)) return false;
    this.#used.set(token, now + this.ttlMs);
    return true;
  }

  #forgetExpired(now: number): void {
    // Entries are in insertion order with one TTL, so expired ones are at the front.
    for (const [token, expiresAt] of this.#used) {
      if (expiresAt > now && this.#used.size < this.maxRemembered) break;
      this.#used.delete(token);
    }
  }
}
