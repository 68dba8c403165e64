import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { DbHandle } from '../../../db/connection.js';
import * as schema from './schema.js';

/** A drizzle instance over the shared connection that knows this plugin's tables. */
export const pluginDb = (handle: DbHandle) => drizzle(handle.sqlite, { schema });

export type PfDb = BetterSQLite3Database<typeof schema>;
