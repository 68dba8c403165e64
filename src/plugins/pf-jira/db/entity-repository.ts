import { eq } from 'drizzle-orm';
import type { PfDb } from './plugin-db.js';
import { pfjEntities } from './schema.js';

/** What polling last saw of one PeopleForce record. */
export interface EntitySnapshot {
  /** e.g. employee:133710 */
  entityKey: string;
  /** PeopleForce's updated_at as sent (ISO 8601), or '' when the record had none. */
  updatedAt: string;
  /** sha256 of the normalized record without its volatile fields (see poller.ts). */
  hash: string;
  terminated: boolean;
  lastSeenAt: number;
}

export const createEntityRepository = (db: PfDb) => ({
  get(entityKey: string): EntitySnapshot | undefined {
    return db.select().from(pfjEntities).where(eq(pfjEntities.entityKey, entityKey)).get();
  },

  upsert(snapshot: EntitySnapshot): void {
    const { entityKey, ...rest } = snapshot;
    db.insert(pfjEntities).values(snapshot).onConflictDoUpdate({ target: pfjEntities.entityKey, set: rest }).run();
  },
});

export type EntityRepository = ReturnType<typeof createEntityRepository>;
