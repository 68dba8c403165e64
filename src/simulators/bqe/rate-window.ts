/**
 * The cap one team reports for BQE (contract §6, unconfirmed): N requests per
 * app per user in any 60 seconds, a sliding window kept per key (tenant and
 * client). Refused requests do not use up a slot. A limit of 0 turns it off.
 */
export interface RateVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the oldest counted request leaves the window (0 when none is counted). */
  resetSeconds: number;
  /** Seconds until a slot frees, when refused. */
  retryAfterSeconds: number;
}

const WINDOW_MS = 60_000;

export class RateWindow {
  #hits = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    public limitPerMinute: number,
  ) {}

  take(key: string): RateVerdict | undefined {
    if (this.limitPerMinute <= 0) return undefined;
    const now = this.now();
    const hits = this.#hits.get(key) ?? [];
    let expired = 0;
    while (expired < hits.length && (hits[expired] as number) <= now - WINDOW_MS) expired++;
    if (expired > 0) hits.splice(0, expired);
    const allowed = hits.length < this.limitPerMinute;
    if (allowed) hits.push(now);
    this.#hits.set(key, hits);
    const untilOldestLeaves = hits.length > 0 ? Math.max(1, Math.ceil(((hits[0] as number) + WINDOW_MS - now) / 1_000)) : 0;
    return {
      allowed,
      limit: this.limitPerMinute,
      remaining: Math.max(0, this.limitPerMinute - hits.length),
      resetSeconds: untilOldestLeaves,
      retryAfterSeconds: allowed ? 0 : untilOldestLeaves,
    };
  }

  reset(): void {
    this.#hits.clear();
  }
}

export const rateHeaders = (verdict: RateVerdict): Record<string, string> => ({
  'X-Rate-Limit-Limit': String(verdict.limit),
  'X-Rate-Limit-Remaining': String(verdict.remaining),
  'X-Rate-Limit-Reset': String(verdict.resetSeconds),
});
