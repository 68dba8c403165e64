import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../../web/app-env.js';
import { setFlash } from '../../../web/flash.js';
import { readForm } from '../../../web/form.js';
import { redirect, wantsFragment } from '../../../web/htmx.js';
import { requireRole } from '../../../web/middleware/access.js';
import { timedAction } from '../../../web/middleware/latency.js';
import { OBJECT_NAMES } from '../provider.js';
import { bqeRoutes, local } from './bqe-routes.js';
import type { BqeWebDeps } from './bqe-web-deps.js';
import { connectionView, environmentOptions } from './connection-view.js';
import { BQE_CRUMB, common, emptyForm, formProblem, shownValue, type FormState } from './page-common.js';

/** The connections list: every tenant with its status and last syncs, and the form that adds one. */
export const connectionListRoutes = (deps: BqeWebDeps): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();

  const addForm = (c: Context<AppEnv>, state: FormState) => ({
    ...common(c),
    ...state,
    value: (key: string, stored: unknown) => shownValue(state, key, stored),
    environments: environmentOptions(deps.meta),
    offsetRange: deps.meta.api.utcOffsetMinutes,
  });

  const page = (c: Context<AppEnv>, state: FormState, status = 200) => {
    const rows = deps.connections.list().map((connection) => ({
      ...connectionView(deps.meta, connection),
      blocker: deps.connections.syncBlocker(connection),
      objects: OBJECT_NAMES.map((object) => ({ label: deps.meta.objects[object].label, latest: deps.syncRepo.latestRun(connection.id, object) })),
    }));
    return c.var.renderer.page(
      c,
      'plugins/bqe/connections',
      { ...common(c), connections: rows, redirectUri: deps.connections.redirectUri, add: addForm(c, state) },
      { title: 'BQE connections', breadcrumbs: [BQE_CRUMB, { label: 'Connections' }], helpTopic: 'bqe-setup', helpLabel: 'Setting up BQE Core', active: bqeRoutes.connections, status },
    );
  };

  // The plugin's own address (/admin/bqe, linked from the settings card) opens the connections.
  app.get('/', (c) => c.redirect(bqeRoutes.connections, 302));

  app.get(local(bqeRoutes.connections), timedAction('BQE connections page'), (c) => page(c, emptyForm()));

  app.post(local(bqeRoutes.connections), requireRole('admin', 'add BQE connections'), async (c) => {
    const form = await readForm(c);
    try {
      const created = deps.connections.create(c.get('actor'), form);
      setFlash(c, { kind: 'success', text: `Connection “${created.name}” added. Next: Connect with BQE, so BQE can ask for consent.` });
      return redirect(c, bqeRoutes.connection(created.id));
    } catch (err) {
      const problem = formProblem(err, form);
      if (!problem) throw err;
      if (wantsFragment(c)) return c.var.renderer.fragment(c, 'plugins/bqe/connection-add-form', addForm(c, problem), problem.status);
      return page(c, problem, problem.status);
    }
  });

  return app;
};
