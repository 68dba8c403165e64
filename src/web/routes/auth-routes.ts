import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppContext } from '../../app-context.js';
import { isAppError } from '../../errors.js';
import type { AppEnv } from '../app-env.js';
import { setFlash } from '../flash.js';
import { field, readForm, safeNext } from '../form.js';
import { redirect } from '../htmx.js';
import { beginSession, clearSessionCookie, SESSION_COOKIE } from '../middleware/session.js';
import type { Renderer } from '../render.js';
import { routes } from '../route-names.js';

export const registerAuthRoutes = (app: Hono<AppEnv>, ctx: AppContext, renderer: Renderer): void => {
  const startSession = (c: Context<AppEnv>, userId: number) => beginSession(c, ctx.sessions, userId, ctx.config.baseUrl);

  app.get(routes.setup, (c) => {
    if (!ctx.users.needsSetup()) return c.redirect(routes.login, 303);
    return renderer.page(c, 'pages/setup', { values: {}, errors: {} }, { title: 'Set up Switchyard' });
  });

  app.post(routes.setup, async (c) => {
    if (!ctx.users.needsSetup()) return redirect(c, routes.login);
    const form = await readForm(c);
    const values = { email: field(form, 'email'), name: field(form, 'name') };
    if (field(form, 'password') !== field(form, 'confirm')) {
      return renderer.page(c, 'pages/setup', { values, errors: { confirm: 'The two passwords differ.' } }, { title: 'Set up Switchyard', status: 422 });
    }
    try {
      const user = await ctx.users.setupFirstAdmin({ ...values, password: field(form, 'password') }, { userId: null, email: values.email, role: 'admin', ip: c.get('clientIp'), requestId: c.get('requestId') });
      startSession(c, user.id);
      setFlash(c, { kind: 'success', text: `Welcome, ${user.name}. Your admin account is ready.` });
      return redirect(c, routes.home);
    } catch (err) {
      if (isAppError(err) && err.fieldErrors) {
        return renderer.page(c, 'pages/setup', { values, errors: err.fieldErrors, message: err.message }, { title: 'Set up Switchyard', status: err.status });
      }
      throw err;
    }
  });

  app.get(routes.login, (c) => {
    const next = safeNext(c.req.query('next'), routes.home);
    if (c.get('session')) return c.redirect(next, 303);
    return renderer.page(c, 'pages/login', { email: '', next, error: undefined }, { title: 'Sign in' });
  });

  app.post(routes.login, async (c) => {
    const form = await readForm(c);
    const email = field(form, 'email');
    const next = safeNext(field(form, 'next'), routes.home);
    try {
      const user = await ctx.users.authenticate(email, field(form, 'password'), c.get('clientIp'));
      startSession(c, user.id);
      ctx.audit.record({ userId: user.id, email: user.email, role: user.role, ip: c.get('clientIp'), requestId: c.get('requestId') }, { action: 'auth.login', targetType: 'user', targetId: user.id });
      c.get('log').info({ userId: user.id }, 'signed in');
      return redirect(c, next);
    } catch (err) {
      if (!isAppError(err)) throw err;
      ctx.audit.record({ userId: null, email: email.trim().toLowerCase().slice(0, 254) || '(blank)', role: 'viewer', ip: c.get('clientIp'), requestId: c.get('requestId') }, { action: 'auth.login_failed', targetType: 'user', after: { reason: err.code } });
      if (err.status === 429) c.header('Retry-After', String(err.details?.retryAfterSeconds ?? 60));
      return renderer.page(c, 'pages/login', { email, next, error: err.message }, { title: 'Sign in', status: err.status });
    }
  });

  app.post(routes.logout, (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    const session = c.get('session');
    if (id) ctx.sessions.end(id);
    if (session) ctx.audit.record(c.get('actor'), { action: 'auth.logout', targetType: 'user', targetId: session.user.id });
    clearSessionCookie(c);
    setFlash(c, { kind: 'info', text: 'You are signed out.' });
    return redirect(c, routes.login);
  });
};
