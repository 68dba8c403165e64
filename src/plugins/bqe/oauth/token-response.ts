import { UpstreamError } from '../../../platform/upstream-error.js';
import type { TokenSet } from '../db/connection-repository.js';
import type { ProviderMetadata } from '../provider.js';

export type GrantType = 'authorization_code' | 'refresh_token';

/** A checked token response (contract §2). Null where BQE left a field out and the caller must fall back. */
export interface TokenGrant {
  accessToken: string;
  refreshToken: string | null;
  expiresInSeconds: number;
  scopes: string[] | null;
  /** The tenant's REST base URL (`endpoint`), trailing slashes removed. */
  apiBaseUrl: string | null;
}

const GRANT_NAMES: Record<GrantType, string> = {
  authorization_code: 'the sign-in (code exchange)',
  refresh_token: 'the token refresh',
};

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);

/** Never carries the body: a token response is full of secrets. */
const malformed = (grant: GrantType, problem: string): UpstreamError =>
  new UpstreamError({ service: 'bqe', kind: 'bad_response', status: 200, message: `BQE's identity server answered ${GRANT_NAMES[grant]} ${problem}` });

/**
 * The tenant's API base from `endpoint`: an absolute http(s) URL without query or fragment, since
 * resource paths are appended to it. Trailing slashes are removed, as every official sample does.
 */
export const apiBaseFromEndpoint = (value: string): string | undefined => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return undefined;
  return value.trim().replace(/\/+$/, '');
};

/**
 * Checks a 200 token response field by field. `expires_in` falls back to the provider's default when
 * absent; a code exchange must carry `endpoint`, a refresh may leave it out (contract §1).
 */
export const parseTokenResponse = (body: unknown, grant: GrantType, meta: ProviderMetadata): TokenGrant => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformed(grant, `with ${body === undefined ? 'an empty body' : kindOf(body)} instead of a token object`);
  const fields = body as Record<string, unknown>;

  const accessToken = fields.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') throw malformed(grant, accessToken === undefined ? 'without an access_token' : `with an access_token that is ${kindOf(accessToken)}, not text`);

  const tokenType = fields.token_type;
  // RFC 6749 §5.1: the token type is case-insensitive.
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') throw malformed(grant, `with token_type ${tokenType === undefined ? 'missing' : JSON.stringify(tokenType)}; only Bearer tokens can be used`);

  const expiresIn = fields.expires_in;
  if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0)) {
    throw malformed(grant, `with expires_in ${JSON.stringify(expiresIn)}; it must be a positive number of seconds`);
  }

  const refreshToken = fields.refresh_token;
  if (refreshToken !== undefined && refreshToken !== null && (typeof refreshToken !== 'string' || refreshToken === '')) {
    throw malformed(grant, `with a refresh_token that is ${kindOf(refreshToken)}, not text`);
  }

  const scope = fields.scope;
  if (scope !== undefined && typeof scope !== 'string') throw malformed(grant, `with scope ${kindOf(scope)}; it must be a space-separated text`);

  const endpoint = fields.endpoint;
  let apiBaseUrl: string | null = null;
  if (endpoint === undefined || endpoint === null || endpoint === '') {
    if (grant === 'authorization_code') throw malformed(grant, 'without an endpoint (the tenant API address), so Switchyard would not know where to send API calls');
  } else {
    const base = typeof endpoint === 'string' ? apiBaseFromEndpoint(endpoint) : undefined;
    if (base === undefined) throw malformed(grant, `with an endpoint that is not an absolute http(s) address: ${typeof endpoint === 'string' ? JSON.stringify(endpoint.slice(0, 120)) : kindOf(endpoint)}`);
    apiBaseUrl = base;
  }

  return {
    accessToken,
    refreshToken: typeof refreshToken === 'string' ? refreshToken : null,
    expiresInSeconds: typeof expiresIn === 'number' ? expiresIn : meta.oauth.defaultAccessTokenSeconds,
    scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : null,
    apiBaseUrl,
  };
};

export interface TokenFallback {
  /** What was asked for; RFC 6749 §5.1 says an omitted scope means exactly that. */
  scopes: string[];
  /** A refresh response may omit `endpoint` or `refresh_token`: the stored ones stay valid then. */
  apiBaseUrl?: string | null;
  refreshToken?: string | null;
}

/** The token set to store: expiry from `now`, missing fields taken from what the caller already holds. */
export const toTokenSet = (grant: TokenGrant, now: number, fallback: TokenFallback): TokenSet => {
  const apiBaseUrl = grant.apiBaseUrl ?? fallback.apiBaseUrl ?? null;
  if (apiBaseUrl === null) throw new UpstreamError({ service: 'bqe', kind: 'bad_response', status: 200, message: "BQE's identity server sent no endpoint and none is stored for this connection, so Switchyard would not know where to send API calls. Reconnect OAuth." });
  return {
    accessToken: grant.accessToken,
    refreshToken: grant.refreshToken ?? fallback.refreshToken ?? null,
    expiresAt: now + Math.round(grant.expiresInSeconds * 1000),
    apiBaseUrl,
    scopes: grant.scopes ?? fallback.scopes,
  };
};
