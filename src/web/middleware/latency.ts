import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { LatencyRecorder } from '../../platform/latency.js';
import type { AppEnv } from '../app-env.js';

/** Names the route's row on the diagnostics page instead of its method and pattern: `app.get(path, timedAction('Rules page'), handler)`. */
export const timedAction = (name: string): MiddlewareHandler<AppEnv> => async (c, next) => {
  c.set('latencyAction', name);
  await next();
};

/** `GET /admin/jobs/:id`: the method and the full pattern of the route that answered, however it was mounted. */
export const routeAction = (c: Context<AppEnv>): string => {
  // After the handlers ran, the current route is the last one dispatched: the handler that answered.
  const pattern = routePath(c);
  return `${c.req.method} ${!pattern || pattern.endsWith('*') ? '(no matching route)' : pattern}`;
};

/**
 * Records how long each request's handlers took until the response was
 * ready. Event streams stay open for minutes, so they are not timed, nor are
 * the paths in `skip` (the browser's latency reports).
 */
export const serverLatency = (recorder: LatencyRecorder, skip: readonly string[]): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (skip.includes(c.req.path)) return next();
  const started = performance.now();
  await next();
  if (c.res.headers.get('Content-Type')?.startsWith('text/event-stream')) return;
  recorder.record('server', c.get('latencyAction') ?? routeAction(c), performance.now() - started);
};
