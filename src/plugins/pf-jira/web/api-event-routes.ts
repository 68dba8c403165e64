import type { OpenAPIHono } from '@hono/zod-openapi';
import { apiRoute, apiRouter, jsonBody, jsonRequest } from '../../../api/api-route.js';
import type { AppEnv } from '../../../web/app-env.js';
import type { DeadFilter } from '../db/event-repository.js';
import type { Engine } from '../engine.js';
import type { DeadDelivery } from '../events/dead-letters.js';
import type { EventTrace } from '../events/event-trace.js';
import {
  DeadFilterBodySchema,
  DeadIdsSchema,
  DeadLetterPageSchema,
  DeadLetterQuerySchema,
  DeadResultSchema,
  EventListQuerySchema,
  EventPageSchema,
  EventTraceSchema,
  IdParamSchema,
  ReplaySchema,
} from './api-schemas.js';

const EVENTS = ['PeopleForce → Jira: event trace'];
const DEAD = ['PeopleForce → Jira: dead letters'];

const listEvents = apiRoute('events:read', {
  method: 'get',
  path: '/events',
  operationId: 'listEvents',
  summary: 'List and search the event trace',
  description: 'Every PeopleForce change the hub received, newest first, with what the rules decided and where it ended.',
  tags: EVENTS,
  request: { query: EventListQuerySchema },
  responses: { 200: jsonBody(EventPageSchema, 'One page of events.') },
});

const getEvent = apiRoute('events:read', {
  method: 'get',
  path: '/events/{id}',
  operationId: 'getEventTrace',
  summary: 'Read one event’s decision trace',
  description: 'The event, the rule version that decided it, the issues its person is linked to, replays, and what to fix when its sync failed.',
  tags: EVENTS,
  request: { params: IdParamSchema },
  responses: { 200: jsonBody(EventTraceSchema, 'The trace.') },
});

const replay = apiRoute('events:write', {
  method: 'post',
  path: '/events/{id}/replay',
  operationId: 'replayEvent',
  summary: 'Replay an event against the current rules',
  description: 'Runs a copy from the start as a new event; the original keeps its first decision.',
  tags: EVENTS,
  request: { params: IdParamSchema },
  responses: { 201: jsonBody(ReplaySchema, 'The new event and the original’s first decision.') },
});

const listDead = apiRoute('events:read', {
  method: 'get',
  path: '/dead-letters',
  operationId: 'listDeadLetters',
  summary: 'List and search dead deliveries',
  description: 'Deliveries whose sync gave up, most recently dead first, with what to fix. Pages are numbered as on the dead-letter page.',
  tags: DEAD,
  request: { query: DeadLetterQuerySchema },
  responses: { 200: jsonBody(DeadLetterPageSchema, 'One page of dead deliveries.') },
});

const byIds = (action: 'retry' | 'discard') =>
  apiRoute('events:write', {
    method: 'post',
    path: `/dead-letters/${action}`,
    operationId: action === 'retry' ? 'retryDeadLetters' : 'discardDeadLetters',
    summary: action === 'retry' ? 'Retry dead deliveries, by event id' : 'Discard dead deliveries, by event id',
    description:
      action === 'retry'
        ? 'Puts each chosen delivery back in the queue; it syncs with its rule’s current mappings.'
        : 'Gives up on each chosen delivery; its events stay in the trace as discarded.',
    tags: DEAD,
    request: { body: jsonRequest(DeadIdsSchema) },
    responses: { 200: jsonBody(DeadResultSchema, 'What changed; deliveries no longer dead are not counted.') },
  });

const matching = (action: 'retry' | 'discard') =>
  apiRoute('events:write', {
    method: 'post',
    path: `/dead-letters/matching/${action}`,
    operationId: action === 'retry' ? 'retryMatchingDeadLetters' : 'discardMatchingDeadLetters',
    summary: action === 'retry' ? 'Retry every dead delivery matching a filter' : 'Discard every dead delivery matching a filter',
    tags: DEAD,
    request: { body: jsonRequest(DeadFilterBodySchema) },
    responses: { 200: jsonBody(DeadResultSchema, 'What changed.') },
  });

const deadFilter = (f: { person?: string | undefined; rule?: number | undefined; project?: string | undefined; error?: string | undefined }): DeadFilter => ({
  ...(f.person ? { person: f.person } : {}),
  ...(f.rule !== undefined ? { ruleId: f.rule } : {}),
  ...(f.project ? { projectKey: f.project } : {}),
  ...(f.error ? { error: f.error } : {}),
});

const traceView = (trace: EventTrace) => ({
  ...trace,
  replayOf: trace.replayOf ?? null,
  syncJob: trace.syncJob
    ? { id: trace.syncJob.job.id, state: trace.syncJob.state, attempts: trace.syncJob.job.attempts, maxAttempts: trace.syncJob.job.maxAttempts, runAt: trace.syncJob.job.runAt.getTime(), lastError: trace.syncJob.job.lastError }
    : null,
});

const deliveryView = ({ latest: _latest, supersededBy, ...delivery }: DeadDelivery) => ({ ...delivery, supersededBy: supersededBy?.id ?? null });

/** The event trace and the dead letters, through the services their pages call. */
export const eventApiRoutes = (engine: Engine): OpenAPIHono<AppEnv> =>
  apiRouter()
    .openapi(listEvents, (c) => {
      const { rule, before, ...filter } = c.req.valid('query');
      const { events, nextBeforeId } = engine.events.list({ ...filter, ...(rule !== undefined ? { ruleId: rule } : {}), ...(before !== undefined ? { beforeId: before } : {}) });
      return c.json({ items: events, nextBefore: nextBeforeId ?? null }, 200);
    })
    .openapi(getEvent, (c) => c.json(traceView(engine.trace.trace(c.req.valid('param').id)), 200))
    .openapi(replay, (c) => c.json(engine.events.replay(c.var.actor, c.req.valid('param').id), 201))
    .openapi(listDead, (c) => {
      const { page, ...filter } = c.req.valid('query');
      const found = engine.deadLetters.list(deadFilter(filter), page);
      return c.json({ items: found.deliveries.map(deliveryView), total: found.matching.deliveries, totalEvents: found.matching.events, page: found.page, pages: found.pages }, 200);
    })
    .openapi(byIds('retry'), (c) => c.json(engine.deadLetters.retry(c.var.actor, c.req.valid('json').ids), 200))
    .openapi(byIds('discard'), (c) => c.json(engine.deadLetters.discard(c.var.actor, c.req.valid('json').ids), 200))
    .openapi(matching('retry'), (c) => c.json(engine.deadLetters.retryMatching(c.var.actor, deadFilter(c.req.valid('json').filter)), 200))
    .openapi(matching('discard'), (c) => c.json(engine.deadLetters.discardMatching(c.var.actor, deadFilter(c.req.valid('json').filter)), 200));
