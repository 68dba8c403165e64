import { eq, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { cacheEntries } from '../schema/index.js';

export interface StoredCacheEntry {
  key: string;
  value: string;
  fetchedAt: number;
}

/** An exact, case-sensitive prefix test (LIKE would ignore case and treat % and _ as wildcards). */
const startsWith = (prefix: string) => sql`substr(${cacheEntries.key}, 1, ${prefix.length}) = ${prefix}`;

export const createCacheRepository = (db: Db) => ({
  get(key: string): StoredCacheEntry | undefined {
    return db.select().from(cacheEntries).where(eq(cacheEntries.key, key)).get();
  },
  put(entry: StoredCacheEntry): void {
    db.insert(cacheEntries).values(entry).onConflictDoUpdate({ target: cacheEntries.key, set: { value: entry.value, fetchedAt: entry.fetchedAt } }).run();
  },
  delete(key: string): number {
    return db.delete(cacheEntries).where(eq(cacheEntries.key, key)).run().changes;
  },
  /** Deletes every key starting with prefix; returns how many went. */
  purgePrefix(prefix: string): number {
    return db.delete(cacheEntries).where(startsWith(prefix)).run().changes;
  },
  list(prefix = ''): { key: string; fetchedAt: number; bytes: number }[] {
    return db
      .select({ key: cacheEntries.key, fetchedAt: cacheEntries.fetchedAt, bytes: sql<number>`length(${cacheEntries.value})` })
      .from(cacheEntries)
      .where(startsWith(prefix))
      .orderBy(cacheEntries.key)
      .all();
  },
});

export type CacheRepository = ReturnType<typeof createCacheRepository>;
