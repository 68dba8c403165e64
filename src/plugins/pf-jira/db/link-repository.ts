import { and, desc, eq, sql } from 'drizzle-orm';
import type { PfDb } from './plugin-db.js';
import { pfjLinks } from './schema.js';

export type LinkState = 'pending' | 'linked';

export interface Link {
  id: number;
  entityKey: string;
  scope: string;
  projectKey: string;
  state: LinkState;
  clientToken: string;
  issueId: string | null;
  issueKey: string | null;
  ruleId: number | null;
  ruleVersion: number | null;
  intentAt: number | null;
  createdAt: number;
  updatedAt: number;
}

type Row = typeof pfjLinks.$inferSelect;
const toLink = (row: Row): Link => ({ ...row, state: row.state as LinkState });

/** Links between PeopleForce records and Jira issues, including create intents not yet confirmed. */
export const createLinkRepository = (db: PfDb) => ({
  get(entityKey: string, scope: string): Link | undefined {
    const row = db.select().from(pfjLinks).where(and(eq(pfjLinks.entityKey, entityKey), eq(pfjLinks.scope, scope))).get();
    return row ? toLink(row) : undefined;
  },

  byIssueKey(issueKey: string): Link | undefined {
    const row = db.select().from(pfjLinks).where(eq(pfjLinks.issueKey, issueKey)).get();
    return row ? toLink(row) : undefined;
  },

  forEntity(entityKey: string): Link[] {
    return db.select().from(pfjLinks).where(eq(pfjLinks.entityKey, entityKey)).orderBy(desc(pfjLinks.updatedAt)).all().map(toLink);
  },

  /** Records the intent to create before Jira is called; an existing pending intent keeps its token. */
  recordIntent(intent: { entityKey: string; scope: string; projectKey: string; clientToken: string; ruleId: number | null; ruleVersion: number | null; now: number }): Link {
    const row = db
      .insert(pfjLinks)
      .values({ ...intent, state: 'pending', intentAt: intent.now, createdAt: intent.now, updatedAt: intent.now })
      .onConflictDoUpdate({
        target: [pfjLinks.entityKey, pfjLinks.scope],
        set: { projectKey: intent.projectKey, ruleId: intent.ruleId, ruleVersion: intent.ruleVersion, intentAt: intent.now, updatedAt: intent.now },
      })
      .returning()
      .get();
    return toLink(row);
  },

  confirm(id: number, issue: { id: string; key: string }, now: number): number {
    return db.update(pfjLinks).set({ state: 'linked', issueId: issue.id, issueKey: issue.key, updatedAt: now }).where(eq(pfjLinks.id, id)).run().changes;
  },

  touch(id: number, rule: { ruleId: number | null; ruleVersion: number | null }, now: number): number {
    return db.update(pfjLinks).set({ ...rule, updatedAt: now }).where(eq(pfjLinks.id, id)).run().changes;
  },

  /** Adopts an issue found in Jira for an entity the database lost track of (reverse sweep). */
  adopt(link: { entityKey: string; scope: string; projectKey: string; clientToken: string; issueId: string; issueKey: string; now: number }): boolean {
    const result = db
      .insert(pfjLinks)
      .values({
        entityKey: link.entityKey,
        scope: link.scope,
        projectKey: link.projectKey,
        state: 'linked',
        clientToken: link.clientToken,
        issueId: link.issueId,
        issueKey: link.issueKey,
        ruleId: null,
        ruleVersion: null,
        intentAt: null,
        createdAt: link.now,
        updatedAt: link.now,
      })
      .onConflictDoNothing()
      .run();
    return result.changes > 0;
  },

  remove(id: number): number {
    return db.delete(pfjLinks).where(eq(pfjLinks.id, id)).run().changes;
  },

  count(): number {
    return db.select({ n: sql<number>`count(*)` }).from(pfjLinks).get()?.n ?? 0;
  },
});

export type LinkRepository = ReturnType<typeof createLinkRepository>;
