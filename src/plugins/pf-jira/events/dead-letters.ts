import type { RunInTransaction } from '../../../db/transaction.js';
import { validationError } from '../../../errors.js';
import type { JobQueue } from '../../../jobs/index.js';
import { assertRole, type Actor } from '../../../platform/actor.js';
import type { AuditService } from '../../../platform/audit.js';
import type { Clock } from '../../../platform/clock.js';
import type { DeadFilter, EventRepository, StoredEvent } from '../db/event-repository.js';
import type { RuleService } from '../rules/rule-service.js';
import type { Decision } from '../rules/rule-types.js';
import type { SyncJobPayload } from '../sync/issue-sync.js';
import { SYNC_TASK, syncJobSpec } from '../sync/route-task.js';
import { adviseDelivery, type AdviceLinks, type DeliveryAdvice } from './delivery-advice.js';
import { decidingRule } from './event-trace.js';

/**
 * A dead delivery: the dead events of one person under one scope (a rule, or
 * the fallback). It is the unit one sync job retries, so it is what the
 * dead-letter page lists and acts on.
 */
export interface DeadDelivery {
  /** The newest dead event's id: choosing it chooses the whole delivery. */
  id: number;
  entityType: string;
  entityId: string;
  scope: string;
  person: { name: string | null; email: string | null };
  /** The dead events, oldest first; the newest is what a retry sends. */
  events: StoredEvent[];
  latest: StoredEvent;
  decision: Decision | null;
  /** The rule that decided, at the version that decided; null for the fallback. */
  rule: { id: number; name: string; version: number | null; currentVersion: number | null } | null;
  diedAt: number;
  /** Attempts the sync job made, while its row is kept. */
  attempts: { made: number; max: number } | null;
  advice: DeliveryAdvice;
  /** A later change of the same person and scope that synced: retrying would send older data again. */
  supersededBy: StoredEvent | null;
}

export interface DeadLetterPage {
  deliveries: DeadDelivery[];
  /** Everything matching the filter, across pages. */
  matching: { deliveries: number; events: number };
  page: number;
  pages: number;
}

/** What an action changed. */
export interface DeadLetterResult {
  deliveries: number;
  events: number;
}

export interface DeadLetterDeps {
  repo: EventRepository;
  rules: Pick<RuleService, 'find'>;
  queue: Pick<JobQueue, 'addJobSync' | 'removeJob' | 'jobByKey'>;
  audit: AuditService;
  tx: RunInTransaction;
  clock: Clock;
  adviceLinks: AdviceLinks;
  syncMaxAttempts: number;
}

const PAGE_SIZE = 25;
/** Deliveries handled per round of a bulk action; each round re-reads what is still dead. */
const BULK_BATCH = 200;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

type DeliveryKey = { entityType: string; entityId: string; scope: string };

