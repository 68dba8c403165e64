import type { Context, MiddlewareHandler } from 'hono';
import type { ApiAuthenticator, ApiAuthRefusal } from '../../auth/api-credentials/request-authenticator.js';
import type { ApiScope } from '../../auth/api-credentials/scopes.js';
import type { Logger } from '../../platform/logger.js';
import type { AppEnv } from '../../web/app-env.js';
import { apiError } from '../api-errors.js';
import { readApiBody } from './body-guard.js';

/** What apiAuth needs; the app context has all three, so `apiAuth(ctx)` works. */
export interface ApiAuthDeps {
  apiAuthenticator: ApiAuthenticator;
  config: { bodyLimitBytes: number };
  logger: Logger;
}

/**
 * The request target exactly as on the request line (path and query, no
 * normalising), which is what clients sign. Without a socket (app.request in
 * tests) the parsed URL's path and query stand in.
 */
export const requestTarget = (c: Context<AppEnv>): string => {
  const raw = (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url;
  if (raw?.startsWith('/')) return raw;
  const url = new URL(raw || c.req.url);
  return `${url.pathname}${url.search}`;
};

const logRefusal = (c: Context<AppEnv>, fallback: Logger, fields: { clientId: string | null; code: string; ip: string }): void => {
  (c.var.log ?? fallback).warn(fields, 'api request refused');
};

const refusalResponse = (c: Context<AppEnv>, refusal: ApiAuthRefusal): Response => {
  if (refusal.retryAfterSeconds !== undefined) c.header('Retry-After', String(refusal.retryAfterSeconds));
  return apiError(c, refusal.status, refusal.code, refusal.message, refusal.details);
};

/**
 * Authenticates every /api/v1 request by HMAC signature or Bearer token
 * (ADR 17, help topic "API"). On success the caller is `c.var.apiCredential`
 * and services get `c.var.actor` (role admin: the scope check is the
 * authorisation, the actor is for audit). A refusal is one 401/403/413/429
 * in the API's error body and one log line without any secret.
 */
export const apiAuth = (deps: ApiAuthDeps): MiddlewareHandler<AppEnv> => async (c, next) => {
  const ip = c.var.clientIp ?? 'unknown';
  const read = await readApiBody(c, deps.config.bodyLimitBytes);
  if (!read.ok) {
    logRefusal(c, deps.logger, { clientId: null, code: 'payload_too_large', ip });
    return read.response;
  }
  const result = deps.apiAuthenticator.authenticate({
    headers: {
      authorization: c.req.header('Authorization'),
      clientId: c.req.header('X-Client-Id'),
      timestamp: c.req.header('X-Timestamp'),
      nonce: c.req.header('X-Nonce'),
      signature: c.req.header('X-Signature'),
    },
    method: c.req.method,
    target: requestTarget(c),
    body: read.body,
    ip,
  });
  if (!result.ok) {
    logRefusal(c, deps.logger, { clientId: result.clientId, code: result.code, ip });
    return refusalResponse(c, result);
  }
  c.set('apiCredential', result.caller);
  c.set('actor', { userId: null, email: `api:${result.caller.clientId}`, role: 'admin', ip, requestId: c.var.requestId ?? null });
  await next();
};

/** 403 scope_missing, naming the scope, unless the authenticated credential holds it. */
export const requireScope = (scope: ApiScope): MiddlewareHandler<AppEnv> => async (c, next) => {
  const caller = c.var.apiCredential;
  if (!caller) return apiError(c, 401, 'auth_missing', 'This operation needs an authenticated API request.');
  if (!caller.scopes.includes(scope)) {
    c.var.log?.warn({ clientId: caller.clientId, code: 'scope_missing', ip: caller.ip, scope }, 'api request refused');
    return apiError(c, 403, 'scope_missing', `Credential ${caller.clientId} does not have the "${scope}" scope this operation needs; an admin can issue a credential that has it.`, { scope });
  }
  await next();
};
