import type { MiddlewareHandler } from 'hono';
import type { SimEnv } from '../sim-kit.js';
import { RATE_LIMITED } from './jira-errors.js';

/**
 * Jira's per-second burst limit (contract §8), counted per process in
 * one-second windows of the simulator's clock; a limit of 0 lets everything through.
 */
export const burstLimit = (limit: () => number, clock: () => number): MiddlewareHandler<SimEnv> => {
  let window = Number.NaN;
  let count = 0;
  return async (c, next) => {
    const max = limit();
    if (max <= 0 || c.req.path.startsWith('/__sim')) return next();
    const now = clock();
    const second = Math.floor(now / 1000);
    if (second !== window) {
      window = second;
      count = 0;
    }
    count += 1;
    if (count <= max) return next();
    const reset = (second + 1) * 1000;
    c.header('Retry-After', String(Math.max(1, Math.ceil((reset - now) / 1000))));
    c.header('RateLimit-Reason', 'jira-burst-based');
    c.header('X-RateLimit-Limit', String(max));
    c.header('X-RateLimit-Remaining', '0');
    c.header('X-RateLimit-Reset', new Date(reset).toISOString().slice(0, 16) + 'Z');
    return c.json(RATE_LIMITED, 429);
  };
};
