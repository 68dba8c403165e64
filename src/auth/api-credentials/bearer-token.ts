import crypto from 'node:crypto';

/** RFC 6750's b64token alphabet, bounded so a giant header is refused before it is hashed. */
export const BEARER_TOKEN_PATTERN = /^(?=.{1,512}$)[A-Za-z0-9\-._~+/]+=*$/;

/** Bearer tokens start with syb_ so a leaked one is recognisable in a scan. */
export const generateBearerToken = (): string => `syb_${crypto.randomBytes(32).toString('base64url')}`;

/** Only this digest is stored: a token is 256 random bits, so a plain SHA-256 cannot be brute-forced and stays an index lookup. */
export const hashBearerToken = (token: string): string => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

export type AuthorizationHeader = { kind: 'bearer'; token: string } | { kind: 'malformed'; reason: string };

/** Reads `Authorization: Bearer <token>`; any other scheme or shape is malformed. */
export const parseAuthorization = (header: string): AuthorizationHeader => {
  const match = /^(\S+) +(\S+)$/.exec(header.trim());
  if (!match || match[1]!.toLowerCase() !== 'bearer') return { kind: 'malformed', reason: 'Authorization must be "Bearer <token>".' };
  if (!BEARER_TOKEN_PATTERN.test(match[2]!)) return { kind: 'malformed', reason: 'The Bearer token has characters a token cannot contain.' };
  return { kind: 'bearer', token: match[2]! };
};
