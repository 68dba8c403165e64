import { lt, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { apiNonces } from '../schema/index.js';

export const createApiNonceRepository = (db: Db) => {
  // Runs on every signed request; prepared once, as building the statement costs more than running it.
  const insert = db
    .insert(apiNonces)
    .values({ clientId: sql.placeholder('clientId'), nonce: sql.placeholder('nonce'), expiresAt: sql.placeholder('expiresAt') })
    .onConflictDoUpdate({ target: [apiNonces.clientId, apiNonces.nonce], set: { expiresAt: sql`${sql.placeholder('expiresAt')}` }, setWhere: lt(apiNonces.expiresAt, sql.placeholder('now')) })
    .prepare();

  return {
    /**
     * Records a nonce in one statement and says whether it was new. A row that
     * expired but was not pruned yet is taken over; a live one is a replay.
     */
    remember(clientId: string, nonce: string, expiresAt: number, now: number): boolean {
      return insert.run({ clientId, nonce, expiresAt, now }).changes === 1;
    },
    deleteExpired(now: number): number {
      return db.delete(apiNonces).where(lt(apiNonces.expiresAt, now)).run().changes;
    },
  };
};

export type ApiNonceRepository = ReturnType<typeof createApiNonceRepository>;
