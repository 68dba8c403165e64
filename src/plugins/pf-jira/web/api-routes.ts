import type { OpenAPIHono } from '@hono/zod-openapi';
import { apiRouter } from '../../../api/api-route.js';
import type { AppEnv } from '../../../web/app-env.js';
import type { Engine } from '../engine.js';
import { eventApiRoutes } from './api-event-routes.js';
import { ruleApiRoutes } from './api-rule-routes.js';

/** Everything pf-jira offers under /api/v1/pf-jira: rules, Sync now, the event trace and dead letters. */
export const pfJiraApiRoutes = (engine: Engine): OpenAPIHono<AppEnv> => {
  const api = apiRouter();
  api.route('/', ruleApiRoutes(engine));
  api.route('/', eventApiRoutes(engine));
  return api;
};
