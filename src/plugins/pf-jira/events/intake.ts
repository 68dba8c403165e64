import type { RunInTransaction } from '../../../db/transaction.js';
import type { JobQueue } from '../../../jobs/index.js';
import type { Clock } from '../../../platform/clock.js';
import type { Logger } from '../../../platform/logger.js';
import type { EventRepository } from '../db/event-repository.js';
import { entityKeyOf, type EntityType, type EventEnvelope } from './envelope.js';

/** The task that routes every received event of one entity, oldest first. */
export const ROUTE_TASK = 'pf-jira.route_entity';

/** Routing failures are ours or Jira's metadata; ten tries (about 6 h of backoff) is enough to outlast an outage. */
const ROUTE_MAX_ATTEMPTS = 10;

export const routeJobKey = (entityKey: string): string => `pf-jira:route:${entityKey}`;

export interface RouteJobPayload {
  entityType: EntityType;
  entityId: string;
}

/** What intake needs of the event log: storing, and naming the event a duplicate repeats. */
export type IntakeEventStore = Pick<EventRepository, 'insert'> & {
  idByDedupeKey(dedupeKey: string): number | undefined;
};

export type IntakeResult = { status: 'queued'; eventId: number } | { status: 'duplicate'; eventId: number | null };

/**
 * The one door for inbound changes (webhook and poll). The event and its
 * routing job are written in one transaction, so an event is never stored
 * without a job to route it, nor a job queued for an event that was not
 * stored. The job key is per entity and replaces a waiting job, so a burst of
 * changes to one employee leaves one job, which routes all of them in order.
 */
export const createIntake = (deps: { events: IntakeEventStore; queue: JobQueue; tx: RunInTransaction; clock: Clock; logger: Logger }) => ({
  record(envelope: EventEnvelope, options: { dedupeKey: string | null; correlationId: string | null; log?: Logger }): IntakeResult {
    const entity = entityKeyOf(envelope);
    const result = deps.tx((): IntakeResult => {
      const stored = deps.events.insert(envelope, { dedupeKey: options.dedupeKey, correlationId: options.correlationId, now: deps.clock.now() });
      if (!stored) return { status: 'duplicate', eventId: options.dedupeKey === null ? null : (deps.events.idByDedupeKey(options.dedupeKey) ?? null) };
      const payload: RouteJobPayload = { entityType: envelope.entityType, entityId: envelope.entityId };
      deps.queue.addJobSync(ROUTE_TASK, payload, { jobKey: routeJobKey(entity), jobKeyMode: 'replace', maxAttempts: ROUTE_MAX_ATTEMPTS });
      return { status: 'queued', eventId: stored.id };
    });
    const log = options.log ?? deps.logger;
    const fields = { type: envelope.type, entity, source: envelope.source };
    if (result.status === 'queued') log.info({ event: result.eventId, ...fields }, 'event received');
    else log.info({ event: result.eventId, ...fields }, 'duplicate event ignored');
    return result;
  },
});

export type Intake = ReturnType<typeof createIntake>;
