import type { Hono } from 'hono';
import type { AppContext } from '../../app-context.js';
import { isAppError } from '../../errors.js';
import type { AppEnv } from '../app-env.js';
import type { Renderer } from '../render.js';
import { routes } from '../route-names.js';

export const registerHelpRoutes = (app: Hono<AppEnv>, ctx: AppContext, renderer: Renderer): void => {
  app.get(routes.help, (c) =>
    renderer.page(c, 'pages/help-index', { topics: ctx.help.list() }, { title: 'Help', breadcrumbs: [{ label: 'Help' }], active: routes.help }),
  );

  app.get('/admin/help/:topic', (c) => {
    const name = c.req.param('topic');
    try {
      const topic = ctx.help.get(name);
      return renderer.page(c, 'pages/help-topic', { topic }, { title: topic.title, breadcrumbs: [{ label: 'Help', href: routes.help }, { label: topic.title }], active: routes.help });
    } catch (err) {
      if (!isAppError(err) || err.status !== 404) throw err;
      return renderer.page(c, 'pages/help-index', { topics: ctx.help.list(), missing: err.message }, { title: 'Help topic not found', breadcrumbs: [{ label: 'Help', href: routes.help }, { label: 'Not found' }], active: routes.help, status: 404 });
    }
  });
};
