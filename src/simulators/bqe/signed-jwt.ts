import { createHmac } from 'node:crypto';

/**
 * Compact HS256 JWTs, so tokens look like BQE's ("eyJ...") and an id_token
 * can be checked with the client secret (OIDC allows HS256 for confidential
 * clients). The simulator never parses its own tokens: it looks them up.
 */
const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export const signJwt = (payload: Record<string, unknown>, key: string, type = 'JWT'): string => {
  const body = `${part({ alg: 'HS256', typ: type })}.${part(payload)}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
};
