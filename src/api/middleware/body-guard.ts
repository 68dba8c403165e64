import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../web/app-env.js';
import { apiError } from '../api-errors.js';

export type ApiBody = { ok: true; body: Buffer } | { ok: false; response: Response };

const tooLarge = (c: Context<AppEnv>, limitBytes: number): Response =>
  apiError(c, 413, 'payload_too_large', `The request body is larger than ${Math.round(limitBytes / 1024)} KB, the most this hub accepts (HUB_BODY_LIMIT_KB).`, { limitBytes });

/**
 * The raw body bytes, read at most once and never past the limit (Hono's
 * bodyLimit checks the length header, else counts while streaming); later
 * readers such as c.req.json() get the same bytes.
 */
export const readApiBody = async (c: Context<AppEnv>, limitBytes: number): Promise<ApiBody> => {
  // A body read before (by apiAuth) is cached; its stream cannot be counted again.
  if (!Object.keys(c.req.bodyCache).length) {
    let within = false;
    await bodyLimit({ maxSize: limitBytes, onError: () => new Response(null, { status: 413 }) })(c, async () => {
      within = true;
    });
    if (!within) return { ok: false, response: tooLarge(c, limitBytes) };
  }
  const body = Buffer.from(await c.req.arrayBuffer());
  return body.length > limitBytes ? { ok: false, response: tooLarge(c, limitBytes) } : { ok: true, body };
};

const isJson = (contentType: string | undefined): boolean => (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bodies under /api/v1 are JSON or nothing: a body must be at most the
 * limit (413 payload_too_large), sent as application/json (415
 * unsupported_media_type) and parse as JSON (422 invalid_json). Whether its
 * fields fit is the operation's strict schema's job. Mount it after
 * apiAuth, so an unauthenticated caller is refused before this.
 */
export const bodyGuard = (options: { limitBytes: number }): MiddlewareHandler<AppEnv> => async (c, next) => {
  const read = await readApiBody(c, options.limitBytes);
  if (!read.ok) return read.response;
  if (!read.body.length) return next();
  const contentType = c.req.header('Content-Type');
  if (!isJson(contentType)) {
    return apiError(c, 415, 'unsupported_media_type', 'Send the request body as JSON with "Content-Type: application/json".', { contentType: contentType ?? null });
  }
  try {
    JSON.parse(utf8.decode(read.body));
  } catch (err) {
    return apiError(c, 422, 'invalid_json', `The request body is not valid JSON (${err instanceof SyntaxError ? err.message : 'it is not UTF-8 text'}); nothing was changed.`);
  }
  return next();
};
