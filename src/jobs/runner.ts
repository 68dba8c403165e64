import crypto from 'node:crypto';
import type { DbHandle } from '../db/connection.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import { CronScheduler } from './cron-scheduler.js';
import type { CronItem } from './crontab.js';
import { JobMetrics } from './job-metrics.js';
import type { JobQueue } from './queue.js';
import { prepareRecordStats } from './sql/record-stats.js';
import { prepareReleaseJobs } from './sql/release-jobs.js';
import type { PoolName, TaskList } from './types.js';
import { WorkerPool } from './worker-pool.js';

export interface PoolConfig {
  concurrency: number;
  batchSize?: number;
}

export interface PoolStatus {
  name: PoolName;
  concurrency: number;
  busy: number;
  utilization: { lastMinute: number; lastFiveMinutes: number };
}

export interface RunnerOptions {
  pools: Record<PoolName, PoolConfig>;
  pollIntervalMs: number;
  /** A lock older than this is presumed abandoned and the job is run again. */
  lockTimeoutMs: number;
  shutdownTimeoutMs: number;
  defaultTaskTimeoutMs: number;
  crontab: CronItem[];
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  pools: { default: { concurrency: 4 }, ui_fast: { concurrency: 2 } },
  pollIntervalMs: 2000,
  lockTimeoutMs: 4 * 3_600_000,
  shutdownTimeoutMs: 10_000,
  defaultTaskTimeoutMs: 5 * 60_000,
  crontab: [],
};

/** Runs the worker pools and the cron scheduler of this process; start() reclaims what a dead process left locked. */
export class JobRunner {
  readonly workerId = `worker-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  readonly metrics: JobMetrics;
  readonly cron: CronScheduler;
  readonly #pools: WorkerPool[];
  readonly #release: ReturnType<typeof prepareReleaseJobs>;
  #sweep: NodeJS.Timeout | undefined;
  #started = false;

  constructor(
    handle: DbHandle,
    queue: JobQueue,
    tasks: TaskList,
    private readonly options: RunnerOptions,
    private readonly clock: Clock,
    events: EventBus,
    private readonly logger: Logger,
  ) {
    this.metrics = new JobMetrics(clock, prepareRecordStats(handle.sqlite));
    this.#release = prepareReleaseJobs(handle.sqlite);
    this.#pools = (Object.entries(options.pools) as [PoolName, PoolConfig][]).map(
      ([name, cfg]) =>
        new WorkerPool(
          handle,
          queue,
          tasks,
          { name, concurrency: cfg.concurrency, batchSize: cfg.batchSize ?? Math.max(cfg.concurrency, 500), pollIntervalMs: options.pollIntervalMs, defaultTimeoutMs: options.defaultTaskTimeoutMs },
          this.workerId,
          clock,
          events,
          logger.child({ pool: name }),
          this.metrics,
        ),
    );
    this.cron = new CronScheduler(handle, queue, options.crontab, clock, logger.child({ component: 'cron' }));
  }

  get started(): boolean {
    return this.#started;
  }

  /** Each pool's size, tasks running now, and utilization (0 to 1) over the last minute and five minutes. */
  pools(): PoolStatus[] {
    return this.#pools.map((p) => ({
      name: p.name,
      concurrency: this.options.pools[p.name].concurrency,
      busy: p.busy,
      utilization: { lastMinute: p.utilization(60_000), lastFiveMinutes: p.utilization(5 * 60_000) },
    }));
  }

  /** Looks for due jobs now rather than at the next poll (after the clock moved, in tests and the demo). */
  wake(): void {
    for (const pool of this.#pools) pool.wake();
  }

  /** Gives back locks of dead workers and those past the lock timeout. */
  reclaim(): number {
    const now = this.clock.now();
    const released = this.#release.stale(this.workerId, now - this.options.lockTimeoutMs, now);
    if (released) this.logger.warn({ jobs: released }, 'reclaimed jobs locked by a worker that stopped or timed out');
    return released;
  }

  start(): void {
    if (this.#started) return;
    this.reclaim();
    for (const pool of this.#pools) pool.start();
    this.cron.start();
    this.#sweep = setInterval(() => {
      try {
        if (this.reclaim()) for (const pool of this.#pools) pool.wake();
      } catch (err) {
        this.logger.error({ err }, 'could not reclaim stale locks; will try again');
      }
    }, Math.min(this.options.lockTimeoutMs, 60_000));
    this.#sweep.unref();
    this.#started = true;
    this.logger.info({ worker: this.workerId, pools: this.pools().map((p) => `${p.name}:${p.concurrency}`).join(','), cron: this.options.crontab.length }, 'job runner started');
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    if (this.#sweep) clearInterval(this.#sweep);
    this.cron.stop();
    const results = await Promise.all(this.#pools.map((p) => p.stop(this.options.shutdownTimeoutMs)));
    this.logger.info({ abandoned: results.reduce((n, r) => n + r.abandoned, 0) }, 'job runner stopped');
  }
}
