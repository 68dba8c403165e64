import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import type { PfDb } from './plugin-db.js';
import { pfjRuleMappings, pfjRules, pfjRuleVersions } from './schema.js';
import type { Condition, FieldMapping, Rule, RuleAction, RuleInput, RuleSnapshot, RuleVersion, SourceType, ValidationStatus } from '../rules/rule-types.js';

type RuleRow = typeof pfjRules.$inferSelect;
type MappingRow = typeof pfjRuleMappings.$inferSelect;

const toMapping = (row: MappingRow): FieldMapping => ({ fieldId: row.fieldId, sourceType: row.sourceType as SourceType, value: row.value });

const toRule = (row: RuleRow, mappings: FieldMapping[]): Rule => ({
  id: row.id,
  name: row.name,
  priority: row.priority,
  enabled: row.enabled,
  action: row.action as RuleAction,
  eventTypes: JSON.parse(row.eventTypes) as string[],
  match: row.match as 'all' | 'any',
  conditions: JSON.parse(row.conditions) as Condition[],
  projectKey: row.projectKey,
  issueTypeId: row.issueTypeId,
  issueTypeName: row.issueTypeName,
  boardId: row.boardId,
  boardName: row.boardName,
  mappings,
  version: row.version,
  validationStatus: row.validationStatus as ValidationStatus,
  validationErrors: JSON.parse(row.validationErrors) as string[],
  validatedAt: row.validatedAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const ruleColumns = (input: RuleInput) => ({
  name: input.name,
  priority: input.priority,
  enabled: input.enabled,
  action: input.action,
  eventTypes: JSON.stringify(input.eventTypes),
  match: input.match,
  conditions: JSON.stringify(input.conditions),
  projectKey: input.projectKey,
  issueTypeId: input.issueTypeId,
  issueTypeName: input.issueTypeName,
  boardId: input.boardId,
  boardName: input.boardName,
});

type VersionRow = typeof pfjRuleVersions.$inferSelect;

const toVersion = (row: VersionRow): RuleVersion => ({
  ruleId: row.ruleId,
  version: row.version,
  snapshot: JSON.parse(row.snapshot) as RuleSnapshot,
  savedBy: row.savedBy,
  savedAt: row.savedAt,
});

/**
 * The routing rules' SQL. Writes that span several statements (mappings,
 * reordering) join the caller's transaction when there is one: better-sqlite3
 * nests them as savepoints.
 */
export const createRuleRepository = (db: PfDb) => {
  const inTx = <T>(fn: () => T): T => db.transaction(() => fn());

  const mappingsOf = (ruleId: number): FieldMapping[] =>
    db.select().from(pfjRuleMappings).where(eq(pfjRuleMappings.ruleId, ruleId)).orderBy(asc(pfjRuleMappings.position)).all().map(toMapping);

  const writeMappings = (ruleId: number, mappings: FieldMapping[]): void => {
    db.delete(pfjRuleMappings).where(eq(pfjRuleMappings.ruleId, ruleId)).run();
    if (mappings.length) {
      db.insert(pfjRuleMappings)
        .values(mappings.map((m, position) => ({ ruleId, position, fieldId: m.fieldId, sourceType: m.sourceType, value: m.value })))
        .run();
    }
  };

  const get = (id: number): Rule | undefined => {
    const row = db.select().from(pfjRules).where(eq(pfjRules.id, id)).get();
    return row ? toRule(row, mappingsOf(id)) : undefined;
  };

  return {
    /** Every rule in evaluation order (ascending priority), with its mappings. */
    list(): Rule[] {
      const rows = db.select().from(pfjRules).orderBy(asc(pfjRules.priority)).all();
      const byRule = new Map<number, FieldMapping[]>();
      for (const m of db.select().from(pfjRuleMappings).orderBy(asc(pfjRuleMappings.ruleId), asc(pfjRuleMappings.position)).all()) {
        const list = byRule.get(m.ruleId) ?? [];
        list.push(toMapping(m));
        byRule.set(m.ruleId, list);
      }
      return rows.map((row) => toRule(row, byRule.get(row.id) ?? []));
    },

    get,

    insert(input: RuleInput, now: number): Rule {
      return inTx(() => {
        const row = db
          .insert(pfjRules)
          .values({ ...ruleColumns(input), version: 1, validationStatus: 'pending', validationErrors: '[]', validatedAt: null, createdAt: now, updatedAt: now })
          .returning({ id: pfjRules.id })
          .get();
        writeMappings(row.id, input.mappings);
        return get(row.id) as Rule;
      });
    },

    /** Replaces a rule's fields and mappings at a new version; validation starts over. Undefined when the rule is gone. */
    update(id: number, input: RuleInput, version: number, now: number): Rule | undefined {
      return inTx(() => {
        const changed = db
          .update(pfjRules)
          .set({ ...ruleColumns(input), version, validationStatus: 'pending', validationErrors: '[]', updatedAt: now })
          .where(eq(pfjRules.id, id))
          .run().changes;
        if (!changed) return undefined;
        writeMappings(id, input.mappings);
        return get(id);
      });
    },

    /** Deletes a rule and its mappings; its saved versions stay, so past decisions remain explainable. */
    delete(id: number): number {
      return db.delete(pfjRules).where(eq(pfjRules.id, id)).run().changes;
    },

    setEnabled(id: number, enabled: boolean, version: number, now: number): number {
      return db.update(pfjRules).set({ enabled, version, updatedAt: now }).where(eq(pfjRules.id, id)).run().changes;
    },

    /** Records a validation outcome without touching the rule's version: validating is not editing. */
    setValidation(id: number, status: ValidationStatus, errors: string[], at: number | null): number {
      return db.update(pfjRules).set({ validationStatus: status, validationErrors: JSON.stringify(errors), validatedAt: at }).where(eq(pfjRules.id, id)).run().changes;
    },

    /**
     * Gives rules new priorities and versions. Priorities are unique, so the
     * rules first move to temporary negative priorities (never used by a saved
     * rule), then to their new places. Returns how many rules changed.
     */
    reorder(assignments: { id: number; priority: number; version: number }[], now: number): number {
      if (!assignments.length) return 0;
      return inTx(() => {
        assignments.forEach((a, i) => {
          db.update(pfjRules).set({ priority: -(i + 1) }).where(eq(pfjRules.id, a.id)).run();
        });
        let changed = 0;
        for (const a of assignments) {
          changed += db.update(pfjRules).set({ priority: a.priority, version: a.version, updatedAt: now }).where(eq(pfjRules.id, a.id)).run().changes;
        }
        return changed;
      });
    },

    /** The rule holding a priority, other than `exceptId`: priorities are unique. */
    priorityHolder(priority: number, exceptId?: number): { id: number; name: string } | undefined {
      const where = exceptId === undefined ? eq(pfjRules.priority, priority) : and(eq(pfjRules.priority, priority), ne(pfjRules.id, exceptId));
      return db.select({ id: pfjRules.id, name: pfjRules.name }).from(pfjRules).where(where).get();
    },

    /** The highest priority in use, or 0 when there are no rules. */
    maxPriority(): number {
      return db.select({ max: sql<number | null>`max(${pfjRules.priority})` }).from(pfjRules).get()?.max ?? 0;
    },

    insertVersion(version: RuleVersion): void {
      db.insert(pfjRuleVersions)
        .values({ ruleId: version.ruleId, version: version.version, snapshot: JSON.stringify(version.snapshot), savedBy: version.savedBy, savedAt: version.savedAt })
        .run();
    },

    /** A rule's saved versions, newest first; they outlive the rule. */
    listVersions(ruleId: number): RuleVersion[] {
      return db.select().from(pfjRuleVersions).where(eq(pfjRuleVersions.ruleId, ruleId)).orderBy(desc(pfjRuleVersions.version)).all().map(toVersion);
    },

    getVersion(ruleId: number, version: number): RuleVersion | undefined {
      const row = db.select().from(pfjRuleVersions).where(and(eq(pfjRuleVersions.ruleId, ruleId), eq(pfjRuleVersions.version, version))).get();
      return row ? toVersion(row) : undefined;
    },

    /**
     * Changes whenever the rule set does, so a compiled rule set can be cached:
     * every change but a delete writes a version row (their rowids only grow,
     * as versions are never deleted), and a delete lowers the rule count.
     */
    rulesVersionStamp(): string {
      const row = db.get<{ versions: number | null; rules: number }>(sql`select (select max(rowid) from ${pfjRuleVersions}) as versions, (select count(*) from ${pfjRules}) as rules`);
      return `${row.versions ?? 0}:${row.rules}`;
    },
  };
};

export type RuleRepository = ReturnType<typeof createRuleRepository>;
