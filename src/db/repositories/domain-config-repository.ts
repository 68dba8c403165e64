import { and, eq } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { domainConfigs } from '../schema/index.js';

export type DomainConfigRow = typeof domainConfigs.$inferSelect;

export const createDomainConfigRepository = (db: Db) => ({
  all(): DomainConfigRow[] {
    return db.select().from(domainConfigs).all();
  },
  find(domain: string): DomainConfigRow | undefined {
    return db.select().from(domainConfigs).where(eq(domainConfigs.domain, domain)).get();
  },
  insertIfMissing(row: DomainConfigRow): void {
    db.insert(domainConfigs).values(row).onConflictDoNothing().run();
  },
  /** Optimistic: only writes when the stored version is still the one the editor read. */
  updateIfVersion(row: DomainConfigRow, expectedVersion: number): boolean {
    const result = db
      .update(domainConfigs)
      .set(row)
      .where(and(eq(domainConfigs.domain, row.domain), eq(domainConfigs.version, expectedVersion)))
      .run();
    return result.changes === 1;
  },
});

export type DomainConfigRepository = ReturnType<typeof createDomainConfigRepository>;
