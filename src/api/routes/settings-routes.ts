import type { OpenAPIHono } from '@hono/zod-openapi';
import type { DomainConfig, DomainConfigService } from '../../platform/domain-config.js';
import type { AppEnv } from '../../web/app-env.js';
import { apiRoute, apiRouter, jsonBody, jsonRequest } from '../api-route.js';
import { ERROR_RESPONSES } from '../schemas/error-schemas.js';
import { pageOfList } from '../schemas/paging.js';
import { DomainParamSchema, DomainSettingsPageSchema, DomainSettingsSchema, SettingsListQuerySchema, SettingsUpdateSchema } from '../schemas/settings-schemas.js';

const TAG = 'Settings';

const listSettings = apiRoute('settings:read', {
  method: 'get',
  path: '/',
  operationId: 'listSettings',
  summary: 'List every settings domain',
  description: 'The platform and each plugin, as on the Settings page.',
  tags: [TAG],
  request: { query: SettingsListQuerySchema },
  responses: { 200: jsonBody(DomainSettingsPageSchema, 'The domains, in the order the Settings page shows them.') },
});

const getSettings = apiRoute('settings:read', {
  method: 'get',
  path: '/{domain}',
  operationId: 'getSettings',
  summary: 'Read one domain’s settings',
  tags: [TAG],
  request: { params: DomainParamSchema },
  responses: { 200: jsonBody(DomainSettingsSchema, 'The domain’s settings now.') },
});

const updateSettings = apiRoute('settings:write', {
  method: 'patch',
  path: '/{domain}',
  operationId: 'updateSettings',
  summary: 'Change a domain’s settings, master switch or polling interval',
  description: 'Only the fields sent change. Everything is validated first; with any problem nothing is saved. The change is audited under the credential.',
  tags: [TAG],
  request: { params: DomainParamSchema, body: jsonRequest(SettingsUpdateSchema) },
  responses: { 200: jsonBody(DomainSettingsSchema, 'The domain’s settings after the change.'), 409: ERROR_RESPONSES[409] },
});

/** GET and PATCH /api/v1/settings: the Settings page's cards, through the same DomainConfig service. */
export const settingsApiRoutes = (domainConfig: DomainConfigService): OpenAPIHono<AppEnv> => {
  const view = (value: DomainConfig) => {
    const decl = domainConfig.declaration(value.domain);
    return {
      ...value,
      title: decl.title,
      description: decl.description,
      polling: decl.polling ?? null,
      hasFallbackProjects: decl.fallbackProjects === true,
      definitions: decl.settings,
    };
  };

  return apiRouter()
    .openapi(listSettings, (c) => {
      const all = domainConfig.declarations().map((d) => view(domainConfig.get(d.domain)));
      return c.json(pageOfList(all, c.req.valid('query')), 200);
    })
    .openapi(getSettings, (c) => c.json(view(domainConfig.get(c.req.valid('param').domain)), 200))
    .openapi(updateSettings, (c) => {
      const { version, ...changes } = c.req.valid('json');
      const saved = domainConfig.update(c.var.actor, c.req.valid('param').domain, { ...changes, ...(version !== undefined ? { expectedVersion: version } : {}) });
      return c.json(view(saved), 200);
    });
};
