import { eq, like, lt } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { loginFailures } from '../schema/index.js';

export type LoginFailureRow = typeof loginFailures.$inferSelect;

export const createLoginFailureRepository = (db: Db) => ({
  find(key: string): LoginFailureRow | undefined {
    return db.select().from(loginFailures).where(eq(loginFailures.key, key)).get();
  },
  save(row: LoginFailureRow): void {
    db.insert(loginFailures)
      .values(row)
      .onConflictDoUpdate({ target: loginFailures.key, set: { count: row.count, firstFailedAt: row.firstFailedAt, lastFailedAt: row.lastFailedAt } })
      .run();
  },
  clear(key: string): void {
    db.delete(loginFailures).where(eq(loginFailures.key, key)).run();
  },
  /** Keys are plain prefixes of our own making; LIKE wildcards in them are escaped. */
  clearPrefix(prefix: string): number {
    return db.delete(loginFailures).where(like(loginFailures.key, `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)).run().changes;
  },
  deleteOlderThan(cutoff: number): number {
    return db.delete(loginFailures).where(lt(loginFailures.lastFailedAt, cutoff)).run().changes;
  },
});

export type LoginFailureRepository = ReturnType<typeof createLoginFailureRepository>;
