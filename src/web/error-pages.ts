import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, isAppError } from '../errors.js';
import type { AppEnv } from './app-env.js';
import { isHtmx } from './htmx.js';
import type { Renderer } from './render.js';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in needed',
  403: 'Not allowed',
  404: 'Page not found',
  409: 'Conflict',
  413: 'Too large',
  415: 'Unsupported content type',
  422: 'Check your input',
  429: 'Slow down',
  500: 'Something went wrong',
};

const wantsJson = (c: Context): boolean => (c.req.header('Accept') ?? '').includes('application/json') && !(c.req.header('Accept') ?? '').includes('text/html');

const toAppError = (err: Error): AppError | undefined => {
  if (isAppError(err)) return err;
  if (err instanceof HTTPException && err.status < 500) return new AppError(err.status, err.status === 413 ? 'body_too_large' : 'bad_request', err.message || TITLES[err.status] || 'Bad request');
  return undefined;
};

/** Maps errors to responses in one place: a page, a fragment htmx can show, or the JSON error body. */
export const errorHandler = (renderer: Renderer): ErrorHandler<AppEnv> => (err, c) => {
  const known = toAppError(err);
  const requestId = c.get('requestId');
  if (!known) c.get('log')?.error({ err }, 'unhandled error');
  const status = known?.status ?? 500;
  const code = known?.code ?? 'internal_error';
  const message = known?.message ?? 'An unexpected error stopped this request. It has been logged; quote the request id when you report it.';
  if (status === 429) c.header('Retry-After', String((known?.details?.retryAfterSeconds as number | undefined) ?? 60));
  if (wantsJson(c)) return c.json({ error: { code, message, details: { ...(known?.details ?? {}), ...(known?.fieldErrors ? { fields: known.fieldErrors } : {}), requestId } } }, status as 500);
  if (isHtmx(c)) return renderer.fragment(c, 'partials/error-message', { status, code, message }, status);
  return renderer.page(c, 'errors/error', { status, code, message, title: TITLES[status] ?? 'Error' }, { title: TITLES[status] ?? 'Error', status });
};

export const notFoundHandler = (renderer: Renderer): NotFoundHandler<AppEnv> => (c) => {
  const message = `Nothing lives at ${c.req.path}.`;
  if (wantsJson(c)) return c.json({ error: { code: 'not_found', message, details: { requestId: c.get('requestId') } } }, 404);
  return renderer.page(c, 'errors/error', { status: 404, code: 'not_found', message, title: TITLES[404] }, { title: TITLES[404] ?? 'Not found', status: 404 });
};
