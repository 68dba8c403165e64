import { KNOWN_SCOPES, splitScopes, type IdentityContext } from './identity-context.js';
import { CHALLENGE_PATTERN } from './pkce.js';

/**
 * GET /connect/authorize. Nobody signs in at the simulator, so a valid
 * request is consented at once (or refused, when denyConsent is set). A bad
 * client or redirect URI is shown as an error page and never redirected, as a
 * real identity server does; every other problem goes back to the client's
 * redirect URI as `error=...&state=...` (RFC 6749 §4.1.2.1).
 */
export type AuthorizeOutcome = { kind: 'redirect'; location: string } | { kind: 'page'; error: string; description: string };

const SINGLE = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'nonce'];

const isHttpUrl = (raw: string): boolean => {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

const withParams = (redirectUri: string, params: Record<string, string | null>): string => {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  return url.toString();
};

export const authorize = (ctx: IdentityContext, params: URLSearchParams): AuthorizeOutcome => {
  const repeated = SINGLE.find((name) => params.getAll(name).length > 1);
  if (repeated) return { kind: 'page', error: 'invalid_request', description: `The parameter ${repeated} is given more than once.` };

  const clientId = params.get('client_id');
  const client = clientId ? ctx.clients.get(clientId) : undefined;
  if (!client) return { kind: 'page', error: 'unauthorized_client', description: clientId ? `Unknown client "${clientId}".` : 'client_id is missing.' };

  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return { kind: 'page', error: 'invalid_request', description: 'redirect_uri is missing.' };
  const registered = client.redirectUris.includes(redirectUri) || (ctx.config().acceptAnyRedirect && isHttpUrl(redirectUri));
  if (!registered) {
    return {
      kind: 'page',
      error: 'invalid_request',
      description: `redirect_uri "${redirectUri}" is not registered for this client. It must match a registered URI exactly, trailing slash included.`,
    };
  }

  const state = params.get('state');
  const refuse = (error: string, description: string): AuthorizeOutcome => ({
    kind: 'redirect',
    location: withParams(redirectUri, { error, error_description: description, state }),
  });

  if (params.get('response_type') !== 'code') return refuse('unsupported_response_type', 'response_type must be code.');
  const scopes = splitScopes(params.get('scope') ?? '');
  if (scopes.length === 0) return refuse('invalid_scope', 'scope is required.');
  const unknown = scopes.find((s) => !KNOWN_SCOPES.includes(s));
  if (unknown) return refuse('invalid_scope', `Unknown scope "${unknown}".`);
  if (!state) return refuse('invalid_request', 'state is required.');

  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (method !== null && challenge === null) return refuse('invalid_request', 'code_challenge_method was given without code_challenge.');
  if (challenge !== null) {
    if (method !== 'S256') return refuse('invalid_request', `code_challenge_method must be S256${method === null || method === 'plain' ? '; plain is not accepted' : ''}.`);
    if (!CHALLENGE_PATTERN.test(challenge)) return refuse('invalid_request', 'code_challenge must be the base64url SHA-256 of the verifier (43 characters).');
  }

  if (ctx.config().denyConsent) return refuse('access_denied', 'The user did not allow access.');

  const code = ctx.tokens.issueCode(
    {
      clientId: client.clientId,
      tenant: client.tenant,
      scopes: [...new Set(scopes)],
      subject: ctx.user.subject,
      redirectUri,
      codeChallenge: challenge,
      nonce: params.get('nonce'),
    },
    ctx.config().codeLifetimeSeconds * 1_000,
  );
  return { kind: 'redirect', location: withParams(redirectUri, { code, state }) };
};
