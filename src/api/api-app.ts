import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../app-context.js';
import { API_SCOPES } from '../auth/api-credentials/scopes.js';
import type { AppEnv } from '../web/app-env.js';
import { routes } from '../web/route-names.js';
import { apiRouter, SCOPE_EXTENSION, SCOPES_EXTENSION } from './api-route.js';
import { apiError, apiErrorHandler, apiNotFoundHandler } from './api-errors.js';
import { apiAuth } from './middleware/api-auth.js';
import { bodyGuard } from './middleware/body-guard.js';
import { debugApiRoutes } from './routes/debug-routes.js';
import { jobsApiRoutes } from './routes/jobs-routes.js';
import { settingsApiRoutes } from './routes/settings-routes.js';

const HMAC_DESCRIPTION = [
  'Sign every request with the credential’s secret. Send four headers:',
  '`X-Client-Id` (the credential’s client id), `X-Timestamp` (unix seconds, within 60 s of the hub’s clock),',
  '`X-Nonce` (16–128 characters of A–Z, a–z, 0–9, `_` or `-`, never reused) and',
  '`X-Signature`: lowercase hex HMAC-SHA256, keyed with the secret’s UTF-8 bytes, over',
  '`METHOD \\n PATH_WITH_QUERY \\n TIMESTAMP \\n NONCE \\n` followed by the raw body bytes (nothing when there is no body).',
  'PATH_WITH_QUERY is the request target exactly as sent, e.g. `/api/v1/jobs?state=dead`. The help topic “API” has examples in shell, Python and Node.',
].join(' ');

/** The OpenAPI 3.1 document as the generator makes it. */
export type OpenAPIObject = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>;

export interface ApiApp {
  /** The /api/v1 routes, to mount on the web app before sessions and CSRF. */
  app: OpenAPIHono<AppEnv>;
  /** The OpenAPI 3.1 document of every operation, built once. */
  document(): OpenAPIObject;
}

/** Operation paths in the document ({id}) as patterns for request paths, to tell a wrong method from a wrong path. */
const pathPattern = (template: string): RegExp => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);

/**
 * The REST API: its own Hono app under /api/v1 with its own error body.
 * Every request but the OpenAPI document is authenticated (apiAuth) and
 * its body checked (bodyGuard); each operation then checks its scope and
 * validates its input against the schemas the document is made from.
 * Platform operations first, then each plugin's under /api/v1/<plugin>.
 */
export const createApiApp = (ctx: AppContext): ApiApp => {
  const api = apiRouter();
  api.onError(apiErrorHandler);

  let document: OpenAPIObject | undefined;
  const build = (): OpenAPIObject => {
    document ??= openApiDocument(api);
    return document;
  };

  api.get(routes.apiDocument, (c) => c.json(build()));
  api.use(`${routes.api}/*`, apiAuth(ctx), bodyGuard({ limitBytes: ctx.config.bodyLimitBytes }));

  api.route(routes.apiPath('debug'), debugApiRoutes());
  api.route(routes.apiPath('settings'), settingsApiRoutes(ctx.domainConfig));
  api.route(routes.apiPath('jobs'), jobsApiRoutes(ctx.jobs));
  for (const loaded of ctx.plugins.plugins) {
    for (const part of loaded.apiRoutes) api.route(routes.apiPath(loaded.plugin.name), part);
  }

  const operations = [
    { method: 'GET', pattern: pathPattern(routes.apiDocument) },
    ...api.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [{ method: d.route.method.toUpperCase(), pattern: pathPattern(d.route.path) }] : [])),
  ];
  // Unknown paths answer in the API's error body; a known path with another method is a 405 naming the methods it has.
  api.all(`${routes.api}/*`, (c) => {
    const allowed = [...new Set(operations.filter((o) => o.pattern.test(c.req.path)).map((o) => o.method))];
    if (!allowed.length) return apiNotFoundHandler(c);
    c.header('Allow', allowed.join(', '));
    return apiError(c, 405, 'method_not_allowed', `${c.req.path} does not accept ${c.req.method}; it accepts ${allowed.join(', ')}.`, { allowed });
  });

  return { app: api, document: build };
};

/** The OpenAPI 3.1 document: both security schemes, and every operation's scope. */
const openApiDocument = (api: OpenAPIHono<AppEnv>): OpenAPIObject => {
  api.openAPIRegistry.registerComponent('securitySchemes', 'hmac', { type: 'apiKey', in: 'header', name: 'X-Signature', description: HMAC_DESCRIPTION });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: '`Authorization: Bearer <token>`. A token is accepted only from the IP addresses or CIDR ranges its credential allows.',
  });
  const doc = api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Switchyard API',
      version: '1',
      description:
        'Everything an admin does in Switchyard’s pages, for scripts and other systems: the same services answer both. Each operation needs a credential (HMAC or Bearer) holding its scope (`x-required-scope`; `x-scopes` describes each). Errors are always `{"error": {"code", "message", "details", "requestId"}}`.',
    },
  });
  doc[SCOPES_EXTENSION] = API_SCOPES;
  // An operation without a scope needs only a valid credential; the document says so explicitly.
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (op && !(SCOPE_EXTENSION in op)) op[SCOPE_EXTENSION] = null;
    }
  }
  return doc;
};
