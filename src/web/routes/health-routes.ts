import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { Readiness } from '../../platform/readiness.js';
import { routes } from '../route-names.js';

export const registerHealthRoutes = (app: Hono<AppEnv>, readiness: Readiness): void => {
  app.get(routes.healthz, (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' });
  });
  app.get(routes.readyz, (c) => {
    c.header('Cache-Control', 'no-store');
    const result = readiness.run();
    const failing = Object.entries(result.checks).filter(([, v]) => v !== 'ok').map(([k]) => k);
    return c.json({ status: result.ready ? 'ready' : 'not_ready', checks: result.checks, ...(failing.length ? { failing } : {}) }, result.ready ? 200 : 503);
  });
};
