import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const domainConfigs = sqliteTable('domain_configs', {
  domain: text('domain').primaryKey(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  pollIntervalSeconds: integer('poll_interval_seconds').notNull(),
  /** JSON array of project keys. */
  fallbackProjects: text('fallback_projects').notNull(),
  /** JSON object of the plugin's declared settings; secret values are stored encrypted. */
  settings: text('settings').notNull(),
  version: integer('version').notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by'),
});
