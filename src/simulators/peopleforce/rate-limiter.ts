/**
 * A fixed one-minute window on the simulator's clock. PeopleForce publishes no
 * figure (contract §7), so the limit is whatever a test or demo sets; 0 is off.
 */
export class RateLimiter {
  #windowStart = 0;
  #used = 0;

  constructor(
    private readonly now: () => number,
    public perMinute = 0,
  ) {}

  /** Counts one request; returns the seconds to wait when it is over the limit. */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.perMinute <= 0) return { ok: true };
    const now = this.now();
    if (now - this.#windowStart >= 60_000) {
      this.#windowStart = now;
      this.#used = 0;
    }
    if (this.#used < this.perMinute) {
      this.#used++;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((this.#windowStart + 60_000 - now) / 1_000)) };
  }

  reset(): void {
    this.#windowStart = 0;
    this.#used = 0;
  }
}
