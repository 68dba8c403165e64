import { createHmac, timingSafeEqual } from 'node:crypto';

export type VerifyResult =
  | { ok: true }
  | { ok: false; status: 401 | 503; code: 'webhook_not_configured' | 'signature_missing' | 'signature_malformed' | 'signature_invalid'; message: string };

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks PeopleForce's `X-PeopleForce-Signature: sha256=<hex>`, the HMAC-SHA256
 * of the raw body under the webhook secret (contract §6). Without a secret we
 * refuse everything: PeopleForce sends unsigned deliveries then, and anyone who
 * knows the URL could forge an employee change.
 */
export const verifyWebhook = (rawBody: string | Uint8Array, signatureHeader: string | undefined, secret: string | undefined): VerifyResult => {
  if (!secret) {
    return {
      ok: false,
      status: 503,
      code: 'webhook_not_configured',
      message: 'Set a webhook secret in PeopleForce and on the Connections page; unsigned deliveries cannot be verified.',
    };
  }
  if (signatureHeader === undefined || signatureHeader.trim() === '') {
    return { ok: false, status: 401, code: 'signature_missing', message: 'The X-PeopleForce-Signature header is missing; is a secret set on the PeopleForce webhook?' };
  }
  const match = SIGNATURE.exec(signatureHeader.trim());
  if (!match?.[1]) {
    return { ok: false, status: 401, code: 'signature_malformed', message: 'The X-PeopleForce-Signature header is not of the form sha256=<64 hex digits>.' };
  }
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  if (!timingSafeEqual(Buffer.from(match[1], 'hex'), expected)) {
    return { ok: false, status: 401, code: 'signature_invalid', message: 'The signature does not match the body; the webhook secret in PeopleForce and on the Connections page must be the same.' };
  }
  return { ok: true };
};

/** The header value PeopleForce would send for this body (for the simulator and tests). */
export const signWebhook = (rawBody: string | Uint8Array, secret: string): string => `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
