import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../db/schema/users.js';
import { forbidden } from '../../errors.js';
import { hasRole } from '../../platform/actor.js';
import type { AppEnv } from '../app-env.js';
import { setFlash } from '../flash.js';
import { redirect } from '../htmx.js';
import { routes } from '../route-names.js';

/** Sends anyone without a session to the sign-in page, remembering where they were going. */
export const requireSignIn = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (c.get('session')) return next();
  if (c.get('sessionExpired')) setFlash(c, { kind: 'warning', text: 'Your session expired; please sign in again.' });
  const wanted = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : routes.home;
  return redirect(c, `${routes.login}?next=${encodeURIComponent(wanted)}`);
};

export const requireRole = (role: Role, what: string): MiddlewareHandler<AppEnv> => async (c, next) => {
  const user = c.get('session')?.user;
  if (!user || !hasRole(user.role, role)) throw forbidden(`Your role (${user?.role ?? 'none'}) cannot ${what}; it needs ${role} or higher.`);
  return next();
};

/** Until the first admin exists, every page leads to setup. */
export const requireSetupDone = (needsSetup: () => boolean): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (!needsSetup()) return next();
  const p = c.req.path;
  if (p === routes.setup || p.startsWith(`${routes.static}/`) || p === routes.healthz || p === routes.readyz) return next();
  return redirect(c, routes.setup);
};
