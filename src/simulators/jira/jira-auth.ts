import type { MiddlewareHandler } from 'hono';
import type { SimEnv } from '../sim-kit.js';
import { UNAUTHENTICATED } from './jira-errors.js';

export interface Credentials {
  email: string;
  apiToken: string;
}

/** Basic auth with the site's one email + API token; `/__sim` stays open for tests and demos. */
export const basicAuth = (credentials: Credentials): MiddlewareHandler<SimEnv> => {
  const expected = Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString('base64');
  return async (c, next) => {
    if (c.req.path.startsWith('/__sim')) return next();
    const match = /^basic\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (match?.[1] !== expected) return c.json(UNAUTHENTICATED, 401);
    return next();
  };
};
