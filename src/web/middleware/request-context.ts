import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { requestId } from 'hono/request-id';
import { forwardedClientIp, ipAllowlist, type IpAllowlist } from '../../auth/api-credentials/ip-allowlist.js';
import type { Logger } from '../../platform/logger.js';
import type { AppEnv } from '../app-env.js';

// Must accept every id requestId() echoes (word characters, '-' and '='), or the id a user quotes is not the one logged.
const REQUEST_ID = /^[A-Za-z0-9._:=-]{1,128}$/;

/** Takes X-Request-Id from the caller when it is sane, else makes one; echoes it on every response. */
export const requestIdMiddleware = (): MiddlewareHandler<AppEnv> =>
  requestId({
    headerName: 'X-Request-Id',
    limitLength: 128,
    generator: () => crypto.randomUUID(),
  }) as MiddlewareHandler<AppEnv>;

/** The socket peer, or through trusted proxies the address X-Forwarded-For gives for the client. */
const clientIpOf = (c: Parameters<MiddlewareHandler<AppEnv>>[0], trustedProxies: IpAllowlist): string => {
  let peer: string;
  try {
    peer = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket behind it.
    return 'local';
  }
  return forwardedClientIp(peer, c.req.header('X-Forwarded-For'), trustedProxies);
};

/**
 * A child logger per request carrying the request id, the client address
 * (HUB_TRUSTED_PROXIES decides whether X-Forwarded-For counts), and one
 * access line when the response is ready.
 */
export const requestLogger = (logger: Logger, trustedProxies: readonly string[] = []): MiddlewareHandler<AppEnv> => {
  const trusted = ipAllowlist(trustedProxies);
  return async (c, next) => {
    const started = performance.now();
    const reqId = c.get('requestId');
    const log = logger.child({ reqId: REQUEST_ID.test(reqId) ? reqId : 'invalid' });
    c.set('log', log);
    c.set('clientIp', clientIpOf(c, trusted));
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const status = c.res.status;
    const fields = { method: c.req.method, path: c.req.path, status, ms, user: c.get('session')?.user.email ?? null, ip: c.get('clientIp') };
    if (status >= 500) log.error(fields, 'request failed');
    else log.info(fields, 'request');
  };
};
