import { Hono, type Context } from 'hono';
import type { SimEnv } from '../sim-kit.js';
import { authorize } from './authorize.js';
import { KNOWN_SCOPES, type IdentityContext } from './identity-context.js';
import { OAuthError } from './sim-error.js';
import { exchangeToken, revokeToken } from './token-grants.js';

/**
 * The identity server under /idp (contract §2): discovery, authorize, token,
 * revocation and userinfo, shaped like IdentityServer's `/connect/*`.
 */
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const errorPage = (error: string, description: string): string =>
  `<!doctype html><html><head><title>Error</title></head><body><h1>Sorry, there was an error: ${escapeHtml(error)}</h1><p>${escapeHtml(description)}</p></body></html>`;

const readForm = async (c: Context<SimEnv>): Promise<URLSearchParams> => {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new OAuthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  return new URLSearchParams(await c.req.text());
};

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export const oauthRoutes = (ctx: IdentityContext, baseUrl: (c: Context<SimEnv>) => string): Hono<SimEnv> => {
  const idp = new Hono<SimEnv>();

  idp.get('/.well-known/openid-configuration', (c) => {
    const issuer = `${baseUrl(c)}/idp`;
    return c.json({
      issuer,
      jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
      authorization_endpoint: `${issuer}/connect/authorize`,
      token_endpoint: `${issuer}/connect/token`,
      userinfo_endpoint: `${issuer}/connect/userinfo`,
      revocation_endpoint: `${issuer}/connect/revocation`,
      scopes_supported: KNOWN_SCOPES,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['HS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
    });
  });

  // id_tokens are HS256-signed with the client secret, so there is no public key to publish.
  idp.get('/.well-known/openid-configuration/jwks', (c) => c.json({ keys: [] }));

  idp.get('/connect/authorize', (c) => {
    const outcome = authorize(ctx, new URL(c.req.url).searchParams);
    if (outcome.kind === 'page') return c.html(errorPage(outcome.error, outcome.description), 400);
    return c.redirect(outcome.location, 302);
  });

  idp.post('/connect/token', async (c) => c.json(exchangeToken(ctx, await readForm(c), baseUrl(c)), 200, NO_STORE));

  idp.post('/connect/revocation', async (c) => {
    revokeToken(ctx, await readForm(c));
    return c.body(null, 200);
  });

  idp.get('/connect/userinfo', (c) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const entry = token ? ctx.tokens.access(token) : undefined;
    if (!entry || entry.revoked || entry.expiresAt <= ctx.now()) {
      return c.json({ error: 'invalid_token', error_description: 'The access token is missing, unknown or expired.' }, 401, { 'WWW-Authenticate': 'Bearer,error="invalid_token"' });
    }
    if (!entry.scopes.includes('openid')) return c.body(null, 403, { 'WWW-Authenticate': 'Bearer,error="insufficient_scope"' });
    return c.json({ sub: entry.subject, name: ctx.user.name, email: ctx.user.email });
  });

  return idp;
};
