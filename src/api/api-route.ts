import { createRoute, OpenAPIHono, type Hook, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { ZodError } from 'zod';
import { API_SCOPES, type ApiScope } from '../auth/api-credentials/scopes.js';
import { validationError, type FieldErrors } from '../errors.js';
import type { AppEnv } from '../web/app-env.js';
import { requireScope } from './middleware/api-auth.js';
import { ERROR_RESPONSES } from './schemas/error-schemas.js';

/** Either scheme authenticates any operation; the operation's scope is checked after. */
export const API_SECURITY: Record<string, string[]>[] = [{ hmac: [] }, { bearer: [] }];

/** The OpenAPI extension naming the scope an operation needs. */
export const SCOPE_EXTENSION = 'x-required-scope';
/** The document-level extension describing every scope. */
export const SCOPES_EXTENSION = 'x-scopes';

const UNKNOWN_FIELD = 'This field is not part of the request; remove it.';

/** Zod's issues as field errors keyed by dotted path (mappings.0.value); unknown keys get a message each. */
export const fieldErrorsOf = (error: ZodError): FieldErrors => {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...at, key].join('.')] ??= UNKNOWN_FIELD;
    } else {
      fields[at.join('.') || 'body'] ??= issue.message;
    }
  }
  return fields;
};

/** Every request part (path, query, body) that fails its schema becomes one 422 naming each field; nothing runs. */
const refuseInvalid: Hook<unknown, AppEnv, string, undefined> = (result) => {
  if (!result.success) throw validationError(`The request ${result.target === 'json' ? 'body' : result.target} has problems; nothing was changed.`, fieldErrorsOf(result.error));
  return undefined;
};

/** An operation without a request body refuses one rather than ignore what the client meant to send. */
const refuseBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if ((await c.req.arrayBuffer()).byteLength > 0) throw validationError('This operation takes no request body; send the request without one.', { body: 'Not accepted here.' });
  await next();
};

/** A router for /api/v1 operations: invalid input is refused the same way everywhere. */
export const apiRouter = (): OpenAPIHono<AppEnv> => new OpenAPIHono<AppEnv>({ defaultHook: refuseInvalid });

/** A JSON answer or request body with its schema. */
export const jsonBody = <S>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });

/** A required JSON request body. */
export const jsonRequest = <S>(schema: S) => ({ required: true as const, content: { 'application/json': { schema } } });

type ApiRouteConfig = Omit<RouteConfig, 'middleware' | 'security' | 'operationId' | 'summary'> & { operationId: string; summary: string };

/** The error answers an operation can give, from what it takes. */
const errorsFor = (config: ApiRouteConfig) => {
  const { 401: unauthorized, 403: forbidden, 404: missing, 413: tooLarge, 415: mediaType, 422: invalid, 429: limited, 500: failed } = ERROR_RESPONSES;
  return {
    401: unauthorized,
    403: forbidden,
    ...(config.path.includes('{') ? { 404: missing } : {}),
    ...(config.request?.body ? { 413: tooLarge, 415: mediaType } : {}),
    422: invalid,
    429: limited,
    500: failed,
  };
};

/**
 * An /api/v1 operation that needs `scope`: the scope is checked before the
 * input is read, and the document lists it (x-required-scope, the
 * description) with the security schemes and the error answers.
 */
export const apiRoute = <const R extends ApiRouteConfig>(scope: ApiScope, config: R) =>
  createRoute({
    ...config,
    description: [config.description, `Needs the scope \`${scope}\`: ${API_SCOPES[scope]}`].filter(Boolean).join('\n\n'),
    security: API_SECURITY,
    [SCOPE_EXTENSION]: scope,
    middleware: config.request?.body ? [requireScope(scope)] : [requireScope(scope), refuseBody],
    responses: { ...errorsFor(config), ...config.responses },
  });
