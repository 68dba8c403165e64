import type { DbHandle } from '../../../db/connection.js';
import type { RunInTransaction } from '../../../db/transaction.js';
import { conflict, notFound, validationError } from '../../../errors.js';
import { assertRole, type Actor } from '../../../platform/actor.js';
import type { AuditService } from '../../../platform/audit.js';
import type { Clock } from '../../../platform/clock.js';
import { pluginDb } from '../db/plugin-db.js';
import { createRuleRepository } from '../db/rule-repository.js';
import { compileRuleSet, type CompiledRuleSet } from './rule-evaluator.js';
import type { RulesChangedEvent } from './rule-events.js';
import { parseRuleInput } from './rule-input.js';
import type { Rule, RuleSnapshot, RuleVersion, ValidationStatus } from './rule-types.js';

export interface RuleServiceDeps {
  handle: DbHandle;
  tx: RunInTransaction;
  audit: AuditService;
  clock: Clock;
  /** Called after a save commits (create, update, turning a rule on): the plugin queues the rule's validation. */
  onSaved?: (rule: Rule) => void;
  /** Called after any change commits (the plugin tells open dashboards to refresh). */
  onChanged?: (change: RulesChangedEvent) => void;
}

export interface ValidationOutcome {
  status: ValidationStatus;
  errors: string[];
  /** The version that was checked: a result for an older version is not recorded. */
  version?: number;
}

/** New rules go after the last one, leaving room to slot rules in between. */
const PRIORITY_STEP = 10;
const TARGET = 'pf-jira.rule';

const snapshotOf = (r: Rule): RuleSnapshot => ({
  id: r.id,
  version: r.version,
  name: r.name,
  priority: r.priority,
  enabled: r.enabled,
  action: r.action,
  eventTypes: r.eventTypes,
  match: r.match,
  conditions: r.conditions,
  projectKey: r.projectKey,
  issueTypeId: r.issueTypeId,
  issueTypeName: r.issueTypeName,
  boardId: r.boardId,
  boardName: r.boardName,
  mappings: r.mappings,
});

const minuteUtc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Routing rules: every change is versioned (a snapshot per version, so past
 * decisions stay explainable), audited, and written in one transaction.
 * Admins change rules; operators may also turn them on and off.
 */
