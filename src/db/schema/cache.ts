import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The stale-while-revalidate cache's second tier: survives restarts, so a cold start need not wait on an upstream. */
export const cacheEntries = sqliteTable('cache_entries', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  fetchedAt: integer('fetched_at').notNull(),
});
