import crypto from 'node:crypto';

/** X-Signature: HMAC-SHA256 written as 64 lowercase hex characters. */
export const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;
/** X-Timestamp: whole unix seconds. */
export const TIMESTAMP_PATTERN = /^\d{1,12}$/;
/** X-Nonce: 16-128 characters a client can make with any random source (hex, base64url, a UUID). */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** HMAC secrets start with sys_ so a leaked one is recognisable in a scan. */
export const generateHmacSecret = (): string => `sys_${crypto.randomBytes(32).toString('base64url')}`;

/**
 * The bytes a signature covers:
 *   METHOD "\n" PATH_WITH_QUERY "\n" TIMESTAMP "\n" NONCE "\n" BODY
 * The four text parts are UTF-8, each followed by one line feed (0x0a); the
 * raw body bytes follow unchanged (nothing when there is no body). The path
 * is the request target exactly as sent on the request line, query included.
 */
export const canonicalString = (method: string, pathWithQuery: string, timestamp: string | number, nonce: string, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n`, 'utf8'), body]);

/** The key is the secret's UTF-8 bytes, prefix included, as `openssl dgst -sha256 -hmac "$SECRET"` uses it. */
const mac = (secret: string, canonical: Buffer): Buffer => crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(canonical).digest();

/** The X-Signature value for a request: lowercase hex. */
export const signRequest = (secret: string, method: string, pathWithQuery: string, timestamp: string | number, nonce: string, body: Buffer): string =>
  mac(secret, canonicalString(method, pathWithQuery, timestamp, nonce, body)).toString('hex');

/** Constant-time check of a signature against the canonical bytes; a signature that is not 64 hex characters never matches. */
export const signatureMatches = (secret: string, canonical: Buffer, signature: string): boolean => {
  if (!SIGNATURE_PATTERN.test(signature)) return false;
  return crypto.timingSafeEqual(mac(secret, canonical), Buffer.from(signature, 'hex'));
};

/** Convenience for one secret and a whole request. */
export const verifyRequest = (secret: string, signature: string, method: string, pathWithQuery: string, timestamp: string | number, nonce: string, body: Buffer): boolean =>
  signatureMatches(secret, canonicalString(method, pathWithQuery, timestamp, nonce, body), signature);
