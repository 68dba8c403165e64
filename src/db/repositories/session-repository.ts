import { eq, lt } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { sessions, users } from '../schema/index.js';

export type SessionRow = typeof sessions.$inferSelect;
export type UserRow = typeof users.$inferSelect;

export const createSessionRepository = (db: Db) => ({
  insert(row: SessionRow): void {
    db.insert(sessions).values(row).run();
  },
  findWithUser(idHash: string): { session: SessionRow; user: UserRow } | undefined {
    return db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.idHash, idHash))
      .get();
  },
  touch(idHash: string, lastSeenAt: number, expiresAt: number): void {
    db.update(sessions).set({ lastSeenAt, expiresAt }).where(eq(sessions.idHash, idHash)).run();
  },
  delete(idHash: string): void {
    db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
  },
  deleteForUser(userId: number): number {
    return db.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
  },
  deleteExpired(now: number): number {
    return db.delete(sessions).where(lt(sessions.expiresAt, now)).run().changes;
  },
});

export type SessionRepository = ReturnType<typeof createSessionRepository>;
