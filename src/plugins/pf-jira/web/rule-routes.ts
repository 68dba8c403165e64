import { Hono } from 'hono';
import { hasRole } from '../../../platform/actor.js';
import type { AppEnv } from '../../../web/app-env.js';
import { setFlash } from '../../../web/flash.js';
import { redirect } from '../../../web/htmx.js';
import { requireRole } from '../../../web/middleware/access.js';
import type { Engine } from '../engine.js';
import { local, pfRoutes } from './pf-routes.js';

/** The routing rules in evaluation order, with their validation status. */
export const ruleRoutes = (engine: Engine): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();

  app.get(local(pfRoutes.rules), (c) =>
    c.var.renderer.page(
      c,
      'plugins/pf-jira/rules',
      { rules: engine.rules.list(), settings: engine.reader.settings(), routes: pfRoutes, canValidate: hasRole(c.get('actor').role, 'operator') },
      { title: 'Routing rules', breadcrumbs: [{ label: 'PeopleForce → Jira' }, { label: 'Routing rules' }], helpTopic: 'pf-jira-routing-rules', active: pfRoutes.rules },
    ),
  );

  app.post(local(pfRoutes.rulesValidate), requireRole('operator', 'validate rules'), async (c) => {
    await engine.validateAllNow();
    setFlash(c, { kind: 'info', text: 'Validation of every enabled SYNC rule was queued; statuses update when it finishes.' });
    return redirect(c, pfRoutes.rules);
  });

  return app;
};
