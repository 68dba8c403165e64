import type { Logger } from '../../../platform/logger.js';
import { parseRetryAfter } from '../../../platform/http-client.js';
import { UpstreamError } from '../../../platform/upstream-error.js';
import type { ProviderMetadata } from '../provider.js';
import { OAuthError, ReauthRequiredError } from './oauth-errors.js';
import { parseTokenResponse, type GrantType, type TokenGrant } from './token-response.js';

export interface AuthorizeParams {
  identityUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  codeChallenge: string;
}

/** Where the client authenticates: the identity server and the app's credentials (sent in the form body). */
export interface ClientCredentials {
  identityUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface OAuthCallOptions {
  log?: Logger;
  signal?: AbortSignal;
}

export interface OAuthClientOptions {
  meta: ProviderMetadata;
  logger: Logger;
  fetch?: typeof fetch;
}

type Purpose = GrantType | 'revocation';

const PURPOSE_NAMES: Record<Purpose, string> = {
  authorization_code: 'the sign-in (code exchange)',
  refresh_token: 'the token refresh',
  revocation: 'the token revocation',
};

const identityEndpoint = (identityUrl: string, path: string): string => identityUrl.trim().replace(/\/+$/, '') + path;

/**
 * BQE's consent page (contract §2): client_id, response_type=code, the space-separated scopes, the exact
 * redirect URI, state and the S256 PKCE challenge. Spaces are written %20, which every decoder reads.
 */
export const authorizeUrl = (params: AuthorizeParams, meta: ProviderMetadata): string => {
  const query: [string, string][] = [
    ['client_id', params.clientId],
    ['response_type', 'code'],
    ['scope', params.scopes.join(' ')],
    ['redirect_uri', params.redirectUri],
    ['state', params.state],
    ['code_challenge', params.codeChallenge],
    ['code_challenge_method', meta.oauth.pkceMethod],
  ];
  const encoded = query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${identityEndpoint(params.identityUrl, meta.oauth.authorizePath)}?${encoded}`;
};

/** An error description is upstream text: shown, but kept to one short printable line. */
const cleanDescription = (value: unknown): string => (typeof value === 'string' ? value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200) : '');

const oauthErrorFor = (purpose: Purpose, error: string, description: string): Error => {
  const detail = description ? ` BQE said: “${description}”` : '';
  if (error === 'invalid_client') {
    return new OAuthError(
      'bqe_invalid_client',
      `BQE did not accept this connection's client ID and client secret (invalid_client). Copy both again from your app's page in the BQE developer portal into the connection settings, then Reconnect OAuth.${detail}`,
      error,
    );
  }
  if (error === 'invalid_grant' && purpose === 'refresh_token') {
    return new ReauthRequiredError('BQE refused the stored refresh token (invalid_grant): it expired or was revoked. Reconnect OAuth to sign in again.');
  }
  if (error === 'invalid_grant' && purpose === 'authorization_code') {
    return new OAuthError(
      'bqe_oauth_code_refused',
      `BQE refused the authorization code (invalid_grant): it was already used or has expired, or the PKCE verifier or redirect URI did not match the sign-in. Start Connect with BQE again.${detail}`,
      error,
    );
  }
  if (error === 'unauthorized_client') {
    return new OAuthError(
      'bqe_oauth_refused',
      `BQE does not allow this app to use ${PURPOSE_NAMES[purpose]} (unauthorized_client). In the BQE developer portal the app must be a Web app: native and single-page apps get no client secret and no refresh token.${detail}`,
      error,
    );
  }
  if (error === 'invalid_scope') {
    return new OAuthError('bqe_oauth_refused', `BQE refused the requested scopes (invalid_scope). Check which scopes the app may request in the BQE developer portal.${detail}`, error);
  }
  return new OAuthError('bqe_oauth_refused', `BQE's identity server refused ${PURPOSE_NAMES[purpose]} (${error.slice(0, 60)}).${detail}`, error);
};

/**
 * The identity server's token and revocation endpoints: form-encoded POSTs with the client credentials in
 * the body, a timeout from provider metadata, strict checks of every answer, and one log line per call
 * that never carries a token, code, verifier or secret.
 */
export const createOAuthClient = (options: OAuthClientOptions) => {
  const { meta } = options;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = meta.oauth.timeoutSeconds * 1000;

  const postForm = async (purpose: Purpose, url: string, fields: Record<string, string>, opts: OAuthCallOptions): Promise<unknown> => {
    const log = opts.log ?? options.logger;
    const target = new URL(url);
    const line = { upstream: 'bqe', method: 'POST', path: target.pathname, grant: purpose };
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let res: Response;
    let text: string;
    try {
      res = await doFetch(target, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams(fields).toString(),
        signal,
      });
      text = await res.text();
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const timedOut = timeout.aborted;
      log.warn({ ...line, ms: elapsed(), error: timedOut ? 'timeout' : 'network' }, 'upstream call failed');
      const reason = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
      throw new UpstreamError({
        service: 'bqe',
        kind: timedOut ? 'timeout' : 'network',
        message: timedOut ? `BQE's identity server did not answer ${PURPOSE_NAMES[purpose]} within ${timeoutMs} ms` : `could not reach BQE's identity server at ${target.origin}: ${reason}`,
        cause: err,
      });
    }
    let body: unknown;
    let readable = true;
    try {
      body = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      readable = false;
    }
    const ms = elapsed();
    if (res.ok) {
      log.info({ ...line, status: res.status, ms }, 'upstream call');
      if (!readable) throw new UpstreamError({ service: 'bqe', kind: 'bad_response', status: res.status, message: `BQE's identity server answered ${PURPOSE_NAMES[purpose]} with a body that is not JSON (${res.headers.get('content-type') ?? 'no content type'})` });
      return body;
    }
    const oauthError = readable && typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : undefined;
    log.warn({ ...line, status: res.status, ms, ...(oauthError ? { oauthError } : {}) }, 'upstream call refused');
    if (oauthError !== undefined && res.status < 500) throw oauthErrorFor(purpose, oauthError, cleanDescription((body as { error_description?: unknown }).error_description));
    const limited = res.status === 429 || res.status === 503;
    const hint = res.status === 404 ? ` Check the identity server address (${target.origin}${target.pathname}).` : '';
    throw new UpstreamError({
      service: 'bqe',
      kind: 'http',
      status: res.status,
      message: `BQE's identity server answered ${PURPOSE_NAMES[purpose]} with HTTP ${res.status}.${hint}`,
      retryAfterMs: limited ? parseRetryAfter(res.headers.get('retry-after')) : undefined,
    });
  };

