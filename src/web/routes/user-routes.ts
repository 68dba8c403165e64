import type { Context, Hono } from 'hono';
import type { AppContext } from '../../app-context.js';
import { AppError, isAppError } from '../../errors.js';
import type { AppEnv } from '../app-env.js';
import { setFlash } from '../flash.js';
import { field, readForm } from '../form.js';
import { redirect } from '../htmx.js';
import { requireRole } from '../middleware/access.js';
import type { Renderer } from '../render.js';
import { routes } from '../route-names.js';

const idParam = (c: Context<AppEnv>): number => {
  const id = Number(c.req.param('id'));
  if (!Number.isInteger(id) || id <= 0) throw new AppError(400, 'bad_user_id', 'A user id is a positive whole number.');
  return id;
};

export const registerUserRoutes = (app: Hono<AppEnv>, ctx: AppContext, renderer: Renderer): void => {
  const page = (c: Context<AppEnv>, extra: Record<string, unknown> = {}, status = 200) =>
    renderer.page(
      c,
      'pages/users',
      { users: ctx.users.list(c.get('actor')), values: {}, errors: {}, rowErrors: {}, ...extra },
      { title: 'Users', breadcrumbs: [{ label: 'Users' }], helpTopic: 'users-and-roles', active: routes.users, status },
    );

  app.use('/admin/users/*', requireRole('admin', 'manage users'));
  app.use(routes.users, requireRole('admin', 'manage users'));

  app.get(routes.users, (c) => page(c));

  app.post(routes.users, async (c) => {
    const form = await readForm(c);
    const values = { email: field(form, 'email'), name: field(form, 'name'), role: field(form, 'role') };
    try {
      const user = await ctx.users.create(c.get('actor'), { ...values, role: values.role as 'viewer', password: field(form, 'password') });
      setFlash(c, { kind: 'success', text: `User ${user.email} created as ${user.role}.` });
      return redirect(c, routes.users);
    } catch (err) {
      if (isAppError(err) && err.fieldErrors) return page(c, { values, errors: err.fieldErrors, message: err.message }, err.status);
      throw err;
    }
  });

  /** Row actions share one shape: run, then come back to the list with a message saying what happened. */
  const rowAction = (path: string, run: (c: Context<AppEnv>, id: number) => Promise<string>) => {
    app.post(`/admin/users/:id/${path}`, async (c) => {
      const id = idParam(c);
      try {
        setFlash(c, { kind: 'success', text: await run(c, id) });
      } catch (err) {
        // A missing user has no row to show the message beside, so it gets the error page like a 403.
        if (!isAppError(err) || err.status >= 500 || err.status === 403 || err.status === 404) throw err;
        const text = err.fieldErrors ? Object.values(err.fieldErrors).join(' ') : err.message;
        return page(c, { rowErrors: { [id]: text } }, err.status);
      }
      return redirect(c, routes.users);
    });
  };

  rowAction('role', async (c, id) => {
    const user = ctx.users.changeRole(c.get('actor'), id, field(await readForm(c), 'role'));
    return `${user.email} is now ${user.role}.`;
  });
  rowAction('password', async (c, id) => {
    const user = await ctx.users.resetPassword(c.get('actor'), id, field(await readForm(c), 'password'), (uid) => ctx.sessions.endAllFor(uid));
    return `Password for ${user.email} reset; their sessions were ended.`;
  });
  rowAction('deactivate', async (c, id) => {
    const user = ctx.users.setActive(c.get('actor'), id, false, (uid) => ctx.sessions.endAllFor(uid));
    return `${user.email} is deactivated and signed out.`;
  });
  rowAction('reactivate', async (c, id) => {
    const user = ctx.users.setActive(c.get('actor'), id, true, (uid) => ctx.sessions.endAllFor(uid));
    return `${user.email} is active again.`;
  });
};
