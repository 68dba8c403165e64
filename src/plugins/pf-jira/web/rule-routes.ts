import { Hono, type Context } from 'hono';
import { isAppError, validationError } from '../../../errors.js';
import type { Role } from '../../../db/schema/users.js';
import { hasRole } from '../../../platform/actor.js';
import type { EventBus } from '../../../platform/events.js';
import type { AppEnv } from '../../../web/app-env.js';
import { field, readForm } from '../../../web/form.js';
import { setFlash } from '../../../web/flash.js';
import { isHtmx, redirect, triggerHeader, triggerMessage } from '../../../web/htmx.js';
import { requireRole } from '../../../web/middleware/access.js';
import { timedAction } from '../../../web/middleware/latency.js';
import { liveEventStream } from '../../../web/sse.js';
import type { Engine } from '../engine.js';
import { filterQuery, filterRules, isFiltered, parseRuleFilter, RULE_STATUSES, type RuleFilter } from '../rules/rule-filter.js';
import { versionChanges } from '../rules/rule-history.js';
import { moveRule, reorderRules } from '../rules/rule-ordering.js';
import { RULE_ACTIONS, type Rule } from '../rules/rule-types.js';
import { local, pfRoutes } from './pf-routes.js';

const RESULTS_TARGET = 'rules-results';
const RULE_EVENTS_SHOWN = 20;
const ID = '{[0-9]{1,12}}';

const crumbs = [{ label: 'PeopleForce → Jira' }, { label: 'Routing rules', href: pfRoutes.rules }];

/** What a rule row may offer this user. */
const permissions = (role: Role) => ({ canReorder: hasRole(role, 'admin'), canToggle: hasRole(role, 'operator'), canEdit: hasRole(role, 'admin') });

const numbers = (value: string | string[] | undefined): number[] | undefined => {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (!list.every((v) => /^\d{1,12}$/.test(v))) return undefined;
  return list.map(Number);
};

/**
 * The routing rules dashboard: rules in evaluation order with live validation
 * badges, reordering, on/off switches, search and filters, the Sync now panel,
 * and each rule's detail page. The rule editor's routes live elsewhere.
 */
