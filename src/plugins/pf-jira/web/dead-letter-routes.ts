import { Hono, type Context } from 'hono';
import { isAppError } from '../../../errors.js';
import { hasRole } from '../../../platform/actor.js';
import type { AppEnv } from '../../../web/app-env.js';
import { setFlash } from '../../../web/flash.js';
import { field, readForm, type FormFields } from '../../../web/form.js';
import { redirect } from '../../../web/htmx.js';
import { requireRole } from '../../../web/middleware/access.js';
import type { DeadFilter } from '../db/event-repository.js';
import type { DeadLetterResult } from '../events/dead-letters.js';
import type { Engine } from '../engine.js';
import { jiraBrowseBase } from './jira-browse.js';
import { local, pfRoutes } from './pf-routes.js';

const HELP_TOPIC = 'pf-jira-dead-letters';
const FILTER_KEYS = ['person', 'rule', 'project', 'error'] as const;

/** The filter as the form sends it: strings, '' meaning "any". */
type FilterFields = Record<(typeof FILTER_KEYS)[number], string>;

const readFilter = (get: (name: string) => string | undefined): FilterFields => ({
  person: (get('person') ?? '').trim().slice(0, 100),
  rule: /^\d{1,9}$/.test(get('rule') ?? '') ? (get('rule') as string) : '',
  project: /^[A-Z][A-Z0-9_]{1,9}$/.test(get('project') ?? '') ? (get('project') as string) : '',
  error: (get('error') ?? '').trim().slice(0, 200),
});

const toDeadFilter = (f: FilterFields): DeadFilter => ({
  ...(f.person ? { person: f.person } : {}),
  ...(f.rule ? { ruleId: Number(f.rule) } : {}),
  ...(f.project ? { projectKey: f.project } : {}),
  ...(f.error ? { error: f.error } : {}),
});

const filterQuery = (f: FilterFields): string => new URLSearchParams(FILTER_KEYS.filter((k) => f[k] !== '').map((k): [string, string] => [k, f[k]])).toString();

const listUrl = (f: FilterFields, page = 1): string => {
  const query = [filterQuery(f), page > 1 ? `page=${page}` : ''].filter(Boolean).join('&');
  return query ? `${pfRoutes.deadLetters}?${query}` : pfRoutes.deadLetters;
};

/** ids[] from checkboxes: one value arrives as a string, several as a list. */
const idsOf = (form: FormFields): string[] => {
  const v = form['ids[]'] ?? form.ids;
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const resultText = (action: 'retry' | 'discard', r: DeadLetterResult): string => {
  const events = r.events === r.deliveries ? '' : ` (${plural(r.events, 'event')})`;
  return action === 'retry'
    ? `${plural(r.deliveries, 'delivery', 'deliveries')} queued again${events}. Each syncs with its rule's current mappings.`
    : `${plural(r.deliveries, 'delivery', 'deliveries')} discarded${events}. The events stay in the trace as discarded.`;
};

/** The dead-letter page: failed deliveries, what to fix, and retry / discard by selection or by filter. */
export const deadLetterRoutes = (engine: Engine): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();

  const page = (c: Context<AppEnv>, filter: FilterFields, pageNo: number, extra: { actionError?: string } = {}, status = 200) => {
    const result = engine.deadLetters.list(toDeadFilter(filter), pageNo);
    const rules = engine.rules.list();
    const projects = [...new Set([...rules.flatMap((r) => (r.projectKey ? [r.projectKey] : [])), ...engine.reader.settings().fallbackProjects])].sort();
    return c.var.renderer.page(
      c,
      'plugins/pf-jira/dead-letters',
      {
        ...result,
        filter,
        filtered: FILTER_KEYS.some((k) => filter[k] !== ''),
        rules,
        projects,
        canAct: hasRole(c.get('actor').role, 'operator'),
        jiraBrowse: jiraBrowseBase(engine),
        routes: pfRoutes,
        pageUrl: (p: number) => listUrl(filter, p),
        actionError: extra.actionError,
      },
      { title: 'Dead letters', breadcrumbs: [{ label: 'PeopleForce → Jira' }, { label: 'Dead letters' }], helpTopic: HELP_TOPIC, helpLabel: 'Dead letters', active: pfRoutes.deadLetters, status },
    );
  };

  app.get(local(pfRoutes.deadLetters), (c) => {
    const pageNo = Math.max(1, Math.min(100_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    return page(c, readFilter((n) => c.req.query(n)), pageNo);
  });

  for (const action of ['retry', 'discard'] as const) {
    app.post(local(pfRoutes.deadLetterAction(action)), requireRole('operator', `${action} dead deliveries`), async (c) => {
      const form = await readForm(c);
      const filter = readFilter((n) => field(form, n));
      const actor = c.get('actor');
      let result: DeadLetterResult;
      if (field(form, 'target') === 'matching') {
        result = action === 'retry' ? engine.deadLetters.retryMatching(actor, toDeadFilter(filter)) : engine.deadLetters.discardMatching(actor, toDeadFilter(filter));
      } else {
        // A row's own button names its delivery in `only`; the tick boxes are ignored then.
        const only = field(form, 'only');
        const ids = only ? [only] : idsOf(form);
        try {
          result = action === 'retry' ? engine.deadLetters.retry(actor, ids) : engine.deadLetters.discard(actor, ids);
        } catch (err) {
          if (!isAppError(err) || err.status !== 422) throw err;
          return page(c, filter, 1, { actionError: err.message }, 422);
        }
      }
      setFlash(c, result.deliveries ? { kind: 'success', text: resultText(action, result) } : { kind: 'info', text: 'None of those deliveries is still dead (another admin may have acted on them); nothing changed.' });
      return redirect(c, listUrl(filter));
    });
  }

  return app;
};
