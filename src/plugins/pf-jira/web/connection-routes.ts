import { Hono, type Context } from 'hono';
import { isAppError } from '../../../errors.js';
import { hasRole } from '../../../platform/actor.js';
import type { AppEnv } from '../../../web/app-env.js';
import { setFlash } from '../../../web/flash.js';
import { field, readForm, type FormFields } from '../../../web/form.js';
import { isHtmx, redirect } from '../../../web/htmx.js';
import { requireRole } from '../../../web/middleware/access.js';
import { CONNECTION_FIELDS } from '../connections/connection-service.js';
import type { Engine } from '../engine.js';
import { pfJiraDeclaration } from '../settings.js';
import type { ConnectionName } from '../sync/connection-status.js';
import { local, pfRoutes } from './pf-routes.js';

const NAMES: ConnectionName[] = ['peopleforce', 'jira'];
const TITLES: Record<ConnectionName, string> = { peopleforce: 'PeopleForce', jira: 'Jira Cloud' };

const isConnection = (name: string): name is ConnectionName => (NAMES as string[]).includes(name);

/** The Connections page: credentials for each upstream, their status, and a Test button. */
export const connectionRoutes = (engine: Engine, baseUrl: string): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();

  const card = (c: Context<AppEnv>, name: ConnectionName, extra: { errors?: Record<string, string>; message?: string; saved?: string; submitted?: FormFields } = {}) => {
    const config = engine.reader.settings() as unknown as Record<string, unknown>;
    const stored = { ...config, peopleforceApiKey: engine.reader.secret('peopleforceApiKey') !== undefined, peopleforceWebhookSecret: engine.reader.secret('peopleforceWebhookSecret') !== undefined, jiraApiToken: engine.reader.secret('jiraApiToken') !== undefined };
    return {
      name,
      title: TITLES[name],
      defs: pfJiraDeclaration.settings.filter((d) => CONNECTION_FIELDS[name].includes(d.key)),
      values: stored,
      status: engine.connections.status(name),
      canEdit: hasRole(c.get('actor').role, 'admin'),
      canTest: hasRole(c.get('actor').role, 'operator'),
      webhookUrl: `${baseUrl.replace(/\/+$/, '')}${pfRoutes.webhook}`,
      routes: pfRoutes,
      errors: extra.errors ?? {},
      ...extra,
    };
  };

  const page = (c: Context<AppEnv>, cards: Record<string, unknown>[], status = 200) =>
    c.var.renderer.page(c, 'plugins/pf-jira/connections', { cards }, { title: 'Connections', breadcrumbs: [{ label: 'PeopleForce → Jira' }, { label: 'Connections' }], helpTopic: 'pf-jira-connections', active: pfRoutes.connections, status });

  app.get(local(pfRoutes.connections), (c) => page(c, NAMES.map((n) => card(c, n))));

  app.post('/connections/:name', requireRole('admin', 'change connections'), async (c) => {
    const name = c.req.param('name');
    if (!isConnection(name)) return c.notFound();
    const form = await readForm(c);
    const input = Object.fromEntries(CONNECTION_FIELDS[name].filter((k) => k in form).map((k) => [k, field(form, k)]));
    try {
      // Each card saves only its own fields, so two cards saved one after the other never overwrite each other.
      engine.connections.save(c.get('actor'), name, input);
    } catch (err) {
      if (!isAppError(err) || (err.status !== 422 && err.status !== 409)) throw err;
      const errors = Object.fromEntries(Object.entries(err.fieldErrors ?? {}).map(([k, v]) => [k.replace(/^settings\./, ''), v]));
      const failed = card(c, name, { errors, message: err.message, ...(err.status === 409 ? {} : { submitted: form }) });
      if (isHtmx(c)) return c.var.renderer.fragment(c, 'plugins/pf-jira/connection-card', failed, err.status);
      return page(c, NAMES.map((n) => (n === name ? failed : card(c, n))), err.status);
    }
    const saved = `${TITLES[name]} connection saved.`;
    if (isHtmx(c)) return c.var.renderer.fragment(c, 'plugins/pf-jira/connection-card', card(c, name, { saved }));
    setFlash(c, { kind: 'success', text: saved });
    return redirect(c, `${pfRoutes.connections}#connection-${name}`);
  });

  app.post('/connections/:name/test', requireRole('operator', 'test connections'), async (c) => {
    const name = c.req.param('name');
    if (!isConnection(name)) return c.notFound();
    const result = await engine.connections.test(name, c.get('log'));
    if (isHtmx(c)) return c.var.renderer.fragment(c, 'plugins/pf-jira/connection-test', { result });
    setFlash(c, { kind: result.ok ? 'success' : 'danger', text: result.message });
    return redirect(c, `${pfRoutes.connections}#connection-${name}`);
  });

  return app;
};
