import { z } from '@hono/zod-openapi';

/** The one error body every /api/v1 answer uses; `details.fields` names each field that was refused. */
export const ApiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ description: 'Stable machine-readable code, e.g. validation_failed, scope_missing, conflict.', example: 'validation_failed' }),
      message: z.string().openapi({ description: 'A sentence an admin can act on.' }),
      details: z
        .record(z.string(), z.unknown())
        .nullable()
        .openapi({ description: 'Extra facts about the error; for validation_failed, `fields` maps each refused field (dotted path) to its message.' }),
      requestId: z.string().openapi({ description: 'Quote it when reporting a problem; it is in the server log line of the request.' }),
    }),
  })
  .openapi('ApiError');

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ApiErrorSchema } } });

/** Error answers, by status, with the situations that cause them. */
export const ERROR_RESPONSES = {
  401: errorResponse('Authentication failed: missing, malformed or wrong credentials, a stale timestamp, a replayed nonce, a revoked credential or a retired secret (auth_*).'),
  403: errorResponse('The credential lacks the scope this operation needs (scope_missing), or a Bearer token came from an address it is not allowed from (auth_ip_not_allowed).'),
  404: errorResponse('The thing addressed does not exist (not_found).'),
  409: errorResponse('Someone changed it since you read it, or its state does not allow this now (conflict).'),
  413: errorResponse('The body is larger than the hub accepts (payload_too_large).'),
  415: errorResponse('The body is not sent as application/json (unsupported_media_type).'),
  422: errorResponse('The input is not valid, or has fields this operation does not know (validation_failed, invalid_json); details.fields says which.'),
  429: errorResponse('The credential sent more requests per minute than it may (rate_limited); Retry-After says when to try again.'),
  500: errorResponse('An unexpected error; it was logged under the request id (internal_error).'),
} as const;
