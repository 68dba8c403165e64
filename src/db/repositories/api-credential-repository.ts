import { and, desc, eq, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { apiCredentials } from '../schema/index.js';

export type ApiCredentialRow = typeof apiCredentials.$inferSelect;
export type NewApiCredentialRow = typeof apiCredentials.$inferInsert;

type Changes = Partial<Omit<ApiCredentialRow, 'id' | 'clientId' | 'type' | 'createdBy' | 'createdAt'>> & { updatedAt: number };

export const createApiCredentialRepository = (db: Db) => {
  // Every API request runs these; building drizzle's query costs about ten times running it, so they are prepared once.
  const byClientId = db.select().from(apiCredentials).where(eq(apiCredentials.clientId, sql.placeholder('clientId'))).prepare();
  const byTokenHash = db
    .select()
    .from(apiCredentials)
    .where(and(eq(apiCredentials.type, 'bearer'), or(eq(apiCredentials.secretHash, sql.placeholder('hash')), eq(apiCredentials.secondarySecretHash, sql.placeholder('hash')))))
    .prepare();
  const lastUse = db
    .update(apiCredentials)
    .set({ lastUsedAt: sql`${sql.placeholder('lastUsedAt')}`, lastUsedIp: sql`${sql.placeholder('lastUsedIp')}` })
    .where(eq(apiCredentials.id, sql.placeholder('id')))
    .prepare();

  return {
    insert(row: NewApiCredentialRow): ApiCredentialRow {
      return db.insert(apiCredentials).values(row).returning().get();
    },
    list(): ApiCredentialRow[] {
      return db.select().from(apiCredentials).orderBy(desc(apiCredentials.createdAt), desc(apiCredentials.id)).all();
    },
    findByClientId(clientId: string): ApiCredentialRow | undefined {
      return byClientId.get({ clientId });
    },
    /** The Bearer credential whose current or previous token has this SHA-256. */
    findByTokenHash(hash: string): ApiCredentialRow | undefined {
      return byTokenHash.get({ hash });
    },
    update(id: number, changes: Changes): ApiCredentialRow | undefined {
      return db.update(apiCredentials).set(changes).where(eq(apiCredentials.id, id)).returning().get();
    },
    /** Not an audited change: only when and from where a credential was last used. */
    touch(id: number, lastUsedAt: number, lastUsedIp: string): void {
      lastUse.run({ id, lastUsedAt, lastUsedIp });
    },
    /** Forgets previous secrets that stopped working before the cutoff. */
    clearSecondariesExpiredBefore(cutoff: number): number {
      return db
        .update(apiCredentials)
        .set({ secondarySecretSealed: null, secondarySecretHash: null, secondaryExpiresAt: null })
        .where(and(isNotNull(apiCredentials.secondaryExpiresAt), lt(apiCredentials.secondaryExpiresAt, cutoff)))
        .run().changes;
    },
  };
};

export type ApiCredentialRepository = ReturnType<typeof createApiCredentialRepository>;
