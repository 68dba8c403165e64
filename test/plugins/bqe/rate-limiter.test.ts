import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { loadProvider, type RateLimit } from '../../../src/plugins/bqe/provider.js';
import { createRateLimiter, type RateLimiterOptions } from '../../../src/plugins/bqe/rate-limiter.js';

const SHIPPED_MARGIN_MS = loadProvider().rateLimits.spacingMarginMs;

/** Time that only moves when the test says so; sleeps resolve in order as it passes. */
class FakeTime {
  now = 0;
  #timers: { at: number; seq: number; fire: () => void }[] = [];
  #seq = 0;

  clock = (): number => this.now;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      const timer = {
        at: this.now + Math.max(0, ms),
        seq: this.#seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timers.push(timer);
    });

  /** Lets every promise chain that is ready run to completion. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  async advanceTo(target: number): Promise<void> {
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.now = Math.max(this.now, due.at);
      due.fire();
      await this.settle();
    }
    this.now = Math.max(this.now, target);
    await this.settle();
  }

  advance(ms: number): Promise<void> {
    return this.advanceTo(this.now + ms);
  }

  async runUntilIdle(): Promise<void> {
    await this.settle();
    while (this.#timers.length > 0) await this.advanceTo(Math.min(...this.#timers.map((t) => t.at)));
  }
}

/** A logger whose lines land in an array. */
const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  const waits = () => lines.filter((l) => l.msg === 'rate limiter wait').map((l) => ({ connection: l.connection, waitMs: l.waitMs, reason: l.reason }));
  return { logger, lines, waits };
};

const setup = (perConnection: RateLimit, provider: RateLimit, extra: Partial<RateLimiterOptions> = {}) => {
  const time = new FakeTime();
  const log = capture();
  const limiter = createRateLimiter({ perConnection, provider, logger: log.logger, clock: time.clock, sleep: time.sleep, spacingMarginMs: 0, ...extra });
  /** Schedules a call that records when it started and finishes after `durationMs` of fake time. */
  const started: { connection: number; at: number; label: string }[] = [];
  const call = (connection: number, label = '', durationMs = 0, signal?: AbortSignal) =>
    limiter.schedule(
      connection,
      async () => {
        started.push({ connection, at: time.now, label });
        if (durationMs > 0) await time.sleep(durationMs);
        return label;
      },
      signal === undefined ? {} : { signal },
    );
  return { time, log, limiter, started, call };
};

/** A call that runs until the test releases it. */
const gate = () => {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { release, fn: () => done };
};

