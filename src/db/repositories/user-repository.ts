import { and, asc, count, eq, ne } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { users } from '../schema/index.js';

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;

export const createUserRepository = (db: Db) => ({
  count(): number {
    return db.select({ n: count() }).from(users).get()?.n ?? 0;
  },
  countActiveAdmins(exceptId?: number): number {
    const where = exceptId === undefined
      ? and(eq(users.role, 'admin'), eq(users.active, true))
      : and(eq(users.role, 'admin'), eq(users.active, true), ne(users.id, exceptId));
    return db.select({ n: count() }).from(users).where(where).get()?.n ?? 0;
  },
  list(): UserRow[] {
    return db.select().from(users).orderBy(asc(users.email)).all();
  },
  findById(id: number): UserRow | undefined {
    return db.select().from(users).where(eq(users.id, id)).get();
  },
  findByEmail(email: string): UserRow | undefined {
    return db.select().from(users).where(eq(users.email, email)).get();
  },
  insert(row: NewUserRow): UserRow {
    return db.insert(users).values(row).returning().get();
  },
  update(id: number, changes: Partial<Pick<UserRow, 'name' | 'role' | 'passwordHash' | 'active' | 'lastLoginAt'>> & { updatedAt: number }): UserRow | undefined {
    return db.update(users).set(changes).where(eq(users.id, id)).returning().get();
  },
});

export type UserRepository = ReturnType<typeof createUserRepository>;
