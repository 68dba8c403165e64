import { eq } from 'drizzle-orm';
import type { PfDb } from './plugin-db.js';
import { pfjState } from './schema.js';

/** Named JSON values kept between runs (poll cursor, baseline, last summary). */
export const createStateRepository = (db: PfDb) => ({
  /** The stored value, or undefined when the key was never set. The caller owns the key's shape. */
  get<T>(key: string): T | undefined {
    const row = db.select({ value: pfjState.value }).from(pfjState).where(eq(pfjState.key, key)).get();
    return row ? (JSON.parse(row.value) as T) : undefined;
  },

  set(key: string, value: unknown, now: number): void {
    const json = JSON.stringify(value);
    db.insert(pfjState)
      .values({ key, value: json, updatedAt: now })
      .onConflictDoUpdate({ target: pfjState.key, set: { value: json, updatedAt: now } })
      .run();
  },
});

export type StateRepository = ReturnType<typeof createStateRepository>;
