import type { ApiCredentialRepository, ApiCredentialRow } from '../../db/repositories/api-credential-repository.js';
import type { ApiNonceRepository } from '../../db/repositories/api-nonce-repository.js';
import type { Clock } from '../../platform/clock.js';
import { hashBearerToken, parseAuthorization } from './bearer-token.js';
import type { ApiCredentialType } from './credential-input.js';
import { API_AUTH_POLICY, type ApiAuthPolicy } from './credential-policy.js';
import { CredentialRateLimiter } from './credential-rate-limiter.js';
import { parseAllowedIps, parseScopes, secondaryIsActive, type SecretSealer } from './credential-service.js';
import { canonicalString, NONCE_PATTERN, SIGNATURE_PATTERN, signatureMatches, TIMESTAMP_PATTERN } from './hmac-signature.js';
import { ipAllowlist } from './ip-allowlist.js';
import type { ApiScope } from './scopes.js';

/** Who called, once a request is authenticated. */
export interface ApiCaller {
  clientId: string;
  name: string;
  type: ApiCredentialType;
  scopes: ApiScope[];
  ip: string;
}

export type ApiAuthCode =
  | 'auth_missing'
  | 'auth_malformed'
  | 'auth_unknown_client'
  | 'auth_bad_signature'
  | 'auth_timestamp_skew'
  | 'auth_nonce_replayed'
  | 'auth_revoked'
  | 'auth_secret_retired'
  | 'auth_ip_not_allowed'
  | 'rate_limited';

export interface ApiAuthRefusal {
  ok: false;
  status: 401 | 403 | 429;
  code: ApiAuthCode;
  message: string;
  details: Record<string, unknown> | null;
  /** The credential the request named or matched, when there was one; for the log line. */
  clientId: string | null;
  retryAfterSeconds?: number;
}

export type ApiAuthResult = { ok: true; caller: ApiCaller } | ApiAuthRefusal;

/** The authentication headers as sent (undefined when absent), and what the signature covers. */
export interface ApiAuthRequest {
  headers: { authorization?: string | undefined; clientId?: string | undefined; timestamp?: string | undefined; nonce?: string | undefined; signature?: string | undefined };
  method: string;
  /** The request target exactly as on the request line: path and query. */
  target: string;
  body: Buffer;
  /** The client address as resolved for this request (trusted proxies applied). */
  ip: string;
}

export interface ApiAuthenticatorDeps {
  repo: ApiCredentialRepository;
  nonces: ApiNonceRepository;
  box: SecretSealer;
  clock: Clock;
  policy?: ApiAuthPolicy;
  limiter?: CredentialRateLimiter;
}

const SIGNED_HEADERS = [
  ['clientId', 'X-Client-Id'],
  ['timestamp', 'X-Timestamp'],
  ['nonce', 'X-Nonce'],
  ['signature', 'X-Signature'],
] as const;
const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const refuse = (status: ApiAuthRefusal['status'], code: ApiAuthCode, message: string, clientId: string | null, details: Record<string, unknown> | null = null): ApiAuthRefusal => ({
  ok: false,
  status,
  code,
  message,
  details,
  clientId,
});

const malformed = (header: string, message: string, clientId: string | null = null): ApiAuthRefusal => refuse(401, 'auth_malformed', message, clientId, { header });

/**
 * Decides whether an API request is authentic, in this order: headers
 * present and well-formed, credential known and active, timestamp inside
 * the window (HMAC), signature or token, caller's address, rate limit, and
 * last the nonce. Nothing is written unless the request is accepted: the
 * nonce is stored and last-used updated only then.
 */
