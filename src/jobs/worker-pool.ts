import { inspect } from 'node:util';
import type { DbHandle } from '../db/connection.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import { backoffMs } from './backoff.js';
import { BusyMeter } from './busy-meter.js';
import { PermanentJobError } from './errors.js';
import type { JobMetrics } from './job-metrics.js';
import type { JobQueue } from './queue.js';
import { prepareClaimJobs } from './sql/claim-jobs.js';
import { prepareCompleteJobs, type Completion } from './sql/complete-jobs.js';
import { prepareFailJobs, type Failure } from './sql/fail-jobs.js';
import { prepareReleaseJobs } from './sql/release-jobs.js';
import { toJob, type JobHelpers, type JobRow, type PoolName, type TaskList } from './types.js';

export interface PoolOptions {
  name: PoolName;
  concurrency: number;
  /** Most jobs claimed per round trip; the pool claims fewer while tasks are slow (see #nextBatchSize). */
  batchSize: number;
  pollIntervalMs: number;
  defaultTimeoutMs: number;
}

interface Running {
  row: JobRow;
  startedAt: number;
  timeoutMs: number;
  controller: AbortController | undefined;
  /** Set by the watchdog: the job already counts as failed and its slot is free, whatever the task does later. */
  abandoned: boolean;
  done: Promise<void>;
}

const errorMessage = (err: unknown): string => {
  if (err instanceof Error) return err.message || err.name;
  return `task threw a non-Error value: ${inspect(err, { depth: 2, breakLength: Infinity }).slice(0, 500)}`;
};

/** Wait before trying the database again after it refused a claim or a write (busy beyond busy_timeout, disk full). */
const STORAGE_RETRY_MS = 1000;

/** How often overdue tasks are looked for; a timeout is honoured to within this. */
const WATCHDOG_MS = 250;

/**
 * Runs one pool's jobs: claims a batch, starts up to `concurrency` tasks, and
 * writes their outcomes back in one transaction per turn of the event loop.
 * A ready job added in this process is taken in its INSERT when the pool is
 * idle, or wakes the pool at once; polling is the fallback.
 */
export class WorkerPool {
  readonly #flushAndClaim: (now: number, limit: number) => JobRow[];
  readonly #complete: ReturnType<typeof prepareCompleteJobs>;
  readonly #fail: ReturnType<typeof prepareFailJobs>;
  readonly #release: ReturnType<typeof prepareReleaseJobs>;
  readonly #flushTx: () => void;

  #active = false;
  #stopping = false;
  /** The last claim found nothing and nothing was added since: a new ready job is the best one there is. */
  #idle = false;
  #reserved = 0;
  #batch: number;
  #lastClaimAt = 0;
  #buffer: JobRow[] = [];
  #completions: Completion[] = [];
  #failures: Failure[] = [];
  #flushScheduled = false;
  #wakeScheduled = false;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #watchdog: NodeJS.Timeout | undefined;
  readonly #running = new Map<number, Running>();
  readonly #meter: BusyMeter;
  #startedAt: number;

