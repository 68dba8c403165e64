import type { Hono } from 'hono';
import type { OpenAPIObject } from '../../api/api-app.js';
import { outlineOf } from '../../api/openapi-outline.js';
import type { AppEnv } from '../app-env.js';
import type { Renderer } from '../render.js';
import { routes } from '../route-names.js';

/**
 * The API reference: the OpenAPI document rendered on the server, so the
 * page needs no script and keeps to the CSP (ADR 18). Any signed-in user may
 * read it; the document itself is public at /api/v1/openapi.json.
 */
export const registerApiReferenceRoutes = (app: Hono<AppEnv>, renderer: Renderer, document: () => OpenAPIObject): void => {
  let outline: ReturnType<typeof outlineOf> | undefined;
  app.get(routes.apiReference, (c) => {
    outline ??= outlineOf(document());
    return renderer.page(c, 'pages/api-reference', { outline, documentUrl: routes.apiDocument }, { title: 'API reference', breadcrumbs: [{ label: 'API reference' }], helpTopic: 'api', helpLabel: 'API', active: routes.apiReference });
  });
};
