import type { Hono } from 'hono';
import type { AppContext } from '../../app-context.js';
import type { AppEnv } from '../app-env.js';
import type { Renderer } from '../render.js';
import { routes } from '../route-names.js';

export const registerHomeRoutes = (app: Hono<AppEnv>, ctx: AppContext, renderer: Renderer): void => {
  app.get('/', (c) => c.redirect(routes.home, 302));
  app.get(routes.home, (c) => {
    const domains = ctx.domainConfig.declarations().map((decl) => ({ decl, value: ctx.domainConfig.get(decl.domain) }));
    return renderer.page(
      c,
      'pages/home',
      { domains, plugins: ctx.plugins.plugins.map((p) => ({ name: p.plugin.name, title: p.plugin.title })), readiness: ctx.readiness.run() },
      { title: 'Overview', active: routes.home, helpTopic: 'getting-started' },
    );
  });
};
