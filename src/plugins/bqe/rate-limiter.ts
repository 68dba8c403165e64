import { abortableSleep } from '../../platform/http-client.js';
import type { Logger } from '../../platform/logger.js';
import type { RateLimit } from './provider.js';

/**
 * BQERateLimiter: every BQE call starts through `schedule`. Starts are paced evenly (GCRA with no burst
 * allowance: one start per 60 000 / requestsPerMinute ms) per connection and, separately, across all
 * connections with the provider cap; at most maxConcurrency calls run per connection and provider-wide.
 * Even pacing is what keeps any sliding 60-second window at or under the cap while still using it fully.
 *
 * Queues are FIFO per connection; across connections the longest-waiting request whose own connection
 * allows it goes first, so one busy or paused connection never holds the others back.
 */

export type WaitReason = 'connection_rate' | 'provider_rate' | 'connection_concurrency' | 'provider_concurrency' | 'retry_after';
export const WAIT_REASONS: readonly WaitReason[] = ['connection_rate', 'provider_rate', 'connection_concurrency', 'provider_concurrency', 'retry_after'];

export interface RateLimiterStats {
  /** Requests started. */
  requests: number;
  /** Requests that had to wait before starting, and for how long in total. */
  waits: number;
  waitMs: number;
  /** Waits by the reason that held each request back longest. */
  byReason: Record<WaitReason, number>;
  inFlight: number;
  queued: number;
}

export interface RateLimiterOptions {
  perConnection: RateLimit;
  provider: RateLimit;
  logger: Logger;
  clock?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Added to every spacing (provider.json rateLimits.spacingMarginMs) so that calls which reach BQE a few
   * milliseconds unevenly (network, event loop) still fit a sliding window counted on arrival.
   */
  spacingMarginMs: number;
}

export interface ScheduleOptions {
  /** Cancels the request while it is still queued; once started, it is up to `fn` to honour the signal. */
  signal?: AbortSignal;
  /** The caller's logger, so the wait line carries its job or request id. */
  log?: Logger;
}

export interface BQERateLimiter {
  schedule<T>(connectionId: number, fn: () => Promise<T>, opts?: ScheduleOptions): Promise<T>;
  /** After a 429 with Retry-After: no new call for this connection starts before `ms` from now. */
  pauseConnection(connectionId: number, ms: number, log?: Logger): void;
  /** One connection's figures, or provider-wide totals without an id. */
  stats(connectionId?: number): RateLimiterStats;
}

const MS_PER_MINUTE = 60_000;

type ReasonTimes = Record<WaitReason, number>;
const zeroReasons = (): ReasonTimes => ({ connection_rate: 0, provider_rate: 0, connection_concurrency: 0, provider_concurrency: 0, retry_after: 0 });

interface Entry {
  seq: number;
  enqueuedAt: number;
  /** The connection's accumulated blocked time per reason when this entry joined, to attribute its own wait. */
  accAtEnqueue: ReasonTimes;
  log: Logger;
  start: () => void;
  cancelled: boolean;
}

interface ConnectionState {
  id: number;
  queue: Entry[];
  /** Index of the first live entry in `queue` (entries before it have started or been cancelled). */
  head: number;
  queued: number;
  inFlight: number;
  /** Earliest time the next call may start (GCRA theoretical arrival time). */
  nextStartAt: number;
  pausedUntil: number;
  /** What currently holds the head of the queue back, and the running totals of blocked time per reason. */
  blocker: WaitReason | undefined;
  blockedMs: ReasonTimes;
  stats: Omit<RateLimiterStats, 'inFlight' | 'queued'>;
}

