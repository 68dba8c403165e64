import { Hono } from 'hono';
import { hasRole } from '../../../platform/actor.js';
import type { AppEnv } from '../../../web/app-env.js';
import { setFlash } from '../../../web/flash.js';
import { redirect } from '../../../web/htmx.js';
import { requireRole } from '../../../web/middleware/access.js';
import { EVENT_STATUSES } from '../db/event-repository.js';
import type { Engine } from '../engine.js';
import { WEBHOOK_TOPICS } from '../peopleforce/webhook-parser.js';
import type { Decision } from '../rules/rule-types.js';
import { jiraBrowseBase } from './jira-browse.js';
import { local, pfRoutes } from './pf-routes.js';

const parseId = (value: string | undefined): number | undefined => (value && /^\d{1,12}$/.test(value) ? Number(value) : undefined);

const HELP = { helpTopic: 'pf-jira-events', helpLabel: 'Event trace' };

/** "First decided by “IT onboarding” v3" — or how it was decided when no rule did. */
const firstDecisionText = (decision: Decision | null): string => {
  if (!decision) return 'The event had not been routed yet';
  if (decision.via === 'rule') return `First decided by “${decision.ruleName ?? `rule ${decision.ruleId}`}” v${decision.ruleVersion ?? '?'}`;
  if (decision.via === 'fallback') return `First sent to the fallback project ${decision.projectKey ?? ''}`.trimEnd();
  return 'First dropped: no rule matched';
};

/** The event trace: what came in, what the rules decided, and where each event ended. */
export const eventRoutes = (engine: Engine): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();
  const crumbs = [{ label: 'PeopleForce → Jira' }, { label: 'Event trace', href: pfRoutes.events }];

  app.get(local(pfRoutes.events), (c) => {
    const q = c.req.query();
    const filters = {
      status: (EVENT_STATUSES as readonly string[]).includes(q.status ?? '') ? (q.status as string) : '',
      type: q.type ?? '',
      person: (q.person ?? q.entity ?? '').trim().slice(0, 100),
      rule: /^\d{1,9}$/.test(q.rule ?? '') ? (q.rule as string) : '',
    };
    const beforeId = parseId(q.before);
    const result = engine.events.list({
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.type ? { type: filters.type } : {}),
      ...(filters.person ? { person: filters.person } : {}),
      ...(filters.rule ? { ruleId: Number(filters.rule) } : {}),
      ...(beforeId !== undefined ? { beforeId } : {}),
    });
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== '')).toString();
    return c.var.renderer.page(
      c,
      'plugins/pf-jira/events',
      {
        ...result,
        filters,
        query,
        counts: engine.events.counts(),
        statuses: EVENT_STATUSES,
        types: [...WEBHOOK_TOPICS.keys()],
        rules: engine.rules.list(),
        jiraBrowse: jiraBrowseBase(engine),
        routes: pfRoutes,
        lastPoll: engine.lastPoll(),
        lastSweep: engine.lastSweep(),
      },
      { title: 'Event trace', breadcrumbs: [crumbs[0] as { label: string }, { label: 'Event trace' }], ...HELP, active: pfRoutes.events },
    );
  });

  app.get('/events/:id', (c) => {
    const id = parseId(c.req.param('id'));
    if (id === undefined) return c.notFound();
    const trace = engine.trace.trace(id);
    return c.var.renderer.page(
      c,
      'plugins/pf-jira/event-detail',
      { ...trace, jiraBrowse: jiraBrowseBase(engine), routes: pfRoutes, canReplay: hasRole(c.get('actor').role, 'operator') },
      { title: `Event ${id}`, breadcrumbs: [...crumbs, { label: `Event ${id}` }], ...HELP, active: pfRoutes.events },
    );
  });

  app.post('/events/:id/replay', requireRole('operator', 'replay events'), (c) => {
    const id = parseId(c.req.param('id'));
    if (id === undefined) return c.notFound();
    const { eventId, firstDecision } = engine.events.replay(c.get('actor'), id);
    setFlash(c, { kind: 'success', text: `${firstDecisionText(firstDecision)}; replayed as event ${eventId} against the current rules. Event ${id} keeps its first decision.` });
    return redirect(c, pfRoutes.event(eventId));
  });

  return app;
};
