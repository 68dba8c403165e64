import type { MiddlewareHandler } from 'hono';
import type { SimEnv } from '../sim-kit.js';
import type { IdentityContext } from './identity-context.js';
import { rateHeaders, type RateWindow } from './rate-window.js';
import { SimError } from './sim-error.js';
import { readUtcOffset, UTC_OFFSET_HEADER } from './utc-offset.js';

/**
 * In front of every tenant API call, in this order: a valid bearer token for
 * this tenant (401), the per tenant+client rate cap (429, with X-Rate-Limit-*
 * on every answer from then on), a core scope (403), and X-UTC-OFFSET (400).
 */
export type ApiEnv = SimEnv & { Variables: { utcOffset: number } };

export const newApiCounters = () => ({ apiRequests: 0, unauthorized: 0, forbidden: 0, badRequests: 0, notFound: 0, rateLimited: 0 });
export type ApiCounters = ReturnType<typeof newApiCounters>;

const CORE_SCOPES = ['read:core', 'readwrite:core'];

const invalidToken = (description: string): SimError =>
  new SimError(401, description, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` });

const tally = (counters: ApiCounters, status: number): void => {
  if (status === 400) counters.badRequests++;
  else if (status === 401) counters.unauthorized++;
  else if (status === 403) counters.forbidden++;
  else if (status === 404) counters.notFound++;
  else if (status === 429) counters.rateLimited++;
};

/** Counts every API answer by status; outermost, so refusals from the guard count too. */
export const apiCounting = (counters: ApiCounters): MiddlewareHandler<ApiEnv> => async (c, next) => {
  counters.apiRequests++;
  await next();
  tally(counters, c.res.status);
};

export const apiGuard = (ctx: IdentityContext, rate: RateWindow): MiddlewareHandler<ApiEnv> => async (c, next) => {
  const header = c.req.header('authorization');
  if (!header) throw new SimError(401, 'Authorization: Bearer <access token> is required.', { 'WWW-Authenticate': 'Bearer' });
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const entry = token ? ctx.tokens.access(token) : undefined;
  if (!entry || entry.revoked) throw invalidToken('The access token is unknown or revoked');
  if (entry.expiresAt <= ctx.now()) throw invalidToken('The access token expired');
  if (entry.tenant !== c.req.param('tenant')) throw invalidToken('The access token is for another tenant');

  const verdict = rate.take(`${entry.tenant}:${entry.clientId}`);
  const headers = verdict ? rateHeaders(verdict) : {};
  if (verdict && !verdict.allowed) {
    throw new SimError(429, `Rate limit exceeded: at most ${verdict.limit} requests per minute. Retry after ${verdict.retryAfterSeconds} seconds.`, {
      ...headers,
      'Retry-After': String(verdict.retryAfterSeconds),
    });
  }
  try {
    if (!entry.scopes.some((s) => CORE_SCOPES.includes(s))) {
      throw new SimError(403, 'The access token lacks the read:core or readwrite:core scope.', { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="read:core"' });
    }
    const config = ctx.config();
    c.set('utcOffset', readUtcOffset(c.req.header(UTC_OFFSET_HEADER), config.strictUtcOffset, config.defaultUtcOffsetMinutes));
  } catch (err) {
    throw err instanceof SimError ? new SimError(err.status, err.message, { ...headers, ...err.headers }) : err;
  }
  await next();
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
};
