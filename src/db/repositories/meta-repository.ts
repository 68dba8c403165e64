import { eq } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { meta } from '../schema/index.js';

export const createMetaRepository = (db: Db) => ({
  get(key: string): string | undefined {
    return db.select({ value: meta.value }).from(meta).where(eq(meta.key, key)).get()?.value;
  },
  set(key: string, value: string): void {
    db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
  },
});

export type MetaRepository = ReturnType<typeof createMetaRepository>;