describe('pacing per connection', () => {
  test('starts the first call at once and spaces the rest 60000 / requestsPerMinute apart', async () => {
    const { time, started, call, log, limiter } = setup({ requestsPerMinute: 100, maxConcurrency: 5 }, { requestsPerMinute: 1000, maxConcurrency: 10 });
    const results = Promise.all([call(1, 'a'), call(1, 'b'), call(1, 'c'), call(1, 'd')]);
    await time.runUntilIdle();
    assert.deepEqual(await results, ['a', 'b', 'c', 'd']);
    assert.deepEqual(started.map((s) => s.at), [0, 600, 1200, 1800]);
    assert.deepEqual(log.waits(), [
      { connection: 1, waitMs: 600, reason: 'connection_rate' },
      { connection: 1, waitMs: 1200, reason: 'connection_rate' },
      { connection: 1, waitMs: 1800, reason: 'connection_rate' },
    ]);
    assert.deepEqual(limiter.stats(1), {
      requests: 4,
      waits: 3,
      waitMs: 3600,
      byReason: { connection_rate: 3, provider_rate: 0, connection_concurrency: 0, provider_concurrency: 0, retry_after: 0 },
      inFlight: 0,
      queued: 0,
    });
  });

  test('does not wait or log when calls arrive slower than the cap', async () => {
    const { time, started, call, log, limiter } = setup({ requestsPerMinute: 100, maxConcurrency: 2 }, { requestsPerMinute: 300, maxConcurrency: 6 });
    for (let i = 0; i < 3; i++) {
      await call(1);
      await time.advance(1000);
    }
    assert.deepEqual(started.map((s) => s.at), [0, 1000, 2000]);
    assert.deepEqual(log.waits(), []);
    assert.equal(limiter.stats().waits, 0);
  });

  test('keeps each connection in first-in, first-out order', async () => {
    const { time, started, call } = setup({ requestsPerMinute: 60, maxConcurrency: 1 }, { requestsPerMinute: 600, maxConcurrency: 4 });
    const all = Promise.all(['p1', 'p2', 'p3', 'p4', 'p5'].map((label) => call(7, label, 50)));
    await time.runUntilIdle();
    await all;
    assert.deepEqual(started.map((s) => s.label), ['p1', 'p2', 'p3', 'p4', 'p5']);
  });

  test('adds the default spacing margin so arrival jitter cannot overfill a window', async () => {
    const { time, started, call } = setup({ requestsPerMinute: 100, maxConcurrency: 2 }, { requestsPerMinute: 300, maxConcurrency: 6 }, { spacingMarginMs: SHIPPED_MARGIN_MS });
    const all = Promise.all([call(1), call(1), call(1)]);
    await time.runUntilIdle();
    await all;
    const step = 600 + SHIPPED_MARGIN_MS;
    assert.deepEqual(started.map((s) => s.at), [0, step, 2 * step]);
  });
});

describe('provider-wide throttle', () => {
  test('paces calls across two connections with the provider cap', async () => {
    const { time, started, call, log, limiter } = setup({ requestsPerMinute: 100, maxConcurrency: 5 }, { requestsPerMinute: 150, maxConcurrency: 10 });
    const all = Promise.all([call(1, 'A0'), call(1, 'A1'), call(1, 'A2'), call(2, 'B0'), call(2, 'B1'), call(2, 'B2')]);
    await time.runUntilIdle();
    await all;
    assert.deepEqual(
      started.map((s) => `${s.label}@${s.at}`),
      ['A0@0', 'B0@400', 'A1@800', 'B1@1200', 'A2@1600', 'B2@2000'],
    );
    assert.deepEqual(log.waits()[0], { connection: 2, waitMs: 400, reason: 'provider_rate' });
    assert.equal(limiter.stats(2).byReason.provider_rate, 3);
    assert.equal(limiter.stats().requests, 6);
  });

  test('lets a connection go ahead while another is held back by its own limit', async () => {
    const { time, started, call, limiter } = setup({ requestsPerMinute: 60, maxConcurrency: 2 }, { requestsPerMinute: 600, maxConcurrency: 6 });
    limiter.pauseConnection(1, 10_000);
    const all = Promise.all([call(1, 'A0'), call(2, 'B0'), call(2, 'B1')]);
    await time.runUntilIdle();
    await all;
    assert.deepEqual(started.map((s) => `${s.label}@${s.at}`), ['B0@0', 'B1@1000', 'A0@10000']);
  });
});

