import type { DbHandle } from './connection.js';

/** Runs fn in one SQLite transaction; repositories share the connection, so their statements join it. */
export type RunInTransaction = <T>(fn: () => T) => T;

export const transactionRunner = (handle: DbHandle): RunInTransaction => (fn) => handle.sqlite.transaction(fn)();