  const tokenUrl = (identityUrl: string) => identityEndpoint(identityUrl, meta.oauth.tokenPath);

  return {
    /** Trades the callback's code (with the PKCE verifier) for tokens; the response must name the tenant endpoint. */
    async exchangeCode(input: ClientCredentials & { code: string; codeVerifier: string; redirectUri: string }, opts: OAuthCallOptions = {}): Promise<TokenGrant> {
      const body = await postForm(
        'authorization_code',
        tokenUrl(input.identityUrl),
        { grant_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri, client_id: input.clientId, client_secret: input.clientSecret, code_verifier: input.codeVerifier },
        opts,
      );
      return parseTokenResponse(body, 'authorization_code', meta);
    },

    /** A new access token. A refused refresh token (invalid_grant) throws ReauthRequiredError. */
    async refresh(input: ClientCredentials & { refreshToken: string }, opts: OAuthCallOptions = {}): Promise<TokenGrant> {
      const body = await postForm('refresh_token', tokenUrl(input.identityUrl), { grant_type: 'refresh_token', refresh_token: input.refreshToken, client_id: input.clientId, client_secret: input.clientSecret }, opts);
      return parseTokenResponse(body, 'refresh_token', meta);
    },

    /** RFC 7009 revocation; BQE answers 200 even for a token it no longer knows. */
    async revoke(input: ClientCredentials & { token: string; tokenTypeHint?: 'refresh_token' | 'access_token' }, opts: OAuthCallOptions = {}): Promise<void> {
      await postForm(
        'revocation',
        identityEndpoint(input.identityUrl, meta.oauth.revocationPath),
        { token: input.token, ...(input.tokenTypeHint ? { token_type_hint: input.tokenTypeHint } : {}), client_id: input.clientId, client_secret: input.clientSecret },
        opts,
      );
    },
  };
};

export type OAuthClient = ReturnType<typeof createOAuthClient>;
