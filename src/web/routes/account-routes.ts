import type { Context, Hono } from 'hono';
import type { AppContext } from '../../app-context.js';
import { isAppError } from '../../errors.js';
import type { AppEnv } from '../app-env.js';
import { setFlash } from '../flash.js';
import { field, readForm } from '../form.js';
import { redirect } from '../htmx.js';
import { beginSession } from '../middleware/session.js';
import type { Renderer } from '../render.js';
import { routes } from '../route-names.js';

export const registerAccountRoutes = (app: Hono<AppEnv>, ctx: AppContext, renderer: Renderer): void => {
  const page = (c: Context<AppEnv>, errors: Record<string, string> = {}, status = 200) =>
    renderer.page(c, 'pages/account', { errors }, { title: 'Your account', breadcrumbs: [{ label: 'Your account' }], helpTopic: 'users-and-roles', status });

  app.get(routes.account, (c) => page(c));

  app.post(`${routes.account}/password`, async (c) => {
    const form = await readForm(c);
    if (field(form, 'password') !== field(form, 'confirm')) return page(c, { confirm: 'The two new passwords differ.' }, 422);
    try {
      await ctx.users.changeOwnPassword(c.get('actor'), field(form, 'current'), field(form, 'password'), c.get('clientIp'), (uid) => ctx.sessions.endAllFor(uid));
    } catch (err) {
      if (isAppError(err) && err.fieldErrors) return page(c, err.fieldErrors, err.status);
      throw err;
    }
    beginSession(c, ctx.sessions, c.get('actor').userId!, ctx.config.baseUrl);
    setFlash(c, { kind: 'success', text: 'Your password was changed; your other sessions were signed out.' });
    return redirect(c, routes.account);
  });
};
