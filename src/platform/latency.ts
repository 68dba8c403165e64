export type LatencySource = 'server' | 'browser';

export interface Percentiles {
  /** Samples recorded since start; the percentiles cover only the most recent window of them. */
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface ActionLatency {
  action: string;
  server: Percentiles | undefined;
  browser: Percentiles | undefined;
}

export interface LatencyOptions {
  /** Distinct actions kept; past this the one recorded least recently is forgotten. */
  maxActions: number;
  /** Recent samples kept per action and source; the percentiles are exact over these. */
  windowSize: number;
}

export const DEFAULT_LATENCY_OPTIONS: LatencyOptions = { maxActions: 200, windowSize: 512 };

/** The last `size` samples in a ring, and how many were ever added. */
class SampleWindow {
  readonly #values: Float64Array;
  #next = 0;
  #filled = 0;
  #count = 0;

  constructor(size: number) {
    this.#values = new Float64Array(size);
  }

  add(ms: number): void {
    this.#values[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#values.length;
    this.#filled = Math.min(this.#filled + 1, this.#values.length);
    this.#count++;
  }

  percentiles(): Percentiles {
    const sorted = this.#values.slice(0, this.#filled).sort();
    // Nearest rank: the smallest sample with at least p of the samples at or below it.
    const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
    return { count: this.#count, p50: rank(0.5), p95: rank(0.95), p99: rank(0.99) };
  }
}

interface ActionSeries {
  server?: SampleWindow;
  browser?: SampleWindow;
}

/**
 * How long actions take, seen from the server (handler time) and from the
 * browser (click to settled page). In memory only and bounded: a hub restart
 * starts it afresh, which is what a diagnostics view wants.
 */
export class LatencyRecorder {
  readonly #actions = new Map<string, ActionSeries>();
  readonly #options: LatencyOptions;
  #forgotten = 0;

  constructor(options: Partial<LatencyOptions> = {}) {
    this.#options = { ...DEFAULT_LATENCY_OPTIONS, ...options };
  }

  record(source: LatencySource, action: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    let series = this.#actions.get(action);
    if (series) {
      // Re-inserting keeps the map in least-recently-recorded order, so the first key is the one to forget.
      this.#actions.delete(action);
    } else {
      series = {};
      if (this.#actions.size >= this.#options.maxActions) {
        const oldest = this.#actions.keys().next().value;
        if (oldest !== undefined) this.#actions.delete(oldest);
        this.#forgotten++;
      }
    }
    this.#actions.set(action, series);
    (series[source] ??= new SampleWindow(this.#options.windowSize)).add(ms);
  }

  /** Every action, sorted by name, with its percentiles per source. */
  snapshot(): ActionLatency[] {
    return [...this.#actions.entries()]
      .map(([action, series]) => ({ action, server: series.server?.percentiles(), browser: series.browser?.percentiles() }))
      .sort((a, b) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
  }

  /** How many actions were forgotten to stay within maxActions. */
  get forgotten(): number {
    return this.#forgotten;
  }

  get options(): Readonly<LatencyOptions> {
    return this.#options;
  }
}
