import type { RunInTransaction } from '../../../db/transaction.js';
import type { JobHelpers, JobQueue } from '../../../jobs/index.js';
import type { Clock } from '../../../platform/clock.js';
import type { EventBus } from '../../../platform/events.js';
import type { EventRepository } from '../db/event-repository.js';
import type { RouteJobPayload } from '../events/intake.js';
import type { Decision } from '../rules/rule-types.js';
import type { PfJiraSettings } from '../settings.js';
import './sync-events.js';
import type { SyncJobPayload } from './issue-sync.js';

export const SYNC_TASK = 'pf-jira.sync_issue';

export interface RuleSetEvaluator {
  evaluate(event: { type: string; payload: unknown }, fallback: { noMatchAction: 'fallback' | 'drop'; fallbackProject: string | undefined; fallbackIssueType: string }): Decision;
}

/** The link an event syncs through: one issue per entity per rule, and one for the fallback. */
export const scopeOf = (decision: Decision): string => (decision.via === 'rule' ? `rule:${decision.ruleId}` : 'fallback');

export const syncJobSpec = (entityKey: string, scope: string, maxAttempts: number) => ({
  jobKey: `pf-jira:sync:${entityKey}:${scope}`,
  jobKeyMode: 'replace' as const,
  // One queue per link: two syncs of the same issue never run at once.
  queueName: `pf-jira:sync:${entityKey}:${scope}`,
  maxAttempts,
});

/**
 * Routes every waiting event of one entity, oldest first, through the rules
 * (the firewall). Each decision is stored with its event, and a SYNC queues
 * the link's sync job in the same transaction, so nothing is decided and lost.
 */
export const createRouteTask = (deps: {
  events: EventRepository;
  rules: () => RuleSetEvaluator;
  settings: () => PfJiraSettings;
  queue: JobQueue;
  tx: RunInTransaction;
  clock: Clock;
  bus: EventBus;
  syncMaxAttempts: number;
}) =>
  async (rawPayload: unknown, helpers: JobHelpers): Promise<void> => {
    const { entityType, entityId } = rawPayload as RouteJobPayload;
    const waiting = deps.events.awaitingRouting(entityType, entityId);
    if (!waiting.length) return;
    const settings = deps.settings();
    const ruleSet = deps.rules();
    const fallback = { noMatchAction: settings.noMatchAction, fallbackProject: settings.fallbackProjects[0], fallbackIssueType: settings.fallbackIssueType };
    const entityKey = `${entityType}:${entityId}`;
    deps.tx(() => {
      for (const event of waiting) {
        const decision = ruleSet.evaluate({ type: event.type, payload: event.payload }, fallback);
        const now = deps.clock.now();
        if (decision.action === 'SYNC') {
          const scope = scopeOf(decision);
          deps.events.recordDecision(event.id, decision, 'routed', scope, now);
          const payload: SyncJobPayload = { entityType, entityId, scope };
          deps.queue.addJobSync(SYNC_TASK, payload, syncJobSpec(entityKey, scope, deps.syncMaxAttempts));
        } else {
          deps.events.recordDecision(event.id, decision, 'dropped', null, now);
        }
        helpers.logger.info({ event: event.id, type: event.type, entity: entityKey, action: decision.action, via: decision.via, rule: decision.ruleId, ruleVersion: decision.ruleVersion }, 'event routed');
      }
    });
    deps.bus.emit('pf-jira.routed', { entityKey, eventIds: waiting.map((e) => e.id) });
  };
