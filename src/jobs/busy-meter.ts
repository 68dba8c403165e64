/**
 * Busy worker-time of a pool over a recent horizon, in fixed buckets: the pool
 * tells it each time its number of running tasks changes, and utilization over
 * any window up to the horizon is read back without keeping per-job history.
 */
export class BusyMeter {
  readonly #buckets: Float64Array;
  /** Absolute index (time / bucketMs) of the newest bucket written. */
  #head: number;
  #lastAt: number;
  #level = 0;

  constructor(
    startAt: number,
    private readonly bucketMs = 1000,
    horizonMs = 5 * 60_000,
  ) {
    this.#buckets = new Float64Array(Math.ceil(horizonMs / bucketMs) + 1);
    this.#lastAt = startAt;
    this.#head = Math.floor(startAt / bucketMs);
  }

  /** The number of busy workers is `level` from `now` on. */
  change(now: number, level: number): void {
    this.#advance(now);
    this.#level = level;
  }

  /** Busy worker-time / (capacity × elapsed) over the last windowMs, not counting time before `since`; 0 to 1. */
  utilization(now: number, windowMs: number, capacity: number, since: number): number {
    this.#advance(now);
    const at = this.#lastAt;
    const from = Math.max(at - windowMs, since, (this.#head - this.#buckets.length + 1) * this.bucketMs);
    const elapsed = at - from;
    if (elapsed <= 0 || capacity <= 0) return 0;
    let busy = 0;
    for (let b = Math.floor(from / this.bucketMs); b <= this.#head; b++) {
      const start = b * this.bucketMs;
      const end = Math.min(start + this.bucketMs, at);
      if (end <= start) continue;
      // The first bucket counts in proportion to the part of it inside the window.
      const share = from > start ? (end - from) / (end - start) : 1;
      busy += this.#buckets[this.#slot(b)]! * share;
    }
    return Math.min(1, Math.max(0, busy / (capacity * elapsed)));
  }

  /** Adds level × time from the last change up to now, split across the buckets it spans. */
  #advance(now: number): void {
    if (now <= this.#lastAt) return;
    const last = Math.floor(now / this.bucketMs);
    const first = Math.max(Math.floor(this.#lastAt / this.bucketMs), last - this.#buckets.length + 1);
    for (let b = Math.max(this.#head + 1, first); b <= last; b++) this.#buckets[this.#slot(b)] = 0;
    this.#head = Math.max(this.#head, last);
    if (this.#level > 0) {
      for (let b = first; b <= last; b++) {
        const start = Math.max(b * this.bucketMs, this.#lastAt);
        const end = Math.min((b + 1) * this.bucketMs, now);
        const slot = this.#slot(b);
        if (end > start) this.#buckets[slot] = this.#buckets[slot]! + this.#level * (end - start);
      }
    }
    this.#lastAt = now;
  }

  #slot(bucket: number): number {
    return bucket % this.#buckets.length;
  }
}
