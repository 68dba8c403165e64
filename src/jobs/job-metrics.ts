import type { Clock } from '../platform/clock.js';
import type { TaskStatDelta } from './sql/record-stats.js';

export type Outcome = 'succeeded' | 'failed' | 'dead';

export interface TaskMetrics {
  task: string;
  succeeded: number;
  failed: number;
  dead: number;
  totalMs: number;
  maxMs: number;
}

/**
 * Counters and durations per task since start (for pages and metrics), plus
 * the deltas that the next completion flush adds to job_stats in SQLite.
 */
export class JobMetrics {
  readonly #totals = new Map<string, TaskMetrics>();
  #pending = new Map<string, TaskStatDelta>();
  #dayNumber = -1;
  #day = '';

  constructor(
    private readonly clock: Clock,
    private readonly persist: (deltas: Iterable<TaskStatDelta>) => void,
  ) {}

  record(task: string, outcome: Outcome, ms: number): void {
    const total = this.#totals.get(task) ?? { task, succeeded: 0, failed: 0, dead: 0, totalMs: 0, maxMs: 0 };
    total[outcome]++;
    total.totalMs += ms;
    total.maxMs = Math.max(total.maxMs, ms);
    this.#totals.set(task, total);

    const dayNumber = Math.floor(this.clock.now() / 86_400_000);
    if (dayNumber !== this.#dayNumber) {
      this.#dayNumber = dayNumber;
      this.#day = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
    }
    const day = this.#day;
    const key = `${task}\u0000${day}`;
    const delta = this.#pending.get(key) ?? { task, day, succeeded: 0, failed: 0, dead: 0, totalMs: 0, maxMs: 0 };
    delta[outcome]++;
    delta.totalMs += Math.round(ms);
    delta.maxMs = Math.max(delta.maxMs, Math.round(ms));
    this.#pending.set(key, delta);
  }

  /** Called inside the completion transaction, so counts and job rows change together. */
  flush(): void {
    if (this.#pending.size === 0) return;
    this.persist(this.#pending.values());
    this.#pending = new Map();
  }

  snapshot(): TaskMetrics[] {
    return [...this.#totals.values()].map((t) => ({ ...t })).sort((a, b) => a.task.localeCompare(b.task));
  }
}
