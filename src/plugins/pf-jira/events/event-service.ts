import { randomUUID } from 'node:crypto';
import type { RunInTransaction } from '../../../db/transaction.js';
import { notFound } from '../../../errors.js';
import { assertRole, type Actor } from '../../../platform/actor.js';
import type { AuditService } from '../../../platform/audit.js';
import { EVENT_STATUSES, replayDedupeKey, type EventFilter, type EventRepository, type EventStatus, type StoredEvent } from '../db/event-repository.js';
import type { Link, LinkRepository } from '../db/link-repository.js';
import type { Decision } from '../rules/rule-types.js';
import { entityKeyOf } from './envelope.js';
import type { Intake } from './intake.js';

export interface EventDetail {
  event: StoredEvent;
  /** The Jira issues this entity is linked to, under every scope. */
  links: Link[];
}

export interface EventListFilter {
  status?: string;
  type?: string;
  entityId?: string;
  /** A PeopleForce id, or part of a name or email. */
  person?: string;
  ruleId?: number;
  beforeId?: number;
}

export interface ReplayResult {
  eventId: number;
  /** What the original event was decided the first time (null if it was never routed). */
  firstDecision: Decision | null;
}

const PAGE_SIZE = 50;

/** Reading the event log, and replaying an event against the current rules. */
export const createEventService = (deps: { repo: EventRepository; links: LinkRepository; intake: Intake; audit: AuditService; tx: RunInTransaction }) => ({
  list(filter: EventListFilter): { events: StoredEvent[]; nextBeforeId: number | undefined } {
    const query: EventFilter = { limit: PAGE_SIZE + 1 };
    if (filter.status && (EVENT_STATUSES as readonly string[]).includes(filter.status)) query.status = filter.status as EventStatus;
    if (filter.type) query.type = filter.type;
    if (filter.entityId) query.entityId = filter.entityId;
    if (filter.person) query.person = filter.person;
    if (filter.ruleId !== undefined) query.ruleId = filter.ruleId;
    if (filter.beforeId !== undefined) query.beforeId = filter.beforeId;
    const rows = deps.repo.list(query);
    const page = rows.slice(0, PAGE_SIZE);
    return { events: page, nextBeforeId: rows.length > PAGE_SIZE ? page.at(-1)?.id : undefined };
  },

  counts: (): Record<EventStatus, number> => deps.repo.countByStatus(),

  get(id: number): EventDetail {
    const event = deps.repo.get(id);
    if (!event) throw notFound(`Event ${id} does not exist; it may have been pruned.`);
    return { event, links: deps.links.forEntity(entityKeyOf(event)) };
  },

  /**
   * Runs a stored event again from the start, as a new event (source "replay"),
   * so the original keeps the decision it got the first time. The copy's
   * dedupe key names the original, so each can show the other.
   */
  replay(actor: Actor, id: number): ReplayResult {
    assertRole(actor, 'operator', 'replay events');
    const original = deps.repo.get(id);
    if (!original) throw notFound(`Event ${id} does not exist; it may have been pruned.`);
    // The copy, its routing job and the audit entry are written together or not at all.
    return deps.tx(() => {
      const result = deps.intake.record(
        { source: 'replay', type: original.type, entityType: original.entityType, entityId: original.entityId, occurredAt: original.occurredAt, payload: original.payload },
        { dedupeKey: replayDedupeKey(id, randomUUID()), correlationId: actor.requestId },
      );
      const eventId = result.eventId ?? 0;
      deps.audit.record(actor, {
        action: 'pf-jira.event.replay',
        targetType: 'pf-jira.event',
        targetId: String(id),
        after: { replayEventId: eventId, firstRuleId: original.decision?.ruleId ?? null, firstRuleVersion: original.decision?.ruleVersion ?? null },
      });
      return { eventId, firstDecision: original.decision };
    });
  },
});

export type EventService = ReturnType<typeof createEventService>;
