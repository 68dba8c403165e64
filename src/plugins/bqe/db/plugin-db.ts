import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { DbHandle } from '../../../db/connection.js';
import * as schema from './schema.js';

/** A drizzle instance over the shared connection that knows the BQE plugin's tables. */
export const bqeDb = (handle: DbHandle) => drizzle(handle.sqlite, { schema });

export type BqeDb = BetterSQLite3Database<typeof schema>;