export const createRateLimiter = (options: RateLimiterOptions): BQERateLimiter => {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const margin = options.spacingMarginMs;
  const connectionSpacing = MS_PER_MINUTE / options.perConnection.requestsPerMinute + margin;
  const providerSpacing = MS_PER_MINUTE / options.provider.requestsPerMinute + margin;

  const connections = new Map<number, ConnectionState>();
  const provider = { inFlight: 0, nextStartAt: -Infinity };
  let seq = 0;
  let accruedAt = clock();
  let wake: { at: number; controller: AbortController } | undefined;
  let pumping = false;
  let pumpAgain = false;

  const connection = (id: number): ConnectionState => {
    let state = connections.get(id);
    if (state === undefined) {
      state = {
        id,
        queue: [],
        head: 0,
        queued: 0,
        inFlight: 0,
        nextStartAt: -Infinity,
        pausedUntil: -Infinity,
        blocker: undefined,
        blockedMs: zeroReasons(),
        stats: { requests: 0, waits: 0, waitMs: 0, byReason: zeroReasons() },
      };
      connections.set(id, state);
    }
    return state;
  };

  const headOf = (state: ConnectionState): Entry | undefined => {
    while (state.head < state.queue.length && (state.queue[state.head] as Entry).cancelled) state.head++;
    if (state.head >= state.queue.length) {
      state.queue = [];
      state.head = 0;
      return undefined;
    }
    // Started entries are dropped in bulk rather than shifted one by one.
    if (state.head > 1024 && state.head * 2 > state.queue.length) {
      state.queue = state.queue.slice(state.head);
      state.head = 0;
    }
    return state.queue[state.head];
  };

  /** Charges the time since the last look to whatever held each connection's queue back during it. */
  const accrue = (now: number): void => {
    const elapsed = now - accruedAt;
    accruedAt = now;
    if (elapsed <= 0) return;
    for (const state of connections.values()) {
      if (state.blocker !== undefined && state.queued > 0) state.blockedMs[state.blocker] += elapsed;
    }
  };

  /** Why the head of this connection's queue cannot start now, and when that lifts by itself (if it does). */
  const blockerOf = (state: ConnectionState, now: number): { reason: WaitReason; until?: number } | undefined => {
    if (now < state.pausedUntil) return { reason: 'retry_after', until: state.pausedUntil };
    if (state.inFlight >= options.perConnection.maxConcurrency) return { reason: 'connection_concurrency' };
    if (provider.inFlight >= options.provider.maxConcurrency) return { reason: 'provider_concurrency' };
    if (now < state.nextStartAt || now < provider.nextStartAt) {
      return provider.nextStartAt > state.nextStartAt ? { reason: 'provider_rate', until: provider.nextStartAt } : { reason: 'connection_rate', until: state.nextStartAt };
    }
    return undefined;
  };

  const dominantReason = (state: ConnectionState, entry: Entry): WaitReason => {
    let best: WaitReason = state.blocker ?? 'connection_rate';
    let bestMs = 0;
    for (const reason of WAIT_REASONS) {
      const ms = state.blockedMs[reason] - entry.accAtEnqueue[reason];
      if (ms > bestMs) {
        best = reason;
        bestMs = ms;
      }
    }
    return best;
  };

  const startEntry = (state: ConnectionState, entry: Entry, now: number): void => {
    state.head++;
    state.queued--;
    state.inFlight++;
    provider.inFlight++;
    state.nextStartAt = now + connectionSpacing;
    provider.nextStartAt = now + providerSpacing;
    state.stats.requests++;
    const waitMs = Math.round(now - entry.enqueuedAt);
    if (waitMs > 0) {
      const reason = dominantReason(state, entry);
      state.stats.waits++;
      state.stats.waitMs += waitMs;
      state.stats.byReason[reason]++;
      entry.log.info({ connection: state.id, waitMs, reason }, 'rate limiter wait');
    }
    entry.start();
  };

  const armWake = (at: number, now: number): void => {
    if (wake !== undefined && wake.at <= at) return;
    wake?.controller.abort();
    const controller = new AbortController();
    wake = { at, controller };
    sleep(Math.max(0, at - now), controller.signal).then(
      () => {
        if (wake?.controller !== controller) return;
        wake = undefined;
        pump();
      },
      () => undefined,
    );
  };

  /** Starts every request that may start now, records what holds the rest back, and sets the next wake-up. */
  const pump = (at?: number): void => {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      let now = at ?? clock();
      for (;;) {
        accrue(now);
        let nextWake = Infinity;
        for (;;) {
          let pick: { state: ConnectionState; entry: Entry } | undefined;
          nextWake = Infinity;
          for (const state of connections.values()) {
            const entry = headOf(state);
            if (entry === undefined) {
              state.blocker = undefined;
              continue;
            }
            const blocked = blockerOf(state, now);
            state.blocker = blocked?.reason;
            if (blocked === undefined) {
              if (pick === undefined || entry.seq < pick.entry.seq) pick = { state, entry };
            } else if (blocked.until !== undefined) {
              nextWake = Math.min(nextWake, blocked.until);
            }
          }
          if (pick === undefined) break;
          startEntry(pick.state, pick.entry, now);
        }
        if (nextWake !== Infinity) armWake(nextWake, now);
        if (!pumpAgain) break;
        pumpAgain = false;
        now = clock();
      }
    } finally {
      pumping = false;
    }
  };

  const schedule = <T>(connectionId: number, fn: () => Promise<T>, opts: ScheduleOptions = {}): Promise<T> => {
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const state = connection(connectionId);
    const now = clock();
    accrue(now);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        if (entry.cancelled) return;
        entry.cancelled = true;
        state.queued--;
        reject(signal?.reason);
        pump();
      };
      const entry: Entry = {
        seq: seq++,
        enqueuedAt: now,
        accAtEnqueue: { ...state.blockedMs },
        log: opts.log ?? options.logger,
        cancelled: false,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          const run = async () => {
            try {
              return await fn();
            } finally {
              state.inFlight--;
              provider.inFlight--;
              pump();
            }
          };
          run().then(resolve, reject);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      state.queue.push(entry);
      state.queued++;
      // The same instant as the enqueue, so a request that can start at once never counts as a wait.
      pump(now);
    });
  };

  const pauseConnection = (connectionId: number, ms: number, log: Logger = options.logger): void => {
    if (!Number.isFinite(ms)) throw new RangeError(`A rate-limit pause must be a finite number of milliseconds, not ${String(ms)}.`);
    if (ms <= 0) return;
    const state = connection(connectionId);
    const now = clock();
    accrue(now);
    state.pausedUntil = Math.max(state.pausedUntil, now + ms);
    log.info({ connection: connectionId, pauseMs: Math.round(ms) }, 'rate limiter pause');
    pump(now);
  };

  const stats = (connectionId?: number): RateLimiterStats => {
    const states = connectionId === undefined ? [...connections.values()] : [connections.get(connectionId)].filter((s): s is ConnectionState => s !== undefined);
    const total: RateLimiterStats = { requests: 0, waits: 0, waitMs: 0, byReason: zeroReasons(), inFlight: 0, queued: 0 };
    for (const s of states) {
      total.requests += s.stats.requests;
      total.waits += s.stats.waits;
      total.waitMs += s.stats.waitMs;
      for (const reason of WAIT_REASONS) total.byReason[reason] += s.stats.byReason[reason];
      total.inFlight += s.inFlight;
      total.queued += s.queued;
    }
    return total;
  };

  return { schedule, pauseConnection, stats };
};
