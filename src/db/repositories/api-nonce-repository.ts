import { lt } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { apiNonces } from '../schema/index.js';

export const createApiNonceRepository = (db: Db) => ({
  /**
   * Records a nonce in one statement and says whether it was new. A row that
   * expired but was not pruned yet is taken over; a live one is a replay.
   */
  remember(clientId: string, nonce: string, expiresAt: number, now: number): boolean {
    return (
      db
        .insert(apiNonces)
        .values({ clientId, nonce, expiresAt })
        .onConflictDoUpdate({ target: [apiNonces.clientId, apiNonces.nonce], set: { expiresAt }, setWhere: lt(apiNonces.expiresAt, now) })
        .run().changes === 1
    );
  },
  deleteExpired(now: number): number {
    return db.delete(apiNonces).where(lt(apiNonces.expiresAt, now)).run().changes;
  },
});

export type ApiNonceRepository = ReturnType<typeof createApiNonceRepository>;
