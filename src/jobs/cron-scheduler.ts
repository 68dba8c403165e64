import type { DbHandle } from '../db/connection.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { nextTick, ticksBetween, type CronItem } from './crontab.js';
import type { JobQueue } from './queue.js';
import { prepareKnownCrontabs } from './sql/known-crontabs.js';

/**
 * The longest the timer waits before looking again. setTimeout fires at once
 * for delays over 2^31-1 ms (about 24.8 days), which a yearly entry would
 * exceed; an early wake-up queues nothing and waits again.
 */
const MAX_WAIT_MS = 3_600_000;

export interface CronEntryStatus {
  item: CronItem;
  lastExecution: number | null;
  nextRun: number;
}

/**
 * Queues cron jobs at their ticks. Each tick is claimed in the same
 * transaction that queues its job, so a tick is never run twice, even across
 * restarts; ticks missed while stopped are run only within the entry's `fill`.
 */
export class CronScheduler {
  readonly #known: ReturnType<typeof prepareKnownCrontabs>;
  readonly #fire: (item: CronItem, tick: number, backfilled: boolean) => boolean;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    handle: DbHandle,
    private readonly queue: JobQueue,
    private readonly items: CronItem[],
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.#known = prepareKnownCrontabs(handle.sqlite);
    this.#fire = handle.sqlite.transaction((item: CronItem, tick: number, backfilled: boolean): boolean => {
      if (!this.#known.advance(item.identifier, tick)) return false;
      this.queue.addJobSync(item.task, { ...item.payload, _cron: { ts: new Date(tick).toISOString(), backfilled } }, {
        ...(item.queueName ? { queueName: item.queueName } : {}),
        ...(item.maxAttempts ? { maxAttempts: item.maxAttempts } : {}),
        ...(item.priority !== undefined ? { priority: item.priority } : {}),
        ...(item.jobKey ? { jobKey: item.jobKey } : {}),
        ...(item.jobKeyMode ? { jobKeyMode: item.jobKeyMode } : {}),
      });
      return true;
    });
  }

  /** Queues every due tick not yet run: missed ones within `fill`, and the current one. Returns how many were queued. */
  catchUp(): number {
    const now = this.clock.now();
    let queued = 0;
    for (const item of this.items) {
      this.#known.ensure(item.identifier, now);
      const known = this.#known.get(item.identifier)!;
      // Never before the entry was first seen; without fill only the current minute's tick, with fill back to now - fill.
      const floor = Math.max(known.last_execution ?? known.known_since, now - Math.max(item.fillMs, 60_000));
      for (const tick of ticksBetween(item.expression, floor, now)) {
        const backfilled = now - tick >= 60_000;
        if (this.#fire(item, tick, backfilled)) {
          queued++;
          this.logger.info({ cron: item.identifier, task: item.task, tick: new Date(tick).toISOString(), backfilled }, 'cron job queued');
        }
      }
    }
    return queued;
  }

  status(): CronEntryStatus[] {
    const now = this.clock.now();
    return this.items.map((item) => ({ item, lastExecution: this.#known.get(item.identifier)?.last_execution ?? null, nextRun: nextTick(item.expression, now) }));
  }

  start(): void {
    this.catchUp();
    this.#schedule();
  }

  #schedule(): void {
    if (this.items.length === 0) return;
    const now = this.clock.now();
    const next = Math.min(...this.items.map((i) => nextTick(i.expression, now)));
    this.#timer = setTimeout(() => {
      this.catchUp();
      this.#schedule();
    }, Math.min(Math.max(0, next - now) + 5, MAX_WAIT_MS));
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
