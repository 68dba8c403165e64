import { Hono } from 'hono';
import { isAppError } from '../../../errors.js';
import type { AppEnv } from '../../../web/app-env.js';
import { setFlash } from '../../../web/flash.js';
import { redirect, wantsFragment } from '../../../web/htmx.js';
import { requireRole } from '../../../web/middleware/access.js';
import { bqeRoutes, CONNECTION_ID, local } from './bqe-routes.js';
import type { BqeWebDeps } from './bqe-web-deps.js';
import { BQE_CRUMB, common } from './page-common.js';

/** Connect with BQE / Reconnect OAuth, and BQE's redirect back with the authorization code. */
export const oauthRoutes = (deps: BqeWebDeps): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();

  /*
   * A POST (with the CSRF token) so another site cannot start a consent in an admin's name. htmx follows
   * HX-Redirect to BQE. A plain form gets a page with the link instead of a 303: the CSP's form-action
   * 'self' stops a form submission from being redirected to another origin, BQE's included.
   */
  app.post(`/connections/${CONNECTION_ID}/authorize`, requireRole('admin', 'connect BQE'), (c) => {
    const connection = deps.connections.require(Number(c.req.param('id')));
    const consentUrl = deps.connections.startAuthorization(c.get('actor'), connection.id);
    c.get('log').info({ connection: connection.id }, 'bqe consent started');
    if (wantsFragment(c)) return redirect(c, consentUrl);
    return c.var.renderer.page(
      c,
      'plugins/bqe/oauth-handoff',
      { ...common(c), connection, consentUrl, identityOrigin: new URL(consentUrl).origin },
      { title: 'Continue to BQE', breadcrumbs: [BQE_CRUMB, { label: 'Connections', href: bqeRoutes.connections }, { label: connection.name, href: bqeRoutes.connection(connection.id) }, { label: 'Sign-in' }], helpTopic: 'bqe-setup', helpLabel: 'Setting up BQE Core', active: bqeRoutes.connections },
    );
  });

  app.get(local(bqeRoutes.oauthCallback), async (c) => {
    try {
      const connection = await deps.connections.completeAuthorization(c.get('actor'), c.req.query(), c.get('log'));
      const granted = connection.consentedScopes?.join(', ') || 'no scopes';
      setFlash(
        c,
        connection.status === 'needs_consent'
          ? { kind: 'warning', text: `Connected “${connection.name}”, but BQE did not grant every scope Switchyard needs (granted: ${granted}). See the banner below.` }
          : { kind: 'success', text: `Connected “${connection.name}” to BQE Core (granted: ${granted}).${connection.utcOffsetMinutes === null ? ' Set the UTC offset next: the connection cannot sync without it.' : ''}` },
      );
      return c.redirect(bqeRoutes.connection(connection.id), 303);
    } catch (err) {
      if (!isAppError(err)) throw err;
      c.get('log').warn({ code: err.code, status: err.status }, 'bqe consent not completed');
      return c.var.renderer.page(
        c,
        'plugins/bqe/oauth-error',
        { ...common(c), status: err.status, code: err.code, message: err.message },
        { title: 'BQE sign-in did not finish', breadcrumbs: [BQE_CRUMB, { label: 'Connections', href: bqeRoutes.connections }, { label: 'Sign-in' }], helpTopic: 'bqe-setup', helpLabel: 'Setting up BQE Core', active: bqeRoutes.connections, status: err.status },
      );
    }
  });

  return app;
};
