import { isAppError, notFound } from '../../../errors.js';
import type { KeyedJob } from '../../../jobs/index.js';
import type { EventRepository, StoredEvent } from '../db/event-repository.js';
import type { Link, LinkRepository } from '../db/link-repository.js';
import type { RuleService } from '../rules/rule-service.js';
import type { RuleSnapshot } from '../rules/rule-types.js';
import { syncJobSpec } from '../sync/route-task.js';
import { adviseDelivery, type AdviceLinks, type DecidingRule, type DeliveryAdvice } from './delivery-advice.js';
import { entityKeyOf } from './envelope.js';

/** The rule version that decided an event, as it was then, and where the rule is now. */
export interface DecidedBy {
  ruleId: number;
  version: number;
  name: string;
  /** The rule as saved at that version; null if that version was never kept. */
  snapshot: RuleSnapshot | null;
  /** The rule's version now; null once it is deleted. */
  currentVersion: number | null;
}

/** Everything that explains one event, from receipt to its sync. */
export interface EventTrace {
  event: StoredEvent;
  decidedBy: DecidedBy | null;
  /** What to change, when the event's sync failed or died. */
  advice: DeliveryAdvice | null;
  /** The Jira issues this person is linked to, under every scope. */
  links: Link[];
  replays: StoredEvent[];
  replayOf: number | undefined;
  /** The sync job of this event's person and scope, while its row exists (it is removed when it succeeds). */
  syncJob: KeyedJob | undefined;
}

export interface EventTraceDeps {
  repo: EventRepository;
  links: LinkRepository;
  rules: Pick<RuleService, 'find' | 'version'>;
  jobByKey(key: string): KeyedJob | undefined;
  adviceLinks: AdviceLinks;
  syncMaxAttempts: number;
}

/** The rule behind a decision: its name and mappings now, or undefined when it is gone or nothing rule-based decided. */
export const decidingRule = (rules: Pick<RuleService, 'find'>, event: StoredEvent): (DecidingRule & { id: number }) | undefined => {
  const decision = event.decision;
  if (decision?.via !== 'rule' || decision.ruleId === null) return undefined;
  const current = rules.find(decision.ruleId);
  return { id: decision.ruleId, name: current?.name ?? decision.ruleName ?? `rule ${decision.ruleId}`, mappings: current?.mappings };
};

/** Reads the decision trace of one event: no upstream is called, so the page renders from the database alone. */
export const createEventTrace = (deps: EventTraceDeps) => {
  const snapshotOf = (ruleId: number, version: number): RuleSnapshot | null => {
    try {
      return deps.rules.version(ruleId, version).snapshot;
    } catch (err) {
      if (isAppError(err) && err.status === 404) return null;
      throw err;
    }
  };

  return {
    trace(id: number): EventTrace {
      const event = deps.repo.get(id);
      if (!event) throw notFound(`Event ${id} does not exist; it may have been pruned.`);
      const decision = event.decision;
      let decidedBy: DecidedBy | null = null;
      if (decision?.ruleId != null) {
        const version = decision.ruleVersion ?? 1;
        const snapshot = snapshotOf(decision.ruleId, version);
        decidedBy = { ruleId: decision.ruleId, version, name: snapshot?.name ?? decision.ruleName ?? `rule ${decision.ruleId}`, snapshot, currentVersion: deps.rules.find(decision.ruleId)?.version ?? null };
      }
      const troubled = (event.status === 'dead' || event.status === 'failed' || event.status === 'discarded') && (event.error !== null || event.problems !== null);
      const entityKey = entityKeyOf(event);
      return {
        event,
        decidedBy,
        advice: troubled ? adviseDelivery(event, decidingRule(deps.rules, event), deps.adviceLinks) : null,
        links: deps.links.forEntity(entityKey),
        replays: deps.repo.replaysOf(id),
        replayOf: deps.repo.replayOrigin(id),
        syncJob: event.scope ? deps.jobByKey(syncJobSpec(entityKey, event.scope, deps.syncMaxAttempts).jobKey) : undefined,
      };
    },
  };
};

export type EventTraceService = ReturnType<typeof createEventTrace>;