describe('concurrency caps', () => {
  test('runs at most maxConcurrency calls of one connection and starts the next when one ends', async () => {
    const { time, limiter, log } = setup({ requestsPerMinute: 600_000, maxConcurrency: 2 }, { requestsPerMinute: 600_000, maxConcurrency: 10 });
    const gates = [gate(), gate(), gate(), gate()];
    const running = gates.map((g) => limiter.schedule(1, g.fn));
    await time.advance(1);
    assert.equal(limiter.stats(1).inFlight, 2);
    assert.equal(limiter.stats(1).queued, 2);
    await time.advance(499);
    gates[0]?.release();
    await time.settle();
    assert.deepEqual({ inFlight: limiter.stats(1).inFlight, queued: limiter.stats(1).queued }, { inFlight: 2, queued: 1 });
    assert.deepEqual(log.waits(), [{ connection: 1, waitMs: 500, reason: 'connection_concurrency' }]);
    for (const g of gates) g.release();
    await time.runUntilIdle();
    await Promise.all(running);
    assert.deepEqual({ inFlight: limiter.stats().inFlight, queued: limiter.stats().queued, requests: limiter.stats().requests }, { inFlight: 0, queued: 0, requests: 4 });
    assert.equal(limiter.stats(1).byReason.connection_concurrency, 2);
  });

  test('runs at most the provider maxConcurrency across connections', async () => {
    const { time, limiter, log } = setup({ requestsPerMinute: 600_000, maxConcurrency: 2 }, { requestsPerMinute: 600_000, maxConcurrency: 3 });
    const gates = [gate(), gate(), gate(), gate()];
    const running = [limiter.schedule(1, gates[0]!.fn), limiter.schedule(1, gates[1]!.fn), limiter.schedule(2, gates[2]!.fn), limiter.schedule(2, gates[3]!.fn)];
    await time.advance(1);
    assert.equal(limiter.stats().inFlight, 3);
    assert.deepEqual({ inFlight: limiter.stats(2).inFlight, queued: limiter.stats(2).queued }, { inFlight: 1, queued: 1 });
    await time.advance(249);
    gates[0]!.release();
    await time.settle();
    assert.equal(limiter.stats(2).inFlight, 2);
    assert.deepEqual(log.waits(), [{ connection: 2, waitMs: 250, reason: 'provider_concurrency' }]);
    for (const g of gates) g.release();
    await Promise.all(running);
  });

  test('frees the slot when a call fails and passes the error on', async () => {
    const { time, limiter } = setup({ requestsPerMinute: 600_000, maxConcurrency: 1 }, { requestsPerMinute: 600_000, maxConcurrency: 1 });
    const failing = assert.rejects(
      limiter.schedule(1, async () => {
        throw new Error('BQE said no');
      }),
      /BQE said no/,
    );
    const next = limiter.schedule(1, async () => 'ran');
    await time.runUntilIdle();
    await failing;
    assert.equal(await next, 'ran');
    assert.equal(limiter.stats().inFlight, 0);
  });
});

describe('Retry-After pauses', () => {
  test('holds new starts for that connection until the pause ends, and logs the reason', async () => {
    const { time, started, call, log, limiter } = setup({ requestsPerMinute: 100, maxConcurrency: 2 }, { requestsPerMinute: 300, maxConcurrency: 6 });
    await call(1, 'before');
    await time.advance(1000);
    limiter.pauseConnection(1, 5000);
    const after = call(1, 'after');
    const other = call(2, 'other');
    await time.runUntilIdle();
    await Promise.all([after, other]);
    assert.deepEqual(started.map((s) => `${s.label}@${s.at}`), ['before@0', 'other@1000', 'after@6000']);
    assert.deepEqual(log.waits(), [{ connection: 1, waitMs: 5000, reason: 'retry_after' }]);
    assert.ok(log.lines.some((l) => l.msg === 'rate limiter pause' && l.connection === 1 && l.pauseMs === 5000));
    assert.equal(limiter.stats(1).byReason.retry_after, 1);
  });

  test('a shorter later pause does not cut an earlier longer one short', async () => {
    const { time, started, call, limiter } = setup({ requestsPerMinute: 100, maxConcurrency: 2 }, { requestsPerMinute: 300, maxConcurrency: 6 });
    limiter.pauseConnection(1, 8000);
    limiter.pauseConnection(1, 1000);
    const p = call(1);
    await time.runUntilIdle();
    await p;
    assert.deepEqual(started.map((s) => s.at), [8000]);
  });

  test('counts the wait by what held the call back longest', async () => {
    const { time, call, log, limiter } = setup({ requestsPerMinute: 60, maxConcurrency: 2 }, { requestsPerMinute: 600, maxConcurrency: 6 });
    const first = call(1);
    const second = call(1);
    await time.advance(100);
    limiter.pauseConnection(1, 3000);
    await time.runUntilIdle();
    await Promise.all([first, second]);
    // 100 ms held by pacing, then 3000 ms by the pause.
    assert.deepEqual(log.waits(), [{ connection: 1, waitMs: 3100, reason: 'retry_after' }]);
  });

  test('refuses a pause that is not a finite number of milliseconds', () => {
    const { limiter } = setup({ requestsPerMinute: 100, maxConcurrency: 2 }, { requestsPerMinute: 300, maxConcurrency: 6 });
    assert.throws(() => limiter.pauseConnection(1, Number.POSITIVE_INFINITY), RangeError);
  });
});

