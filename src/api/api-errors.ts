import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isAppError, type AppError } from '../errors.js';
import type { AppEnv } from '../web/app-env.js';

/** Codes for HTTP-level refusals that carry no code of their own. */
const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'auth_missing',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

/** Platform error codes that the API names in its own vocabulary. */
const RENAMED: Record<string, string> = { body_too_large: 'payload_too_large', too_many_requests: 'rate_limited' };

/** The one error body under /api/v1: {"error": {code, message, details, requestId}}. */
export const apiError = (c: Context<AppEnv>, status: ContentfulStatusCode, code: string, message: string, details: Record<string, unknown> | null = null): Response =>
  c.json({ error: { code, message, details, requestId: c.get('requestId') } }, status);

const fromAppError = (c: Context<AppEnv>, err: AppError): Response => {
  const details = { ...(err.details ?? {}), ...(err.fieldErrors ? { fields: err.fieldErrors } : {}) };
  if (err.status === 429) c.header('Retry-After', String((err.details?.retryAfterSeconds as number | undefined) ?? 60));
  return apiError(c, err.status as ContentfulStatusCode, RENAMED[err.code] ?? err.code, err.message, Object.keys(details).length ? details : null);
};

/** onError for the API: AppErrors keep their status, code and field errors; anything else is a logged 500 that reveals nothing. */
export const apiErrorHandler: ErrorHandler<AppEnv> = (err, c) => {
  if (isAppError(err)) return fromAppError(c, err);
  if (err instanceof HTTPException && err.status < 500) {
    return apiError(c, err.status, STATUS_CODES[err.status] ?? 'bad_request', err.message || 'The request was refused.');
  }
  c.get('log')?.error({ err }, 'unhandled error');
  return apiError(c, 500, 'internal_error', 'An unexpected error stopped this request. It has been logged; quote the request id when you report it.');
};

export const apiNotFoundHandler: NotFoundHandler<AppEnv> = (c) => apiError(c, 404, 'not_found', `There is no API operation at ${c.req.method} ${c.req.path}; see /api/v1/openapi.json.`);