  constructor(
    handle: DbHandle,
    private readonly queue: JobQueue,
    private readonly tasks: TaskList,
    private readonly options: PoolOptions,
    private readonly workerId: string,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly metrics: JobMetrics,
  ) {
    this.#batch = options.concurrency;
    this.#startedAt = clock.now();
    this.#meter = new BusyMeter(this.#startedAt);
    const claim = prepareClaimJobs(handle.sqlite);
    this.#complete = prepareCompleteJobs(handle.sqlite);
    this.#fail = prepareFailJobs(handle.sqlite);
    this.#release = prepareReleaseJobs(handle.sqlite);
    this.#flushTx = handle.sqlite.transaction(() => this.#writeOutcomes());
    // Outcomes of the last batch and the claim of the next share one commit.
    this.#flushAndClaim = handle.sqlite.transaction((now: number, limit: number) => {
      this.#writeOutcomes();
      return claim(this.options.name, this.workerId, now, limit);
    }).immediate;
    queue.onJobAdded(options.name, (runAt) => this.#onJobAdded(runAt), {
      reserve: () => {
        if (!this.#active || !this.#idle || this.#running.size + this.#reserved >= this.options.concurrency || this.#timerAt <= this.clock.now()) return null;
        this.#reserved++;
        return this.workerId;
      },
      accept: (row) => {
        this.#reserved--;
        this.#run(row);
      },
      cancel: () => {
        this.#reserved--;
      },
    });
  }

  get name(): PoolName {
    return this.options.name;
  }

  get busy(): number {
    return this.#running.size;
  }

  /** Busy worker-time / (concurrency × elapsed) over the last windowMs since start; 0 to 1. */
  utilization(windowMs: number): number {
    return this.#meter.utilization(this.clock.now(), windowMs, this.options.concurrency, this.#startedAt);
  }

  start(): void {
    this.#active = true;
    this.#startedAt = this.clock.now();
    this.#meter.change(this.#startedAt, this.#running.size);
    // A runner may be started again after stop(); its new tasks must not see the old shutdown.
    this.#stopping = false;
    this.#watchdog = setInterval(() => this.#checkTimeouts(), WATCHDOG_MS);
    this.#watchdog.unref();
    this.wake();
  }

  wake(): void {
    this.#idle = false;
    if (!this.#active || this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    queueMicrotask(() => {
      this.#wakeScheduled = false;
      this.#fill();
    });
  }

  #onJobAdded(runAt: number): void {
    if (runAt <= this.clock.now()) this.wake();
    else this.#scheduleTimer(runAt);
  }

  #scheduleTimer(at: number): void {
    if (!this.#active) return;
    const due = Math.min(at, this.clock.now() + this.options.pollIntervalMs);
    if (this.#timer && this.#timerAt <= due) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = due;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#idle = false;
      this.#fill();
    }, Math.max(0, due - this.clock.now()));
    this.#timer.unref();
  }

  #fill(): void {
    while (this.#active && this.#running.size + this.#reserved < this.options.concurrency) {
      let row = this.#buffer.shift();
      if (!row) {
        let claimed: JobRow[];
        try {
          claimed = this.#flushAndClaim(this.clock.now(), this.#nextBatchSize());
        } catch (err) {
          this.#storageTrouble(err, 'could not claim jobs');
          return;
        }
        if (claimed.length === 0) {
          this.#idle = true;
          this.#scheduleTimer(Infinity);
          return;
        }
        this.#buffer = claimed;
        row = this.#buffer.shift()!;
      }
      this.#run(row);
    }
  }

  /**
   * Big batches amortise the commit for fast jobs; small ones keep priorities
   * sharp and locks short for slow jobs. A batch that drained quickly doubles
   * the next one, a slow one halves it, never below the concurrency.
   */
  #nextBatchSize(): number {
    const now = performance.now();
    const elapsed = now - this.#lastClaimAt;
    this.#lastClaimAt = now;
    if (elapsed < 20) this.#batch = Math.min(this.#batch * 2, this.options.batchSize);
    else if (elapsed > 200) this.#batch = Math.max(this.options.concurrency, Math.floor(this.#batch / 2));
    return this.#batch;
  }

  #run(row: JobRow): void {
    const task = this.tasks[row.task_identifier];
    const running: Running = { row, startedAt: this.clock.now(), timeoutMs: task?.timeoutMs ?? this.options.defaultTimeoutMs, controller: undefined, abandoned: false, done: Promise.resolve() };
    this.#running.set(row.id, running);
    this.#busyChanged();
    running.done = this.#execute(row, running).finally(() => {
      if (running.abandoned) return;
      this.#running.delete(row.id);
      this.#busyChanged();
      this.#scheduleFlush();
      this.#fill();
    });
  }

  async #execute(row: JobRow, running: Running): Promise<void> {
    const task = this.tasks[row.task_identifier];
    const started = performance.now();
    if (this.events.listening('job.started')) this.events.emit('job.started', { id: row.id, task: row.task_identifier, pool: row.pool, attempt: row.attempts });
    try {
      if (!task) throw new PermanentJobError(`unknown task "${row.task_identifier}": no task with this identifier is registered (known: ${Object.keys(this.tasks).sort().join(', ') || 'none'})`);
      const job = toJob(row);
      const parentLogger = this.logger;
      const isStopping = () => this.#stopping;
      let logger: Logger | undefined;
      const helpers: JobHelpers = {
        job,
        get logger() {
          return (logger ??= parentLogger.child({ job: row.id, task: row.task_identifier, attempt: row.attempts }));
        },
        addJob: (identifier, payload, spec) => this.queue.addJob(identifier, payload, spec),
        // Created on first use: most tasks never look at it, and the hot path stays cheap.
        get abortSignal() {
          if (!running.controller) {
            running.controller = new AbortController();
            if (isStopping()) running.controller.abort(new Error('the job runner is shutting down'));
          }
          return running.controller.signal;
        },
      };
      await task(job.payload, helpers);
      if (running.abandoned) return;
      const ms = performance.now() - started;
      this.#completions.push({ id: row.id, queueName: row.queue_name });
      this.metrics.record(row.task_identifier, 'succeeded', ms);
      if (this.events.listening('job.succeeded')) this.events.emit('job.succeeded', { id: row.id, task: row.task_identifier, pool: row.pool, attempt: row.attempts, ms });
    } catch (err) {
      if (!running.abandoned) this.#recordFailure(row, task?.maxAgeMs, err, performance.now() - started);
    }
  }

  /** Fails tasks that overran their timeout and frees their slots; a late finish is then ignored. */
  #checkTimeouts(): void {
    const now = this.clock.now();
    let freed = false;
    for (const running of [...this.#running.values()]) {
      if (now - running.startedAt < running.timeoutMs) continue;
      freed = true;
      const err = new Error(`task did not finish within ${running.timeoutMs} ms and was abandoned`);
      running.abandoned = true;
      running.controller?.abort(err);
      this.#running.delete(running.row.id);
      this.#busyChanged();
      this.#recordFailure(running.row, this.tasks[running.row.task_identifier]?.maxAgeMs, err, now - running.startedAt);
      this.#scheduleFlush();
    }
    if (freed) this.#fill();
  }

  #recordFailure(row: JobRow, maxAgeMs: number | undefined, err: unknown, ms: number): void {
    const now = this.clock.now();
    let message = errorMessage(err);
    const tooOld = maxAgeMs !== undefined && now - row.created_at >= maxAgeMs;
    if (tooOld && !(err instanceof PermanentJobError)) message = `${message} (not retried: the job is older than its maximum age of ${maxAgeMs} ms)`;
    const final = err instanceof PermanentJobError || tooOld || row.attempts >= row.max_attempts;
    // An upstream that said when to come back (Retry-After) is not asked again sooner.
    const asked = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
    const retryAt = now + Math.max(backoffMs(row.attempts), typeof asked === 'number' && Number.isFinite(asked) ? asked : 0);
    this.#failures.push({ id: row.id, queueName: row.queue_name, attempt: row.attempts, message, retryAt, final, at: now });
    this.metrics.record(row.task_identifier, final ? 'dead' : 'failed', ms);
    const fields = { job: row.id, task: row.task_identifier, attempt: row.attempts, ms: Math.round(ms), err };
    if (final) {
      this.logger.error(fields, 'job is dead');
      this.events.emit('job.dead', { id: row.id, task: row.task_identifier, pool: row.pool, attempt: row.attempts, ms, error: message });
    } else {
      this.logger.warn({ ...fields, retryAt: new Date(retryAt).toISOString() }, 'job failed; will retry');
      this.events.emit('job.failed', { id: row.id, task: row.task_identifier, pool: row.pool, attempt: row.attempts, ms, error: message, retryAt });
      this.#scheduleTimer(retryAt);
    }
  }

  #busyChanged(): void {
    this.#meter.change(this.clock.now(), this.#running.size);
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  /** Runs inside a transaction; the outcomes are dropped from memory only once written, so a failed write loses nothing. */
  #writeOutcomes(): void {
    if (this.#completions.length === 0 && this.#failures.length === 0) return;
    this.#complete(this.#completions);
    this.#fail(this.#failures);
    this.metrics.flush();
    this.#completions = [];
    this.#failures = [];
  }

  #flush(): void {
    if (this.#completions.length === 0 && this.#failures.length === 0) return;
    try {
      this.#flushTx();
    } catch (err) {
      this.#storageTrouble(err, 'could not record job outcomes');
    }
  }

  /** A locked or failing database must not crash the process: log, keep the outcomes, and try again shortly. */
  #storageTrouble(err: unknown, message: string): void {
    this.logger.error({ pool: this.options.name, err }, `${message}; retrying in ${STORAGE_RETRY_MS} ms`);
    this.#scheduleTimer(this.clock.now() + STORAGE_RETRY_MS);
  }

  /** Stops claiming, gives back unstarted jobs, signals running tasks and waits for them up to `timeoutMs`. */
  async stop(timeoutMs: number): Promise<{ abandoned: number }> {
    this.#active = false;
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#release.unstarted(this.#buffer, this.clock.now());
    this.#buffer = [];
    for (const running of this.#running.values()) running.controller?.abort(new Error('the job runner is shutting down'));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.all([...this.#running.values()].map((r) => r.done)).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
    this.#flush();
    const left = [...this.#running.values()];
    if (timedOut && left.length) {
      // Their attempt counts: the task did start. The next start runs them again.
      this.#release.abandoned(left.map((r) => r.row), this.clock.now());
      // As with a timeout, a late finish is ignored: the job is no longer ours, and the database may be closed by then.
      for (const r of left) {
        r.abandoned = true;
        this.#running.delete(r.row.id);
      }
      this.#busyChanged();
      this.logger.warn({ pool: this.options.name, jobs: left.length, ms: timeoutMs }, 'tasks still running at shutdown were released');
    }
    return { abandoned: timedOut ? left.length : 0 };
  }
}