describe('aborting a queued call', () => {
  test('rejects with the signal reason, takes nothing and leaves the queue order intact', async () => {
    const { time, started, call, limiter, log } = setup({ requestsPerMinute: 100, maxConcurrency: 2 }, { requestsPerMinute: 300, maxConcurrency: 6 });
    const controller = new AbortController();
    const first = call(1, 'first');
    const doomed = call(1, 'doomed', 0, controller.signal);
    const last = call(1, 'last');
    await time.advance(200);
    assert.equal(limiter.stats(1).queued, 2);
    controller.abort(new Error('job cancelled'));
    await assert.rejects(doomed, /job cancelled/);
    assert.equal(limiter.stats(1).queued, 1);
    await time.runUntilIdle();
    await Promise.all([first, last]);
    assert.deepEqual(started.map((s) => `${s.label}@${s.at}`), ['first@0', 'last@600']);
    assert.deepEqual(limiter.stats(1), {
      requests: 2,
      waits: 1,
      waitMs: 600,
      byReason: { connection_rate: 1, provider_rate: 0, connection_concurrency: 0, provider_concurrency: 0, retry_after: 0 },
      inFlight: 0,
      queued: 0,
    });
    assert.equal(log.waits().length, 1);
  });

  test('rejects at once when the signal is already aborted', async () => {
    const { call, limiter } = setup({ requestsPerMinute: 100, maxConcurrency: 2 }, { requestsPerMinute: 300, maxConcurrency: 6 });
    const reason = new Error('already stopped');
    await assert.rejects(call(1, 'x', 0, AbortSignal.abort(reason)), (err) => err === reason);
    assert.deepEqual({ requests: limiter.stats().requests, queued: limiter.stats().queued }, { requests: 0, queued: 0 });
  });

  test('an abort after the call started does not touch the limiter', async () => {
    const { time, limiter } = setup({ requestsPerMinute: 600_000, maxConcurrency: 1 }, { requestsPerMinute: 600_000, maxConcurrency: 1 });
    const controller = new AbortController();
    const g = gate();
    const running = limiter.schedule(1, g.fn, { signal: controller.signal });
    await time.settle();
    controller.abort(new Error('late'));
    assert.equal(limiter.stats(1).inFlight, 1);
    g.release();
    await running;
    assert.equal(limiter.stats(1).inFlight, 0);
  });
});

describe('logging', () => {
  test('writes the wait line to the caller logger when one is given', async () => {
    const { time, limiter, log } = setup({ requestsPerMinute: 100, maxConcurrency: 2 }, { requestsPerMinute: 300, maxConcurrency: 6 });
    const jobLog = capture();
    const a = limiter.schedule(3, async () => 1);
    const b = limiter.schedule(3, async () => 2, { log: jobLog.logger.child({ jobId: 42 }) });
    await time.runUntilIdle();
    await Promise.all([a, b]);
    assert.deepEqual(log.waits(), []);
    assert.equal(jobLog.lines.length, 1);
    assert.deepEqual(jobLog.lines[0] && { jobId: jobLog.lines[0].jobId, level: jobLog.lines[0].level, msg: jobLog.lines[0].msg, connection: jobLog.lines[0].connection, waitMs: jobLog.lines[0].waitMs, reason: jobLog.lines[0].reason }, {
      jobId: 42,
      level: 30,
      msg: 'rate limiter wait',
      connection: 3,
      waitMs: 600,
      reason: 'connection_rate',
    });
  });
});

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

