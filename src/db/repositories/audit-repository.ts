import { and, count, desc, eq, gte, lt, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { auditLog } from '../schema/index.js';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;

export interface AuditQuery {
  actor?: string;
  action?: string;
  text?: string;
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** SQLite's LIKE has no escape character unless one is named, so the backslashes above need ESCAPE. */
const like = (column: AnyColumn, pattern: string): SQL => sql`${column} LIKE ${pattern} ESCAPE '\\'`;

const whereFor = (q: AuditQuery): SQL | undefined => {
  const parts: SQL[] = [];
  if (q.actor) parts.push(like(auditLog.actorEmail, `%${escapeLike(q.actor)}%`));
  if (q.action) parts.push(eq(auditLog.action, q.action));
  if (q.from !== undefined) parts.push(gte(auditLog.at, q.from));
  if (q.to !== undefined) parts.push(lt(auditLog.at, q.to));
  if (q.text) {
    const pattern = `%${escapeLike(q.text)}%`;
    const textMatch = or(like(auditLog.targetId, pattern), like(auditLog.before, pattern), like(auditLog.after, pattern));
    if (textMatch) parts.push(textMatch);
  }
  return parts.length ? and(...parts) : undefined;
};

export const createAuditRepository = (db: Db) => ({
  insert(row: NewAuditRow): void {
    db.insert(auditLog).values(row).run();
  },
  search(q: AuditQuery): { rows: AuditRow[]; total: number } {
    const where = whereFor(q);
    const rows = db.select().from(auditLog).where(where).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(q.limit).offset(q.offset).all();
    const total = db.select({ n: count() }).from(auditLog).where(where).get()?.n ?? 0;
    return { rows, total };
  },
  distinctActions(): string[] {
    return db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action).all().map((r) => r.action);
  },
  deleteOlderThan(cutoff: number): number {
    return db.delete(auditLog).where(lt(auditLog.at, cutoff)).run().changes;
  },
});

export type AuditRepository = ReturnType<typeof createAuditRepository>;
