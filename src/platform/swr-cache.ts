import type { CacheRepository } from '../db/repositories/cache-repository.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

export interface SwrPolicy {
  /** Younger than this, an entry is served as is. */
  freshMs: number;
  /** Up to this age a stale entry is still served while it is refreshed; older ones are reloaded first. */
  maxStaleMs: number;
  /**
   * Starts a refresh of a stale entry without waiting for it (for example by queueing a job that calls `refresh`).
   * Without it the cache reloads in the background itself.
   */
  revalidate?: (key: string) => void;
}

export interface CacheRead<T> {
  value: T;
  fetchedAt: number;
  fresh: boolean;
  /** Where the value came from: memory, sqlite, or upstream (just loaded). */
  source: 'memory' | 'sqlite' | 'upstream';
}

export interface CacheEntryStats {
  key: string;
  fetchedAt: number;
  ageMs: number;
  hits: number;
  misses: number;
  bytes: number;
  inMemory: boolean;
  /** Judged by the policy of the last read; `unknown` until this process has read the key. */
  freshness: 'fresh' | 'stale' | 'expired' | 'unknown';
  /** A refresher is registered for the key, so `requestRefresh` can hand it on. */
  refreshable: boolean;
}

/** Starts reloading a key in the background (typically by queueing a job that calls `refresh`); never waits for it. */
export type CacheRefresher = (key: string) => void;

interface MemoryEntry {
  value: unknown;
  fetchedAt: number;
}

/**
 * Stale-while-revalidate, memory → SQLite → upstream: pages and jobs read what
 * we already have and never wait on a slow upstream for something we have seen
 * before. Concurrent misses for one key share one load.
 */
export class SwrCache {
  readonly #memory = new Map<string, MemoryEntry>();
  readonly #inflight = new Map<string, Promise<MemoryEntry>>();
  readonly #counters = new Map<string, { hits: number; misses: number }>();
  readonly #policies = new Map<string, { freshMs: number; maxStaleMs: number }>();
  readonly #refreshers: { prefix: string; refresh: CacheRefresher }[] = [];
  /** Bumped by delete and purge, so a load that was running then does not store what was just forgotten. */
  #generation = 0;

  constructor(
    private readonly repo: CacheRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async get<T>(key: string, load: () => Promise<T>, policy: SwrPolicy): Promise<CacheRead<T>> {
    const found = this.#lookup(key);
    const now = this.clock.now();
    this.#policies.set(key, { freshMs: policy.freshMs, maxStaleMs: policy.maxStaleMs });
    if (found) {
      const age = now - found.entry.fetchedAt;
      if (age < policy.freshMs) {
        this.#count(key, 'hits');
        return { value: found.entry.value as T, fetchedAt: found.entry.fetchedAt, fresh: true, source: found.source };
      }
      if (age < policy.maxStaleMs) {
        this.#count(key, 'hits');
        if (policy.revalidate) policy.revalidate(key);
        else this.#load(key, load).catch((err: unknown) => this.logger.warn({ key, err }, 'cache refresh failed; serving the stale value'));
        return { value: found.entry.value as T, fetchedAt: found.entry.fetchedAt, fresh: false, source: found.source };
      }
    }
    this.#count(key, 'misses');
    const entry = await this.#load(key, load);
    return { value: entry.value as T, fetchedAt: entry.fetchedAt, fresh: true, source: 'upstream' };
  }

  /** What is stored for key, however old, without loading anything. */
  peek<T>(key: string): { value: T; fetchedAt: number } | undefined {
    const found = this.#lookup(key);
    return found ? { value: found.entry.value as T, fetchedAt: found.entry.fetchedAt } : undefined;
  }

  /** Loads key now and stores it (what a revalidation job calls). */
  async refresh<T>(key: string, load: () => Promise<T>): Promise<T> {
    return (await this.#load(key, load)).value as T;
  }

  set(key: string, value: unknown): void {
    this.#store(key, { value, fetchedAt: this.clock.now() });
  }

  /** Forgets one key, in memory and on disk; returns whether a stored entry went. */
  delete(key: string): boolean {
    this.#generation++;
    this.#memory.delete(key);
    return this.repo.delete(key) > 0;
  }

  /** Forgets every key starting with prefix, in memory and on disk; returns how many stored entries went. */
  purge(prefix: string): number {
    this.#generation++;
    for (const key of [...this.#memory.keys()]) if (key.startsWith(prefix)) this.#memory.delete(key);
    return this.repo.purgePrefix(prefix);
  }

  /** Registers who reloads keys starting with prefix; the longest matching prefix wins. */
  registerRefresher(prefix: string, refresh: CacheRefresher): void {
    if (this.#refreshers.some((r) => r.prefix === prefix)) throw new Error(`a cache refresher for "${prefix}" is already registered`);
    this.#refreshers.push({ prefix, refresh });
    this.#refreshers.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Hands key to its refresher without waiting; false when no refresher covers it. */
  requestRefresh(key: string): boolean {
    const refresher = this.#refresherFor(key);
    if (!refresher) return false;
    refresher.refresh(key);
    return true;
  }

  stats(prefix = ''): CacheEntryStats[] {
    const now = this.clock.now();
    return this.repo.list(prefix).map((row) => {
      const counters = this.#counters.get(row.key) ?? { hits: 0, misses: 0 };
      const ageMs = now - row.fetchedAt;
      const policy = this.#policies.get(row.key);
      const freshness = !policy ? 'unknown' : ageMs < policy.freshMs ? 'fresh' : ageMs < policy.maxStaleMs ? 'stale' : 'expired';
      return { key: row.key, fetchedAt: row.fetchedAt, ageMs, bytes: row.bytes, inMemory: this.#memory.has(row.key), ...counters, freshness, refreshable: this.#refresherFor(row.key) !== undefined };
    });
  }

  #refresherFor(key: string): { prefix: string; refresh: CacheRefresher } | undefined {
    return this.#refreshers.find((r) => key.startsWith(r.prefix));
  }

  #lookup(key: string): { entry: MemoryEntry; source: 'memory' | 'sqlite' } | undefined {
    const mem = this.#memory.get(key);
    if (mem) return { entry: mem, source: 'memory' };
    const row = this.repo.get(key);
    if (!row) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(row.value);
    } catch {
      // A damaged row is a miss; the next load overwrites it.
      return undefined;
    }
    const entry = { value, fetchedAt: row.fetchedAt };
    this.#memory.set(key, entry);
    return { entry, source: 'sqlite' };
  }

  #load(key: string, load: () => Promise<unknown>): Promise<MemoryEntry> {
    const pending = this.#inflight.get(key);
    if (pending) return pending;
    const generation = this.#generation;
    const promise = (async () => {
      try {
        const value = await load();
        const entry = { value, fetchedAt: this.clock.now() };
        if (generation === this.#generation) this.#store(key, entry);
        return entry;
      } finally {
        this.#inflight.delete(key);
      }
    })();
    this.#inflight.set(key, promise);
    return promise;
  }

  #store(key: string, entry: MemoryEntry): void {
    this.#memory.set(key, entry);
    this.repo.put({ key, value: JSON.stringify(entry.value), fetchedAt: entry.fetchedAt });
  }

  #count(key: string, which: 'hits' | 'misses'): void {
    const c = this.#counters.get(key) ?? { hits: 0, misses: 0 };
    c[which]++;
    this.#counters.set(key, c);
  }
}