/** The most starts inside any closed 60-second window [t, t + 60000]. */
const busiestMinute = (times: number[]): number => {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) > 60_000) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
};

describe('never more than the cap in any 60-second window', () => {
  const meta = loadProvider();
  const { perConnection, provider } = meta.rateLimits;

  test('500 calls on one connection use at least 95 % of the cap and never overfill a window', async () => {
    const { time, started, call } = setup(perConnection, provider, { spacingMarginMs: SHIPPED_MARGIN_MS });
    const random = prng(1);
    const all = Array.from({ length: 500 }, () => call(1, '', Math.floor(random() * 900)));
    await time.runUntilIdle();
    await Promise.all(all);
    const times = started.map((s) => s.at);
    assert.ok(busiestMinute(times) <= perConnection.requestsPerMinute, `busiest minute held ${busiestMinute(times)}`);
    const elapsed = (times.at(-1) as number) - (times[0] as number);
    const achieved = ((times.length - 1) / elapsed) * 60_000;
    assert.ok(achieved >= 0.95 * perConnection.requestsPerMinute, `achieved ${achieved.toFixed(2)}/min`);
  });

  test('500 calls spread over five connections respect each cap and the provider cap', async () => {
    const { time, started, call, limiter } = setup(perConnection, provider, { spacingMarginMs: SHIPPED_MARGIN_MS });
    const random = prng(7);
    const all: Promise<string>[] = [];
    for (let i = 0; i < 500; i++) {
      if (random() < 0.1) await time.advance(Math.floor(random() * 20_000));
      all.push(call(1 + Math.floor(random() * 5), '', Math.floor(random() * 3000)));
    }
    await time.runUntilIdle();
    await Promise.all(all);
    assert.equal(started.length, 500);
    assert.ok(busiestMinute(started.map((s) => s.at)) <= provider.requestsPerMinute);
    for (let connection = 1; connection <= 5; connection++) {
      const mine = started.filter((s) => s.connection === connection).map((s) => s.at);
      assert.ok(busiestMinute(mine) <= perConnection.requestsPerMinute, `connection ${connection} held ${busiestMinute(mine)} in a minute`);
    }
    const stats = limiter.stats();
    assert.equal(stats.requests, 500);
    assert.equal(stats.waits, Object.values(stats.byReason).reduce((a, b) => a + b, 0));
    assert.deepEqual({ inFlight: stats.inFlight, queued: stats.queued }, { inFlight: 0, queued: 0 });
  });

  test('stays under the cap and starts nothing during Retry-After pauses', async () => {
    const { time, started, call, limiter } = setup({ requestsPerMinute: 100, maxConcurrency: 2 }, { requestsPerMinute: 150, maxConcurrency: 3 });
    const random = prng(99);
    const all = Array.from({ length: 300 }, (_, i) => call(1 + (i % 2), '', Math.floor(random() * 500)));
    const pauses: { connection: number; from: number; until: number }[] = [];
    for (let i = 0; i < 6; i++) {
      await time.advance(15_000);
      const pause = { connection: 1 + (i % 2), from: time.now, until: time.now + 2000 + Math.floor(random() * 5000) };
      limiter.pauseConnection(pause.connection, pause.until - pause.from);
      pauses.push(pause);
    }
    await time.runUntilIdle();
    await Promise.all(all);
    assert.ok(busiestMinute(started.map((s) => s.at)) <= 150);
    for (const connection of [1, 2]) assert.ok(busiestMinute(started.filter((s) => s.connection === connection).map((s) => s.at)) <= 100);
    for (const p of pauses) {
      const during = started.filter((s) => s.connection === p.connection && s.at >= p.from && s.at < p.until);
      assert.deepEqual(during, [], `connection ${p.connection} started calls while paused`);
    }
  });
});
