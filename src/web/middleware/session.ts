import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { SessionService } from '../../auth/session-service.js';
import type { AppEnv } from '../app-env.js';
import { takeFlash } from '../flash.js';

export const SESSION_COOKIE = 'sy_session';

/** Secure cookies whenever the hub is reached over HTTPS (directly or via HUB_BASE_URL behind a proxy). */
export const cookieIsSecure = (c: Context, baseUrl: string): boolean =>
  baseUrl.startsWith('https:') || new URL(c.req.url).protocol === 'https:';

export const setSessionCookie = (c: Context<AppEnv>, id: string, expiresAt: number, baseUrl: string): void => {
  setCookie(c, SESSION_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: cookieIsSecure(c, baseUrl),
    expires: new Date(expiresAt),
  });
};

/** Signs the user in on this response: a fresh session (ending the one the browser had) and its cookie. */
export const beginSession = (c: Context<AppEnv>, sessions: SessionService, userId: number, baseUrl: string): void => {
  const started = sessions.start(userId, { ip: c.get('clientIp'), userAgent: c.req.header('User-Agent') ?? null }, getCookie(c, SESSION_COOKIE));
  setSessionCookie(c, started.id, started.expiresAt, baseUrl);
};

export const clearSessionCookie = (c: Context<AppEnv>): void => {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
};

/** Resolves the session cookie into the signed-in user (or notes that it expired) and picks up any flash. */
export const sessionMiddleware = (sessions: SessionService, baseUrl: string): MiddlewareHandler<AppEnv> => async (c, next) => {
  const id = getCookie(c, SESSION_COOKIE);
  c.set('session', undefined);
  c.set('sessionExpired', false);
  if (id) {
    const resolved = sessions.resolve(id);
    if (resolved === 'expired') {
      c.set('sessionExpired', true);
      clearSessionCookie(c);
    } else if (resolved) {
      c.set('session', resolved);
      // Activity extends the session, so the browser's copy must follow or it is dropped at sign-in + lifetime.
      setSessionCookie(c, id, resolved.expiresAt, baseUrl);
      c.set('actor', { userId: resolved.user.id, email: resolved.user.email, role: resolved.user.role, ip: c.get('clientIp'), requestId: c.get('requestId') });
    } else {
      clearSessionCookie(c);
    }
  }
  c.set('flash', takeFlash(c));
  await next();
};
