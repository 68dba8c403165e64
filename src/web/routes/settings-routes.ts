import type { Context, Hono } from 'hono';
import type { AppContext } from '../../app-context.js';
import { isAppError } from '../../errors.js';
import { hasRole } from '../../platform/actor.js';
import type { DomainConfigUpdate } from '../../platform/domain-config.js';
import type { AppEnv } from '../app-env.js';
import { setFlash } from '../flash.js';
import { field, readForm, type FormFields } from '../form.js';
import { isHtmx, redirect } from '../htmx.js';
import { requireRole } from '../middleware/access.js';
import type { Renderer } from '../render.js';
import { routes } from '../route-names.js';

/** Turns a settings card's form into an update: only the fields the card shows are sent. */
const updateFromForm = (form: FormFields): DomainConfigUpdate => {
  const update: DomainConfigUpdate = { settings: {} };
  for (const [name, value] of Object.entries(form)) {
    if (name === 'enabled') update.enabled = value;
    else if (name === 'pollIntervalSeconds') update.pollIntervalSeconds = value;
    else if (name === 'fallbackProjects') update.fallbackProjects = value;
    else if (name.startsWith('settings.')) update.settings![name.slice('settings.'.length)] = value;
  }
  const version = Number(field(form, 'version'));
  if (Number.isInteger(version) && version > 0) update.expectedVersion = version;
  return update;
};

export const registerSettingsRoutes = (app: Hono<AppEnv>, ctx: AppContext, renderer: Renderer): void => {
  const card = (c: Context<AppEnv>, domain: string, extra: Record<string, unknown> = {}) => ({
    decl: ctx.domainConfig.declaration(domain),
    value: ctx.domainConfig.get(domain),
    canEdit: hasRole(c.get('actor').role, 'admin'),
    errors: {},
    submitted: undefined,
    ...extra,
  });

  const page = (c: Context<AppEnv>, cards: Record<string, unknown>[], status = 200) =>
    renderer.page(c, 'pages/settings', { cards }, { title: 'Settings', breadcrumbs: [{ label: 'Settings' }], helpTopic: 'settings', active: routes.settings, status });

  app.get(routes.settings, (c) => page(c, ctx.domainConfig.declarations().map((d) => card(c, d.domain))));

  app.post('/admin/settings/:domain', requireRole('admin', 'change settings'), async (c) => {
    const domain = c.req.param('domain');
    ctx.domainConfig.declaration(domain);
    const form = await readForm(c);
    try {
      ctx.domainConfig.update(c.get('actor'), domain, updateFromForm(form));
    } catch (err) {
      if (!isAppError(err) || (err.status !== 422 && err.status !== 409)) throw err;
      // After a conflict the card shows what is stored now, so a second Save cannot silently overwrite the other change.
      const failed = card(c, domain, { errors: err.fieldErrors ?? {}, message: err.message, submitted: err.status === 409 ? undefined : form });
      if (isHtmx(c)) return renderer.fragment(c, 'partials/settings-card', failed, err.status);
      return page(c, ctx.domainConfig.declarations().map((d) => (d.domain === domain ? failed : card(c, d.domain))), err.status);
    }
    const title = ctx.domainConfig.declaration(domain).title;
    if (isHtmx(c)) return renderer.fragment(c, 'partials/settings-card', card(c, domain, { saved: `${title} settings saved.` }));
    setFlash(c, { kind: 'success', text: `${title} settings saved.` });
    return redirect(c, `${routes.settings}#domain-${domain}`);
  });
};
