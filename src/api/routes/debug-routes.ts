import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { API_SCOPE_NAMES } from '../../auth/api-credentials/scopes.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../web/app-env.js';
import { API_SECURITY, apiRouter, jsonBody } from '../api-route.js';
import { ERROR_RESPONSES } from '../schemas/error-schemas.js';

const WhoAmISchema = z
  .object({
    clientId: z.string().openapi({ example: 'sy_3f9a0c1d2e4b5a6978c0' }),
    name: z.string().openapi({ description: 'The name the admin gave the credential.', example: 'HR reporting script' }),
    type: z.enum(['hmac', 'bearer']),
    scopes: z.array(z.enum(API_SCOPE_NAMES as [string, ...string[]])),
    ip: z.string().openapi({ description: 'The client address the hub saw (after trusted proxies).', example: '203.0.113.7' }),
    requestId: z.string(),
  })
  .openapi('WhoAmI');

const whoami = createRoute({
  method: 'get',
  path: '/whoami',
  operationId: 'whoAmI',
  summary: 'Check a credential: who the hub thinks is calling',
  description: 'Needs no scope: any valid credential may call it. Use it to test signing, a Bearer token or a proxy setup.',
  tags: ['Debug'],
  security: API_SECURITY,
  responses: {
    200: jsonBody(WhoAmISchema, 'The credential that signed the request and the address it came from.'),
    401: ERROR_RESPONSES[401],
    403: ERROR_RESPONSES[403],
    429: ERROR_RESPONSES[429],
    500: ERROR_RESPONSES[500],
  },
});

/** /api/v1/debug: whoami, to check a credential end to end. */
export const debugApiRoutes = (): OpenAPIHono<AppEnv> =>
  apiRouter().openapi(whoami, (c) => {
    const caller = c.var.apiCredential;
    // Only reachable without apiAuth in front, which would be a wiring mistake; refuse rather than guess.
    if (!caller) throw new AppError(401, 'auth_missing', 'This operation needs an authenticated API request.');
    return c.json({ clientId: caller.clientId, name: caller.name, type: caller.type, scopes: caller.scopes, ip: caller.ip, requestId: c.var.requestId }, 200);
  });
