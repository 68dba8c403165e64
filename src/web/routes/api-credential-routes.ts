import type { Context, Hono } from 'hono';
import type { AppContext } from '../../app-context.js';
import { API_AUTH_POLICY } from '../../auth/api-credentials/credential-policy.js';
import { API_SCOPES } from '../../auth/api-credentials/scopes.js';
import { isAppError } from '../../errors.js';
import { hasRole } from '../../platform/actor.js';
import type { AppEnv } from '../app-env.js';
import { setFlash } from '../flash.js';
import { field, readForm, type FormFields } from '../form.js';
import { redirect } from '../htmx.js';
import { requireRole } from '../middleware/access.js';
import { OnceTokens } from '../once-tokens.js';
import type { Renderer } from '../render.js';
import { routes } from '../route-names.js';

/** A reloaded reveal page re-sends its form; a used token is remembered for a day, longer than such a tab usually stays open. */
const ONCE_TOKEN_TTL_MS = 24 * 3_600_000;
const ONCE_TOKENS_REMEMBERED = 10_000;

const REPEATED_FORM =
  'That form was already sent, so nothing was changed. A secret is shown only once; if it was not copied, rotate the credential to get a new one.';

interface CreateValues {
  name: string;
  type: string;
  scopes: string[];
  allowedIps: string;
  rateLimitPerMinute: string;
}

const blankValues: CreateValues = { name: '', type: 'hmac', scopes: [], allowedIps: '', rateLimitPerMinute: '' };

const listOf = (form: FormFields, name: string): string[] => {
  const v = form[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/**
 * The admin page for /api/v1 credentials. Every change goes through the
 * credential service, which checks the role and audits. A new secret is
 * rendered in the response to the POST that made it and nowhere else: no
 * redirect, flash, session or URL carries it, so it cannot be fetched again.
 */
export const registerApiCredentialRoutes = (app: Hono<AppEnv>, ctx: AppContext, renderer: Renderer): void => {
  const once = new OnceTokens(ctx.clock, ONCE_TOKEN_TTL_MS, ONCE_TOKENS_REMEMBERED);
  const scopes = Object.entries(API_SCOPES).map(([name, description]) => ({ name, description }));
  const rotationOverlapHours = Math.round(API_AUTH_POLICY.rotationOverlapMs / 3_600_000);

  const listPage = (c: Context<AppEnv>, extra: Record<string, unknown> = {}, status = 200) =>
    renderer.page(
      c,
      'pages/api-credentials',
      {
        credentials: ctx.apiCredentials.list(),
        canManage: hasRole(c.get('actor').role, 'admin'),
        scopes,
        scopeHelp: API_SCOPES,
        rotationOverlapHours,
        defaultRateLimit: API_AUTH_POLICY.defaultRateLimitPerMinute,
        issueToken: () => once.issue(),
        values: blankValues,
        errors: {},
        rowErrors: {},
        ...extra,
      },
      { title: 'API credentials', breadcrumbs: [{ label: 'API credentials' }], helpTopic: 'api', active: routes.apiCredentials, status },
    );

  const revealPage = (c: Context<AppEnv>, data: { credential: unknown; secret: string; rotated: boolean }) => {
    // Not stored by the browser or any cache: going back or reloading cannot show it from a copy.
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    return renderer.page(c, 'pages/api-credentials-secret', { ...data, baseUrl: ctx.config.baseUrl }, {
      title: data.rotated ? 'Copy the new secret now' : 'Copy the secret now',
      breadcrumbs: [{ label: 'API credentials', href: routes.apiCredentials }, { label: 'New secret' }],
      helpTopic: 'api',
      helpLabel: 'API',
      active: routes.apiCredentials,
    });
  };

  const repeated = (c: Context<AppEnv>) => {
    setFlash(c, { kind: 'warning', text: REPEATED_FORM });
    return redirect(c, routes.apiCredentials);
  };

  app.get(routes.apiCredentials, (c) => listPage(c));

  app.use(`${routes.apiCredentials}/*`, requireRole('admin', 'manage API credentials'));
  app.post(routes.apiCredentials, requireRole('admin', 'manage API credentials'), async (c) => {
    const form = await readForm(c);
    const values: CreateValues = {
      name: field(form, 'name'),
      type: field(form, 'type'),
      scopes: listOf(form, 'scopes'),
      allowedIps: field(form, 'allowedIps'),
      rateLimitPerMinute: field(form, 'rateLimitPerMinute'),
    };
    if (!once.claim(field(form, 'once'))) return repeated(c);
    try {
      const { credential, secret } = ctx.apiCredentials.create(c.get('actor'), {
        name: values.name,
        type: values.type,
        scopes: values.scopes,
        allowedIps: values.allowedIps,
        rateLimitPerMinute: values.rateLimitPerMinute,
      });
      return revealPage(c, { credential, secret, rotated: false });
    } catch (err) {
      if (isAppError(err) && err.status === 422) {
        return listPage(c, { values, errors: err.fieldErrors ?? {}, message: err.message }, 422);
      }
      throw err;
    }
  });

  /** Row actions report failures beside their row, like the users page. */
  const rowFailure = (c: Context<AppEnv>, clientId: string, err: unknown) => {
    if (!isAppError(err) || err.status >= 500 || err.status === 403 || err.status === 404) throw err;
    const text = err.fieldErrors ? Object.values(err.fieldErrors).join(' ') : err.message;
    return listPage(c, { rowErrors: { [clientId]: text } }, err.status);
  };

  app.post(`${routes.apiCredentials}/:clientId/rotate`, async (c) => {
    const clientId = c.req.param('clientId');
    const form = await readForm(c);
    if (!once.claim(field(form, 'once'))) return repeated(c);
    try {
      const { credential, secret } = ctx.apiCredentials.rotate(c.get('actor'), clientId);
      return revealPage(c, { credential, secret, rotated: true });
    } catch (err) {
      return rowFailure(c, clientId, err);
    }
  });

  app.post(`${routes.apiCredentials}/:clientId/retire`, async (c) => {
    const clientId = c.req.param('clientId');
    await readForm(c);
    try {
      const credential = ctx.apiCredentials.retireSecondary(c.get('actor'), clientId);
      setFlash(c, { kind: 'success', text: `The old secret of ${credential.name} is retired; only the new one works now.` });
    } catch (err) {
      return rowFailure(c, clientId, err);
    }
    return redirect(c, routes.apiCredentials);
  });

  app.post(`${routes.apiCredentials}/:clientId/revoke`, async (c) => {
    const clientId = c.req.param('clientId');
    const form = await readForm(c);
    if (field(form, 'confirm') !== 'yes') {
      return listPage(c, { rowErrors: { [clientId]: 'Tick the box to confirm: revoking cannot be undone.' } }, 422);
    }
    try {
      const credential = ctx.apiCredentials.revoke(c.get('actor'), clientId);
      setFlash(c, { kind: 'success', text: `${credential.name} is revoked; every request with it is refused from now on.` });
    } catch (err) {
      return rowFailure(c, clientId, err);
    }
    return redirect(c, routes.apiCredentials);
  });
};