export const createApiAuthenticator = (deps: ApiAuthenticatorDeps) => {
  const { repo, nonces, box, clock } = deps;
  const policy = deps.policy ?? API_AUTH_POLICY;
  const limiter = deps.limiter ?? new CredentialRateLimiter();

  const revoked = (row: ApiCredentialRow): ApiAuthRefusal =>
    refuse(401, 'auth_revoked', `Credential ${row.clientId} was revoked${row.revokedAt ? ` on ${new Date(row.revokedAt).toISOString()}` : ''}; ask an admin for a new credential.`, row.clientId);

  const retired = (row: ApiCredentialRow, what: string): ApiAuthRefusal =>
    refuse(401, 'auth_secret_retired', `This request used the credential's previous ${what}, which was retired or has expired; use the ${what} issued at the latest rotation.`, row.clientId);

  const addressRefusal = (row: ApiCredentialRow, ip: string): ApiAuthRefusal | undefined => {
    const allowlist = ipAllowlist(parseAllowedIps(row.allowedIps));
    // A Bearer token with no allowed addresses is accepted from nowhere; an HMAC credential without a list from anywhere.
    if (allowlist.isEmpty && row.type === 'hmac') return undefined;
    if (allowlist.matches(ip)) return undefined;
    return refuse(403, 'auth_ip_not_allowed', `Credential ${row.clientId} is not accepted from ${ip}; an admin can add this address to its allowed addresses.`, row.clientId, { ip });
  };

  const rateRefusal = (row: ApiCredentialRow, now: number): ApiAuthRefusal | undefined => {
    const decision = limiter.check(row.clientId, row.rateLimitPerMinute, now);
    if (decision.allowed) return undefined;
    return {
      ...refuse(429, 'rate_limited', `Credential ${row.clientId} may make ${row.rateLimitPerMinute} requests a minute; try again in ${decision.retryAfterSeconds} seconds.`, row.clientId, {
        limitPerMinute: row.rateLimitPerMinute,
        retryAfterSeconds: decision.retryAfterSeconds,
      }),
      retryAfterSeconds: decision.retryAfterSeconds,
    };
  };

  const accept = (row: ApiCredentialRow, ip: string, now: number): ApiAuthResult => {
    limiter.take(row.clientId, row.rateLimitPerMinute, now);
    if (row.lastUsedAt === null || row.lastUsedIp !== ip || now - row.lastUsedAt >= policy.lastUsedIntervalMs) repo.touch(row.id, now, ip);
    return { ok: true, caller: { clientId: row.clientId, name: row.name, type: row.type as ApiCredentialType, scopes: parseScopes(row.scopes), ip } };
  };

  const authenticateHmac = (request: ApiAuthRequest): ApiAuthResult => {
    const h = request.headers;
    const missing = SIGNED_HEADERS.filter(([key]) => !h[key]).map(([, name]) => name);
    if (missing.length) {
      return refuse(401, 'auth_missing', `The ${missing.join(', ')} header${missing.length > 1 ? 's are' : ' is'} missing; a signed request needs X-Client-Id, X-Timestamp, X-Nonce and X-Signature.`, null, { missing });
    }
    const { clientId, timestamp, nonce, signature } = h as Required<ApiAuthRequest['headers']>;
    if (!CLIENT_ID_PATTERN.test(clientId)) return malformed('X-Client-Id', 'X-Client-Id must be the client id shown when the credential was created (sy_ and 20 letters or digits).');
    if (!TIMESTAMP_PATTERN.test(timestamp)) return malformed('X-Timestamp', 'X-Timestamp must be the current time in whole unix seconds, for example 1767225600.', clientId);
    if (!NONCE_PATTERN.test(nonce)) return malformed('X-Nonce', 'X-Nonce must be 16 to 128 letters, digits, "-" or "_", new for every request.', clientId);
    if (!SIGNATURE_PATTERN.test(signature)) return malformed('X-Signature', 'X-Signature must be the HMAC-SHA256 written as 64 lowercase hex characters.', clientId);

    const row = repo.findByClientId(clientId);
    if (!row) return refuse(401, 'auth_unknown_client', `No API credential has the client id ${clientId}.`, clientId);
    if (row.status !== 'active') return revoked(row);
    if (row.type !== 'hmac' || !row.secretSealed) {
      return refuse(401, 'auth_unknown_client', `Credential ${clientId} is a Bearer credential; send its token as "Authorization: Bearer <token>" instead of signing.`, clientId);
    }

    const now = clock.now();
    const nowSeconds = Math.floor(now / 1000);
    const skew = Number(timestamp) - nowSeconds;
    if (Math.abs(skew) > policy.timestampWindowSeconds) {
      return refuse(
        401,
        'auth_timestamp_skew',
        `X-Timestamp is ${Math.abs(skew)} seconds ${skew < 0 ? 'behind' : 'ahead of'} the server's clock; at most ${policy.timestampWindowSeconds} is allowed. Check the client's clock (NTP).`,
        clientId,
        { serverTime: nowSeconds, skewSeconds: skew },
      );
    }

    const canonical = canonicalString(request.method, request.target, timestamp, nonce, request.body);
    const matches = (sealed: string | null): boolean => sealed !== null && signatureMatches(box.decrypt(sealed), canonical, signature);
    const current = matches(row.secretSealed);
    const previous = !current && matches(row.secondarySecretSealed);
    if (!current && !(previous && secondaryIsActive(row, now))) {
      // Only a holder of the retired secret can produce this match, so naming it tells an outsider nothing.
      if (previous) return retired(row, 'secret');
      return refuse(401, 'auth_bad_signature', 'The signature does not match this request. Sign the method, the path with its query, the timestamp, the nonce and the body exactly as sent (help topic "API").', clientId, {
        signedText: canonical.subarray(0, canonical.length - request.body.length).toString('utf8'),
        bodyBytes: request.body.length,
      });
    }

    const refusal = addressRefusal(row, request.ip) ?? rateRefusal(row, now);
    if (refusal) return refusal;
    const nonceExpiresAt = (Number(timestamp) + policy.timestampWindowSeconds) * 1000;
    if (!nonces.remember(clientId, nonce, nonceExpiresAt, now)) {
      return refuse(401, 'auth_nonce_replayed', 'This X-Nonce was already used; send a new random nonce with every request.', clientId);
    }
    return accept(row, request.ip, now);
  };

  const authenticateBearer = (request: ApiAuthRequest): ApiAuthResult => {
    const parsed = parseAuthorization(request.headers.authorization ?? '');
    if (parsed.kind === 'malformed') return malformed('Authorization', parsed.reason);
    const hash = hashBearerToken(parsed.token);
    const row = repo.findByTokenHash(hash);
    if (!row) return refuse(401, 'auth_unknown_client', 'No API credential has this Bearer token.', null);
    if (row.status !== 'active') return revoked(row);
    const now = clock.now();
    if (row.secretHash !== hash && !secondaryIsActive(row, now)) return retired(row, 'token');
    const refusal = addressRefusal(row, request.ip) ?? rateRefusal(row, now);
    if (refusal) return refusal;
    return accept(row, request.ip, now);
  };

  return {
    /** Bearer when an Authorization header comes alone; otherwise a signed (HMAC) request. */
    authenticate(request: ApiAuthRequest): ApiAuthResult {
      const h = request.headers;
      const signedHeaders = SIGNED_HEADERS.some(([key]) => h[key] !== undefined);
      if (h.authorization !== undefined && signedHeaders) {
        return refuse(401, 'auth_malformed', 'Send either the signed-request headers (X-Client-Id, X-Timestamp, X-Nonce, X-Signature) or Authorization: Bearer, not both.', null, { header: 'Authorization' });
      }
      if (h.authorization !== undefined) return authenticateBearer(request);
      if (!signedHeaders) {
        return refuse(401, 'auth_missing', 'This API needs a signed request (X-Client-Id, X-Timestamp, X-Nonce and X-Signature headers) or "Authorization: Bearer <token>".', null, {
          missing: SIGNED_HEADERS.map(([, name]) => name),
        });
      }
      return authenticateHmac(request);
    },
  };
};

export type ApiAuthenticator = ReturnType<typeof createApiAuthenticator>;