export const createRuleService = (deps: RuleServiceDeps) => {
  const repo = createRuleRepository(pluginDb(deps.handle));
  let cache: { stamp: string; set: CompiledRuleSet } | undefined;

  const mustGet = (id: number): Rule => {
    const rule = repo.get(id);
    if (!rule) throw notFound(`Routing rule ${id} does not exist; it may have been deleted.`);
    return rule;
  };

  const saveVersion = (rule: Rule, actor: Actor): void => {
    repo.insertVersion({ ruleId: rule.id, version: rule.version, snapshot: snapshotOf(rule), savedBy: actor.email, savedAt: deps.clock.now() });
  };

  const holderOtherThan = (id?: number) => (priority: number) => repo.priorityHolder(priority, id);

  return {
    /** Every rule in evaluation order. */
    list(): Rule[] {
      return repo.list();
    },

    get: mustGet,

    /** The rule, or undefined when it does not exist (for jobs that may outlive it). */
    find(id: number): Rule | undefined {
      return repo.get(id);
    },

    /** The rule other than `exceptId` that already has this priority, if any. */
    priorityHolder(priority: number, exceptId?: number): { id: number; name: string } | undefined {
      return holderOtherThan(exceptId)(priority);
    },

    /** A free priority after every existing rule, for a new rule's form. */
    nextPriority(): number {
      return repo.maxPriority() + PRIORITY_STEP;
    },

    create(input: unknown, actor: Actor): Rule {
      assertRole(actor, 'admin', 'create routing rules');
      const parsed = parseRuleInput(input, holderOtherThan());
      const rule = deps.tx(() => {
        const created = repo.insert(parsed, deps.clock.now());
        saveVersion(created, actor);
        deps.audit.record(actor, { action: 'pf-jira.rule.create', targetType: TARGET, targetId: created.id, after: snapshotOf(created) });
        return created;
      });
      deps.onSaved?.(rule);
      deps.onChanged?.({ action: 'create', ruleIds: [rule.id] });
      return rule;
    },

    update(id: number, input: unknown, actor: Actor, expectedVersion: number): Rule {
      assertRole(actor, 'admin', 'change routing rules');
      const current = mustGet(id);
      if (current.version !== expectedVersion) {
        const by = repo.getVersion(id, current.version)?.savedBy ?? 'someone else';
        throw conflict(
          `Rule “${current.name}” was changed by ${by} at ${minuteUtc(current.updatedAt)} since you opened it; it is now version ${current.version}. Reload to see the change, then apply yours again.`,
        );
      }
      const parsed = parseRuleInput(input, holderOtherThan(id));
      const rule = deps.tx(() => {
        const saved = repo.update(id, parsed, current.version + 1, deps.clock.now()) as Rule;
        saveVersion(saved, actor);
        deps.audit.record(actor, { action: 'pf-jira.rule.update', targetType: TARGET, targetId: id, before: snapshotOf(current), after: snapshotOf(saved) });
        return saved;
      });
      deps.onSaved?.(rule);
      deps.onChanged?.({ action: 'update', ruleIds: [id] });
      return rule;
    },

    /** Deletes a rule; its versions stay, so events it decided still name what it was. */
    remove(id: number, actor: Actor): void {
      assertRole(actor, 'admin', 'delete routing rules');
      const current = mustGet(id);
      deps.tx(() => {
        repo.delete(id);
        deps.audit.record(actor, { action: 'pf-jira.rule.delete', targetType: TARGET, targetId: id, before: snapshotOf(current) });
      });
      deps.onChanged?.({ action: 'delete', ruleIds: [id] });
    },

    /**
     * Turns a rule on or off (operators may, so they can stop a misbehaving
     * rule at once). Asking for the state it is already in changes nothing.
     * Turning a rule on validates it again: it may have been off because it was invalid.
     */
    setEnabled(id: number, enabled: boolean, actor: Actor, reason?: string): Rule {
      assertRole(actor, 'operator', enabled ? 'turn routing rules on' : 'turn routing rules off');
      const current = mustGet(id);
      if (current.enabled === enabled) return current;
      const rule = deps.tx(() => {
        const now = deps.clock.now();
        repo.setEnabled(id, enabled, current.version + 1, now);
        if (enabled) repo.setValidation(id, 'pending', [], current.validatedAt);
        const saved = mustGet(id);
        saveVersion(saved, actor);
        deps.audit.record(actor, {
          action: enabled ? 'pf-jira.rule.enable' : 'pf-jira.rule.disable',
          targetType: TARGET,
          targetId: id,
          before: { enabled: current.enabled, version: current.version },
          after: { enabled, version: saved.version, ...(reason ? { reason } : {}) },
        });
        return saved;
      });
      if (enabled) deps.onSaved?.(rule);
      deps.onChanged?.({ action: enabled ? 'enable' : 'disable', ruleIds: [id] });
      return rule;
    },

    /**
     * Puts every rule in the given order, with priorities 10, 20, 30…; `orderedIds`
     * must list each rule once. Each rule whose priority changes gets a new version.
     */
    reorder(orderedIds: number[], actor: Actor): Rule[] {
      assertRole(actor, 'admin', 'reorder routing rules');
      const current = repo.list();
      const known = new Set(current.map((r) => r.id));
      const listed = new Set(orderedIds);
      if (listed.size !== orderedIds.length || listed.size !== known.size || orderedIds.some((id) => !known.has(id))) {
        throw validationError('The new order must list every rule exactly once; rules may have been added or deleted meanwhile. Reload the page and try again.', {
          order: 'List every rule exactly once.',
        });
      }
      const byId = new Map(current.map((r) => [r.id, r]));
      const moves = orderedIds
        .map((id, i) => ({ rule: byId.get(id) as Rule, priority: (i + 1) * PRIORITY_STEP }))
        .filter((m) => m.rule.priority !== m.priority)
        .map((m) => ({ id: m.rule.id, priority: m.priority, version: m.rule.version + 1 }));
      if (!moves.length) return current;
      const reordered = deps.tx(() => {
        repo.reorder(moves, deps.clock.now());
        const after = repo.list();
        const moved = new Set(moves.map((m) => m.id));
        for (const rule of after) if (moved.has(rule.id)) saveVersion(rule, actor);
        deps.audit.record(actor, {
          action: 'pf-jira.rule.reorder',
          targetType: TARGET,
          before: current.map((r) => ({ id: r.id, name: r.name, priority: r.priority })),
          after: after.map((r) => ({ id: r.id, name: r.name, priority: r.priority })),
        });
        return after;
      });
      deps.onChanged?.({ action: 'reorder', ruleIds: moves.map((m) => m.id) });
      return reordered;
    },

    /** A rule's saved versions, newest first (also after the rule was deleted). */
    versions(id: number): RuleVersion[] {
      return repo.listVersions(id);
    },

    version(id: number, version: number): RuleVersion {
      const found = repo.getVersion(id, version);
      if (!found) throw notFound(`Routing rule ${id} has no version ${version}.`);
      return found;
    },

    /** The enabled rules compiled for evaluation, rebuilt only when a rule changed. */
    compiled(): CompiledRuleSet {
      const stamp = repo.rulesVersionStamp();
      if (cache?.stamp !== stamp) cache = { stamp, set: compileRuleSet(repo.list()) };
      return cache.set;
    },

    /**
     * Stores a validation result. Not audited: it is the hub's own finding, not
     * a change anyone made (disabling an invalid rule is, through setEnabled).
     * Undefined when the rule is gone or was saved again since the check began.
     */
    recordValidation(id: number, outcome: ValidationOutcome): Rule | undefined {
      const rule = repo.get(id);
      if (!rule || (outcome.version !== undefined && outcome.version !== rule.version)) return undefined;
      const finished = outcome.status === 'valid' || outcome.status === 'invalid';
      repo.setValidation(id, outcome.status, outcome.errors, finished ? deps.clock.now() : rule.validatedAt);
      return repo.get(id);
    },
  };
};

export type RuleService = ReturnType<typeof createRuleService>;
