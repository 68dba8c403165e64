import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Small key/value facts about this installation (secret-key canary, first-run markers). */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
