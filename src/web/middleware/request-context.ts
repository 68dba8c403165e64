import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { requestId } from 'hono/request-id';
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

const clientIpOf = (c: Parameters<MiddlewareHandler<AppEnv>>[0]): string => {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket behind it.
    return 'local';
  }
};

/** A child logger per request carrying the request id, and one access line when the response is ready. */
export const requestLogger = (logger: Logger): MiddlewareHandler<AppEnv> => async (c, next) => {
  const started = performance.now();
  const reqId = c.get('requestId');
  const log = logger.child({ reqId: REQUEST_ID.test(reqId) ? reqId : 'invalid' });
  c.set('log', log);
  c.set('clientIp', clientIpOf(c));
  await next();
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const status = c.res.status;
  const fields = { method: c.req.method, path: c.req.path, status, ms, user: c.get('session')?.user.email ?? null, ip: c.get('clientIp') };
  if (status >= 500) log.error(fields, 'request failed');
  else log.info(fields, 'request');
};
