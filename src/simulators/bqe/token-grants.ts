import { timingSafeEqual } from 'node:crypto';
import { splitScopes, type IdentityContext } from './identity-context.js';
import { s256, VERIFIER_PATTERN } from './pkce.js';
import { tenantApiPath, type RegisteredClient } from './registered-clients.js';
import { OAuthError } from './sim-error.js';
import { signJwt } from './signed-jwt.js';
import type { Grant } from './token-store.js';

/**
 * POST /connect/token and /connect/revocation. Client credentials come in the
 * form body, as in every official sample. The answer has the contract's field
 * set (§2) in its order; `endpoint` is the tenant's API base with a trailing slash.
 */
export interface TokenResponse {
  id_token?: string;
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  refresh_token?: string;
  scope: string;
  endpoint?: string;
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const single = (form: URLSearchParams, name: string): string | undefined => {
  const values = form.getAll(name);
  if (values.length > 1) throw new OAuthError(400, 'invalid_request', `The parameter ${name} is given more than once.`);
  return values[0] === '' ? undefined : values[0];
};

export const authenticateClient = (ctx: IdentityContext, form: URLSearchParams): RegisteredClient => {
  const clientId = single(form, 'client_id');
  const secret = single(form, 'client_secret');
  const client = clientId ? ctx.clients.get(clientId) : undefined;
  if (!client || secret === undefined || !same(secret, client.clientSecret)) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed: send the registered client_id and client_secret in the form body.');
  }
  return client;
};

/** Tokens for a grant; also used by sim.issueTokens to skip the browser step in tests. */
export const issueTokens = (
  ctx: IdentityContext,
  grant: Grant,
  baseUrl: string,
  options: { refreshToken?: string; nonce?: string | null; includeEndpoint: boolean },
): TokenResponse => {
  const config = ctx.config();
  const issuer = `${baseUrl}/idp`;
  const lifetimeMs = config.expiresInSeconds * 1_000;
  const client = ctx.clients.get(grant.clientId);
  let idToken: string | undefined;
  if (grant.scopes.includes('openid') && client) {
    const issuedAt = Math.floor(ctx.now() / 1_000);
    const claims: Record<string, unknown> = { iss: issuer, aud: client.clientId, sub: grant.subject, iat: issuedAt, exp: issuedAt + config.expiresInSeconds, auth_time: issuedAt };
    if (options.nonce) claims.nonce = options.nonce;
    if (grant.scopes.includes('email')) claims.email = ctx.user.email;
    if (grant.scopes.includes('profile')) claims.name = ctx.user.name;
    idToken = signJwt(claims, client.clientSecret);
  }
  const refreshToken = options.refreshToken ?? (grant.scopes.includes('offline_access') ? ctx.tokens.issueRefresh(grant) : undefined);
  const response: TokenResponse = {
    ...(idToken ? { id_token: idToken } : {}),
    access_token: ctx.tokens.issueAccess(grant, issuer, lifetimeMs),
    expires_in: config.expiresInSeconds,
    token_type: 'Bearer',
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    scope: grant.scopes.join(' '),
  };
  if (options.includeEndpoint) response.endpoint = `${baseUrl}${tenantApiPath(grant.tenant)}/`;
  return response;
};

const redeemCode = (ctx: IdentityContext, client: RegisteredClient, form: URLSearchParams, baseUrl: string): TokenResponse => {
  const code = single(form, 'code');
  if (!code) throw new OAuthError(400, 'invalid_request', 'code is missing.');
  const entry = ctx.tokens.code(code);
  if (!entry || entry.clientId !== client.clientId) throw new OAuthError(400, 'invalid_grant', 'The authorization code is unknown.');
  if (entry.used) throw new OAuthError(400, 'invalid_grant', 'The authorization code was already used.');
  // Any attempt by its own client spends the code, as real servers do, so a wrong verifier cannot be retried.
  entry.used = true;
  if (entry.expiresAt <= ctx.now()) throw new OAuthError(400, 'invalid_grant', 'The authorization code has expired.');
  if (single(form, 'redirect_uri') !== entry.redirectUri) throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match the one used to get the code.');
  const verifier = single(form, 'code_verifier');
  if (entry.codeChallenge === null) {
    if (verifier !== undefined) throw new OAuthError(400, 'invalid_grant', 'code_verifier was sent but the authorization request had no code_challenge.');
  } else {
    if (verifier === undefined) throw new OAuthError(400, 'invalid_grant', 'code_verifier is missing: the authorization request used PKCE.');
    if (!VERIFIER_PATTERN.test(verifier) || s256(verifier) !== entry.codeChallenge) throw new OAuthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge.');
  }
  const grant: Grant = { clientId: entry.clientId, tenant: entry.tenant, scopes: entry.scopes, subject: entry.subject };
  const response = issueTokens(ctx, grant, baseUrl, { nonce: entry.nonce, includeEndpoint: true });
  ctx.tokens.counters.tokensIssued++;
  return response;
};

const refresh = (ctx: IdentityContext, client: RegisteredClient, form: URLSearchParams, baseUrl: string): TokenResponse => {
  const token = single(form, 'refresh_token');
  if (!token) throw new OAuthError(400, 'invalid_request', 'refresh_token is missing.');
  const entry = ctx.tokens.refresh(token);
  if (!entry || entry.clientId !== client.clientId || !entry.active) throw new OAuthError(400, 'invalid_grant', 'The refresh token is unknown, revoked or already used.');
  const requested = single(form, 'scope');
  const scopes = requested === undefined ? entry.scopes : splitScopes(requested);
  const widened = scopes.find((s) => !entry.scopes.includes(s));
  if (widened) throw new OAuthError(400, 'invalid_scope', `The scope "${widened}" was not granted to this refresh token.`);
  const config = ctx.config();
  let refreshToken = token;
  if (config.rotateRefreshTokens) {
    entry.active = false;
    refreshToken = ctx.tokens.issueRefresh({ clientId: entry.clientId, tenant: entry.tenant, scopes: entry.scopes, subject: entry.subject });
  }
  const grant: Grant = { clientId: entry.clientId, tenant: entry.tenant, scopes, subject: entry.subject };
  const response = issueTokens(ctx, grant, baseUrl, { refreshToken, includeEndpoint: !config.omitEndpointOnRefresh });
  ctx.tokens.counters.tokensRefreshed++;
  return response;
};

export const exchangeToken = (ctx: IdentityContext, form: URLSearchParams, baseUrl: string): TokenResponse => {
  try {
    const client = authenticateClient(ctx, form);
    const grantType = single(form, 'grant_type');
    if (grantType === 'authorization_code') return redeemCode(ctx, client, form, baseUrl);
    if (grantType === 'refresh_token') return refresh(ctx, client, form, baseUrl);
    throw new OAuthError(400, 'unsupported_grant_type', grantType ? `grant_type "${grantType}" is not supported.` : 'grant_type is missing.');
  } catch (err) {
    if (err instanceof OAuthError) ctx.tokens.counters.tokenRequestsRefused++;
    throw err;
  }
};

export const revokeToken = (ctx: IdentityContext, form: URLSearchParams): void => {
  const client = authenticateClient(ctx, form);
  const token = single(form, 'token');
  if (!token) throw new OAuthError(400, 'invalid_request', 'token is missing.');
  ctx.tokens.revoke(token, client.clientId);
};
