import { Hono } from 'hono';
import type { EventBus } from '../../../platform/events.js';
import type { AppEnv } from '../../../web/app-env.js';
import type { BqeWebDeps } from './bqe-web-deps.js';
import { connectionDetailRoutes } from './connection-detail-routes.js';
import { connectionListRoutes } from './connection-list-routes.js';
import { mirrorRoutes } from './mirror-routes.js';
import { oauthRoutes } from './oauth-routes.js';
import { syncRoutes } from './sync-routes.js';

/** Every admin page of the BQE plugin, to mount at /admin/bqe. */
export const bqeAdminRoutes = (engine: BqeWebDeps, events: EventBus): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();
  app.route('/', connectionListRoutes(engine));
  app.route('/', connectionDetailRoutes(engine));
  app.route('/', oauthRoutes(engine));
  app.route('/', syncRoutes(engine, events));
  app.route('/', mirrorRoutes(engine));
  return app;
};