export const ruleRoutes = (engine: Engine, events: EventBus): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();

  const common = (c: Context<AppEnv>) => ({ h: c.var.renderer.helpers, csrfToken: c.get('session')?.csrfToken ?? '', routes: pfRoutes, ...permissions(c.get('actor').role) });

  const resultsData = (c: Context<AppEnv>, filter: RuleFilter, message?: { kind: string; text: string }) => {
    const all = engine.rules.list();
    const rules = filterRules(all, filter);
    return { ...common(c), rules, total: all.length, filter, filtered: isFiltered(filter), query: filterQuery(filter), message };
  };

  const renderResults = (c: Context<AppEnv>, filter: RuleFilter, status = 200, message?: { kind: string; text: string }) =>
    c.var.renderer.fragment(c, 'plugins/pf-jira/rules-results', resultsData(c, filter, message), status);

  const syncPanelData = (c: Context<AppEnv>) => ({ ...common(c), canPoll: hasRole(c.get('actor').role, 'operator'), report: engine.pollReport() });

  /** Where a plain form goes back to: the dashboard with the filter it was posted from (rows do not know it; the browser does). */
  const back = (c: Context<AppEnv>) => {
    let from: URL | undefined;
    try {
      from = new URL(c.req.header('Referer') ?? '', 'http://hub.invalid');
    } catch {
      from = undefined;
    }
    if (from?.pathname !== pfRoutes.rules) return pfRoutes.rules;
    const query = filterQuery(parseRuleFilter(Object.fromEntries(from.searchParams)));
    return query ? `${pfRoutes.rules}?${query}` : pfRoutes.rules;
  };

  app.get(local(pfRoutes.rules), timedAction('Rules page'), (c) => {
    const filter = parseRuleFilter(c.req.query());
    if (isHtmx(c) && c.req.header('HX-Target') === RESULTS_TARGET) return renderResults(c, filter);
    const settings = engine.reader.settings();
    return c.var.renderer.page(
      c,
      'plugins/pf-jira/rules',
      {
        ...resultsData(c, filter),
        settings,
        statuses: RULE_STATUSES,
        actions: RULE_ACTIONS,
        canValidate: hasRole(c.get('actor').role, 'operator'),
        sync: syncPanelData(c),
        streamUrl: `${pfRoutes.rulesStream}?rev=${engine.rulesRevision()}`,
      },
      { title: 'Routing rules', breadcrumbs: [crumbs[0] as { label: string }, { label: 'Routing rules' }], helpTopic: 'pf-jira-routing-rules', active: pfRoutes.rules },
    );
  });

  // Registered before /rules/:id so "stream" is never read as a rule id.
  app.get(local(pfRoutes.rulesStream), (c) => {
    const seen = Number(c.req.query('rev'));
    const renderer = c.var.renderer;
    const badge = (id: number) => () => {
      const rule = engine.rules.find(id);
      return rule ? renderer.eta.render('plugins/pf-jira/rule-badge', { rule }) : '';
    };
    const syncPanel = () => renderer.eta.render('plugins/pf-jira/sync-panel', syncPanelData(c));
    const changed = () => String(engine.rulesRevision());
    return liveEventStream(c, {
      events,
      log: c.get('log'),
      initial: (queue) => {
        queue('sync-panel', syncPanel);
        if (seen !== engine.rulesRevision()) queue('rules-changed', changed);
      },
      subscribe: (queue) => [
        events.on('pf-jira.rule.validation', ({ ruleId }) => {
          queue(`rule-badge-${ruleId}`, badge(ruleId));
          queue('rule-validated', changed);
        }),
        events.on('pf-jira.rules.changed', () => queue('rules-changed', changed)),
        ...(['pf-jira.poll.progress', 'pf-jira.routed', 'pf-jira.sync'] as const).map((name) => events.on(name, () => queue('sync-panel', syncPanel))),
      ],
    });
  });

  app.post(local(pfRoutes.rulesValidate), requireRole('operator', 'validate rules'), async (c) => {
    await engine.validateAllNow();
    const text = 'Validation of every enabled rule was queued; the badges change as each rule is checked, and invalid rules are turned off.';
    if (isHtmx(c)) {
      // The page stays as it is: the badges and switches change over the live stream.
      triggerMessage(c, 'info', text);
      return c.body(null, 204);
    }
    setFlash(c, { kind: 'info', text });
    return redirect(c, pfRoutes.rules);
  });

  app.post(local(pfRoutes.rulesReorder), requireRole('admin', 'reorder routing rules'), async (c) => {
    const form = await readForm(c);
    const ids = numbers(form['ids[]']);
    const versions = numbers(form['versions[]']);
    const empty = parseRuleFilter({});
    try {
      if (!ids) throw validationError('The new order could not be read (ids[] must be rule ids); the list was reloaded.');
      reorderRules(engine.rules, ids, versions, c.get('actor'));
    } catch (err) {
      // A refused order answers with the current list, so the page never keeps showing an order that was not saved.
      if (!isAppError(err) || (err.status !== 409 && err.status !== 422)) throw err;
      if (!isHtmx(c)) {
        setFlash(c, { kind: 'danger', text: err.message });
        return redirect(c, pfRoutes.rules);
      }
      return renderResults(c, empty, err.status, { kind: 'danger', text: err.message });
    }
    if (!isHtmx(c)) {
      setFlash(c, { kind: 'success', text: 'The new rule order was saved.' });
      return redirect(c, pfRoutes.rules);
    }
    return renderResults(c, empty, 200, { kind: 'success', text: 'The new rule order was saved.' });
  });

  app.post(`/rules/:id${ID}/move/:direction{up|down}`, requireRole('admin', 'reorder routing rules'), async (c) => {
    const id = Number(c.req.param('id'));
    const direction = c.req.param('direction') as 'up' | 'down';
    const result = moveRule(engine.rules, id, direction, c.get('actor'));
    const position = result.rules.findIndex((r) => r.id === id) + 1;
    const text = result.moved
      ? `“${result.rule.name}” moved ${direction}; it is now number ${position} of ${result.rules.length}.`
      : `“${result.rule.name}” is already ${direction === 'up' ? 'first' : 'last'}.`;
    if (!isHtmx(c)) {
      setFlash(c, { kind: result.moved ? 'success' : 'info', text });
      return redirect(c, back(c));
    }
    c.header('HX-Trigger', triggerHeader({ rulesMoved: { text, id } }));
    return renderResults(c, parseRuleFilter({}));
  });

  app.post(`/rules/:id${ID}/enabled`, requireRole('operator', 'turn routing rules on or off'), async (c) => {
    const form = await readForm(c);
    const enabled = field(form, 'enabled') === '1';
    const rule = engine.rules.setEnabled(Number(c.req.param('id')), enabled, c.get('actor'));
    const text = `“${rule.name}” is now ${rule.enabled ? 'on; it is being validated again' : 'off; events skip it'}.`;
    if (!isHtmx(c)) {
      setFlash(c, { kind: 'success', text });
      return redirect(c, back(c));
    }
    return c.var.renderer.fragment(c, 'plugins/pf-jira/rule-row', { ...common(c), rule });
  });

  app.post(local(pfRoutes.pollNow), requireRole('operator', 'start a poll'), async (c) => {
    await engine.pollNow();
    if (!isHtmx(c)) {
      setFlash(c, { kind: 'info', text: 'A PeopleForce poll was queued; its progress and summary show under Sync now.' });
      return redirect(c, pfRoutes.rules);
    }
    return c.var.renderer.fragment(c, 'plugins/pf-jira/sync-panel', syncPanelData(c));
  });

  app.get(`/rules/:id${ID}`, (c) => {
    const id = Number(c.req.param('id'));
    const rule: Rule = engine.rules.get(id);
    return c.var.renderer.page(
      c,
      'plugins/pf-jira/rule-detail',
      {
        ...common(c),
        rule,
        versions: versionChanges(engine.rules.versions(id)),
        events: engine.eventRepo.list({ ruleId: id, limit: RULE_EVENTS_SHOWN }),
        eventsShown: RULE_EVENTS_SHOWN,
      },
      { title: rule.name, breadcrumbs: [...crumbs, { label: rule.name }], helpTopic: 'pf-jira-routing-rules', helpLabel: 'Routing rules', active: pfRoutes.rules },
    );
  });

  return app;
};
