interface Bucket {
  tokens: number;
  at: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A token bucket per credential: a full minute's allowance may come in one
 * burst, then requests are admitted as the bucket refills evenly. In memory:
 * the hub is one process, and a restart forgiving a minute's count is harmless.
 */
export class CredentialRateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  #level(key: string, perMinute: number, now: number): number {
    const bucket = this.#buckets.get(key);
    if (!bucket) return perMinute;
    return Math.min(perMinute, bucket.tokens + ((now - bucket.at) * perMinute) / 60_000);
  }

  /** Whether one more request fits now, without using it up. */
  check(key: string, perMinute: number, now: number): RateDecision {
    const level = this.#level(key, perMinute, now);
    if (level >= 1) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - level) * 60_000) / perMinute / 1000)) };
  }

  /** Uses up one request; call after check allowed it. */
  take(key: string, perMinute: number, now: number): void {
    this.#buckets.set(key, { tokens: this.#level(key, perMinute, now) - 1, at: now });
  }
}