/** Dead deliveries: listing them with what to fix, and retrying or discarding them. */
export const createDeadLetters = (deps: DeadLetterDeps) => {
  const jobKeyOf = (d: DeliveryKey) => syncJobSpec(`${d.entityType}:${d.entityId}`, d.scope, deps.syncMaxAttempts).jobKey;

  const describe = (key: DeliveryKey & { diedAt: number }): DeadDelivery | undefined => {
    const events = deps.repo.deadOfDelivery(key.entityType, key.entityId, key.scope);
    const latest = events.at(-1);
    if (!latest) return undefined;
    const decision = latest.decision;
    const job = deps.queue.jobByKey(jobKeyOf(key));
    const synced = deps.repo.lastSynced(key.entityType, key.entityId, key.scope);
    const current = decision?.ruleId != null ? deps.rules.find(decision.ruleId) : undefined;
    return {
      id: latest.id,
      ...key,
      person: { name: text(latest.payload.full_name), email: text(latest.payload.email) },
      events,
      latest,
      decision,
      rule: decision?.ruleId != null ? { id: decision.ruleId, name: decision.ruleName ?? current?.name ?? `rule ${decision.ruleId}`, version: decision.ruleVersion, currentVersion: current?.version ?? null } : null,
      diedAt: key.diedAt,
      attempts: job ? { made: job.job.attempts, max: job.job.maxAttempts } : null,
      advice: adviseDelivery(latest, decidingRule(deps.rules, latest), deps.adviceLinks),
      supersededBy: synced && synced.occurredAt > latest.occurredAt ? synced : null,
    };
  };

  /** The deliveries the chosen event ids belong to (any dead event of a delivery chooses all of it). */
  const chosen = (ids: unknown[]): DeliveryKey[] => {
    const numbers = ids.map((v) => Number(v));
    if (!numbers.length || numbers.some((n) => !Number.isInteger(n) || n <= 0)) {
      throw validationError('Choose at least one delivery.', { ids: 'Tick the deliveries to act on.' });
    }
    const keys = new Map<string, DeliveryKey>();
    for (const id of new Set(numbers)) {
      const event = deps.repo.get(id);
      if (event?.status !== 'dead' || !event.scope) continue;
      keys.set(`${event.entityType}:${event.entityId}|${event.scope}`, { entityType: event.entityType, entityId: event.entityId, scope: event.scope });
    }
    return [...keys.values()];
  };

  const retryOne = (key: DeliveryKey): number => {
    const ids = deps.repo.deadOfDelivery(key.entityType, key.entityId, key.scope).map((e) => e.id);
    const revived = deps.repo.reviveDead(ids, deps.clock.now());
    if (!revived) return 0;
    const payload: SyncJobPayload = key;
    // `replace` resets a dead job holding this key (attempts and errors start over), so exactly one sync job runs.
    deps.queue.addJobSync(SYNC_TASK, payload, syncJobSpec(`${key.entityType}:${key.entityId}`, key.scope, deps.syncMaxAttempts));
    return revived;
  };

  const discardOne = (key: DeliveryKey): number => {
    const ids = deps.repo.deadOfDelivery(key.entityType, key.entityId, key.scope).map((e) => e.id);
    const discarded = deps.repo.discardDead(ids, deps.clock.now());
    const jobKey = jobKeyOf(key);
    // Only a dead job goes: a live one is already syncing newer events of this person. removeJob's statement runs before it returns its promise.
    if (discarded && deps.queue.jobByKey(jobKey)?.state === 'dead') void deps.queue.removeJob(jobKey);
    return discarded;
  };

  const apply = (actor: Actor, action: 'retry' | 'discard', keys: DeliveryKey[], how: Record<string, unknown>): DeadLetterResult =>
    deps.tx(() => {
      const result = { deliveries: 0, events: 0 };
      for (const key of keys) {
        const n = action === 'retry' ? retryOne(key) : discardOne(key);
        if (n) {
          result.deliveries++;
          result.events += n;
        }
      }
      deps.audit.record(actor, {
        action: `pf-jira.dead_letter.${action}`,
        targetType: 'pf-jira.delivery',
        targetId: keys.map((k) => `${k.entityType}:${k.entityId}|${k.scope}`).join(',').slice(0, 500),
        after: { ...how, ...result },
      });
      return result;
    });

  const matchingKeys = (filter: DeadFilter): DeliveryKey[] => {
    const keys: DeliveryKey[] = [];
    for (let offset = 0; ; offset += BULK_BATCH) {
      const rows = deps.repo.deadDeliveries(filter, BULK_BATCH, offset);
      keys.push(...rows.map((r) => ({ entityType: r.entityType, entityId: r.entityId, scope: r.scope })));
      if (rows.length < BULK_BATCH) return keys;
    }
  };

  return {
    list(filter: DeadFilter, page = 1): DeadLetterPage {
      const matching = deps.repo.countDead(filter);
      const pages = Math.max(1, Math.ceil(matching.deliveries / PAGE_SIZE));
      const at = Math.min(Math.max(1, page), pages);
      const rows = deps.repo.deadDeliveries(filter, PAGE_SIZE, (at - 1) * PAGE_SIZE);
      const deliveries = rows.map(describe).filter((d): d is DeadDelivery => d !== undefined);
      return { deliveries, matching, page: at, pages };
    },

    count: (filter: DeadFilter = {}) => deps.repo.countDead(filter),

    /** Puts the chosen deliveries back in the queue; the sync uses the rule's current mappings, so a fixed mapping takes effect. */
    retry(actor: Actor, ids: unknown[]): DeadLetterResult {
      assertRole(actor, 'operator', 'retry dead deliveries');
      return apply(actor, 'retry', chosen(ids), { by: 'selection' });
    },

    retryMatching(actor: Actor, filter: DeadFilter): DeadLetterResult {
      assertRole(actor, 'operator', 'retry dead deliveries');
      return apply(actor, 'retry', matchingKeys(filter), { by: 'filter', filter });
    },

    /** Gives up on the chosen deliveries: their events are kept as discarded for the trace, and their dead sync job is removed. */
    discard(actor: Actor, ids: unknown[]): DeadLetterResult {
      assertRole(actor, 'operator', 'discard dead deliveries');
      return apply(actor, 'discard', chosen(ids), { by: 'selection' });
    },

    discardMatching(actor: Actor, filter: DeadFilter): DeadLetterResult {
      assertRole(actor, 'operator', 'discard dead deliveries');
      return apply(actor, 'discard', matchingKeys(filter), { by: 'filter', filter });
    },
  };
};

export type DeadLetters = ReturnType<typeof createDeadLetters>;
