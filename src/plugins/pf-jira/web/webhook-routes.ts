import { Hono, type Context } from 'hono';
import type { Clock } from '../../../platform/clock.js';
import type { Logger } from '../../../platform/logger.js';
import type { AppEnv } from '../../../web/app-env.js';
import type { Intake } from '../events/intake.js';
import { parseWebhook } from '../peopleforce/webhook-parser.js';
import { verifyWebhook } from '../peopleforce/webhook-verifier.js';

export interface WebhookRoutesDeps {
  intake: Intake;
  /** The current webhook secret (decrypted), read on every delivery so a saved change applies at once. */
  webhookSecret: () => string | undefined;
  clock: Clock;
  logger: Logger;
  /** Refuse larger deliveries here, below the hub-wide body limit. */
  maxBodyBytes?: number;
}

type Refusal = { status: 400 | 401 | 409 | 413 | 415 | 422 | 503; code: string; message: string };

/**
 * POST /peopleforce (mounted at /hooks/pf-jira): a PeopleForce delivery is
 * checked (content type, size, signature, shape) and recorded, then answered
 * at once; routing happens in a job. Every refusal is logged and nothing of a
 * refused delivery is stored.
 */
export const webhookRoutes = (deps: WebhookRoutesDeps): Hono<AppEnv> => {
  const routes = new Hono<AppEnv>();

  routes.post('/peopleforce', async (c) => {
    const log = c.get('log') ?? deps.logger;
    const refuse = (r: Refusal) => {
      log.warn({ reason: r.code, status: r.status }, 'webhook refused');
      return c.json({ error: { code: r.code, message: r.message } }, r.status);
    };

    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      return refuse({ status: 415, code: 'unsupported_content_type', message: `Deliveries must be application/json (got ${type ? JSON.stringify(type) : 'no content type'}).` });
    }
    const limit = deps.maxBodyBytes ?? Infinity;
    const tooLarge = () => refuse({ status: 413, code: 'body_too_large', message: `The delivery is larger than ${limit} bytes.` });
    if (Number(c.req.header('content-length') ?? 0) > limit) return tooLarge();
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > limit) return tooLarge();

    // The signature covers the bytes as sent, so it is checked before any decoding.
    const verified = verifyWebhook(bytes, c.req.header('x-peopleforce-signature'), deps.webhookSecret());
    if (!verified.ok) return refuse(verified);

    const body = decodeUtf8(bytes);
    if (body === undefined) return refuse({ status: 400, code: 'invalid_payload', message: 'The body is not valid UTF-8.' });
    const parsed = parseWebhook(body, deps.clock.now());
    if (!parsed.ok) return refuse({ status: parsed.code === 'unsupported_action' ? 422 : 400, code: parsed.code, message: parsed.message });

    const result = deps.intake.record(parsed.envelope, { dedupeKey: parsed.dedupeKey, correlationId: requestIdOf(c), log });
    if (result.status === 'duplicate') {
      const which = result.eventId === null ? '' : ` (event ${result.eventId})`;
      return refuse({ status: 409, code: 'replayed', message: `This delivery was already received${which}; it was not queued again.` });
    }
    return c.json({ status: 'queued', eventId: result.eventId }, 202);
  });

  return routes;
};

const decodeUtf8 = (bytes: Uint8Array): string | undefined => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
};

const requestIdOf = (c: Context<AppEnv>): string | null => c.get('requestId') ?? null;
