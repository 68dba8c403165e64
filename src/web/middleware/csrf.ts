import crypto from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../app-env.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'X-CSRF-Token';
export const CSRF_FIELD = '_csrf';

const csrfError = () => new AppError(403, 'csrf_failed', 'This form expired or was sent from another site. Reload the page and try again.');

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

const isCrossSite = (c: Context): boolean => {
  if (c.req.header('Sec-Fetch-Site') === 'cross-site') return true;
  const origin = c.req.header('Origin');
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== (c.req.header('Host') ?? new URL(c.req.url).host);
  } catch {
    return true;
  }
};

const submittedToken = async (c: Context): Promise<string | undefined> => {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header('Content-Type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    const body = await c.req.parseBody();
    const field = body[CSRF_FIELD];
    return typeof field === 'string' ? field : undefined;
  }
  return undefined;
};

/**
 * Every state-changing request must come from our own pages: a signed-in
 * user's request carries the session's token (htmx sends it as a header,
 * plain forms as a field); and the browser's Origin must always be ours.
 */
export const csrfProtection = (sessionlessPaths: readonly string[]): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (SAFE_METHODS.has(c.req.method)) return next();
  if (isCrossSite(c)) throw csrfError();
  const session = c.get('session');
  // Sign-in and setup replace any session they find, so they rely on the Origin check alone.
  if (session && !sessionlessPaths.includes(c.req.path)) {
    const token = await submittedToken(c);
    if (!token || !sameToken(token, session.csrfToken)) throw csrfError();
  }
  return next();
};
