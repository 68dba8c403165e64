import { Hono } from 'hono';
import { hasRole } from '../../../platform/actor.js';
import type { AppEnv } from '../../../web/app-env.js';
import { setFlash } from '../../../web/flash.js';
import { redirect } from '../../../web/htmx.js';
import { requireRole } from '../../../web/middleware/access.js';
import { EVENT_STATUSES } from '../db/event-repository.js';
import type { Engine } from '../engine.js';
import { WEBHOOK_TOPICS } from '../peopleforce/webhook-parser.js';
import { local, pfRoutes } from './pf-routes.js';

const parseId = (value: string | undefined): number | undefined => (value && /^\d{1,12}$/.test(value) ? Number(value) : undefined);

/** The event log: what came in, what the rules decided, and where each event ended. */
export const eventRoutes = (engine: Engine): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();
  const crumbs = [{ label: 'PeopleForce → Jira' }, { label: 'Events', href: pfRoutes.events }];

  app.get(local(pfRoutes.events), (c) => {
    const q = c.req.query();
    const filters = { status: q.status ?? '', type: q.type ?? '', entityId: (q.entity ?? '').trim().slice(0, 40) };
    const beforeId = parseId(q.before);
    const result = engine.events.list({ ...filters, ...(beforeId !== undefined ? { beforeId } : {}) });
    const query = new URLSearchParams(Object.entries({ status: filters.status, type: filters.type, entity: filters.entityId }).filter(([, v]) => v !== '')).toString();
    return c.var.renderer.page(
      c,
      'plugins/pf-jira/events',
      { ...result, filters, query, counts: engine.events.counts(), statuses: EVENT_STATUSES, types: [...WEBHOOK_TOPICS.keys()], jiraBrowse: browseBase(engine), routes: pfRoutes, canPoll: hasRole(c.get('actor').role, 'operator'), lastPoll: engine.lastPoll(), lastSweep: engine.lastSweep() },
      { title: 'Events', breadcrumbs: [crumbs[0] as { label: string }, { label: 'Events' }], helpTopic: 'pf-jira-routing-rules', helpLabel: 'Routing rules', active: pfRoutes.events },
    );
  });

  app.get('/events/:id', (c) => {
    const id = parseId(c.req.param('id'));
    if (id === undefined) return c.notFound();
    const detail = engine.events.get(id);
    return c.var.renderer.page(
      c,
      'plugins/pf-jira/event-detail',
      { ...detail, jiraBrowse: browseBase(engine), routes: pfRoutes, canReplay: hasRole(c.get('actor').role, 'operator') },
      { title: `Event ${id}`, breadcrumbs: [...crumbs, { label: `Event ${id}` }], helpTopic: 'pf-jira-routing-rules', helpLabel: 'Routing rules', active: pfRoutes.events },
    );
  });

  app.post('/events/:id/replay', requireRole('operator', 'replay events'), (c) => {
    const id = parseId(c.req.param('id'));
    if (id === undefined) return c.notFound();
    const { eventId } = engine.events.replay(c.get('actor'), id);
    setFlash(c, { kind: 'success', text: `Event ${id} was queued again as event ${eventId}, against the current rules.` });
    return redirect(c, pfRoutes.event(eventId));
  });

  app.post(local(pfRoutes.pollNow), requireRole('operator', 'start a poll'), async (c) => {
    await engine.pollNow();
    setFlash(c, { kind: 'info', text: 'A PeopleForce poll was queued; new events appear here as they arrive.' });
    return redirect(c, pfRoutes.events);
  });

  return app;
};

const browseBase = (engine: Engine): string | null => {
  const site = engine.reader.settings().jiraSiteUrl;
  return site ? `${site.replace(/\/+$/, '')}/browse/` : null;
};
