import { Hono, type Context } from 'hono';
import type { ApiEnv } from './api-guard.js';
import type { Catalogs, ResourceCatalog } from './field-catalog.js';
import { parseExpand, parseFields, parseListQuery, readQueryKeys } from './list-query.js';
import { slicePage } from './paging.js';
import { expandRecord, renderRecord, type PublicRecord } from './record-views.js';
import type { BqeSimConfig } from './sim-config.js';
import type { SimData } from './sim-data.js';
import { SimError } from './sim-error.js';

/**
 * The tenant's REST API, read-only: `GET /{resource}` (a bare JSON array) and
 * `GET /{resource}/{id}` for project, client and activity. Mounted behind the
 * API guard, which has already set the request's UTC offset.
 */
export interface ApiDeps {
  data: SimData;
  catalogs: Catalogs;
  config(): BqeSimConfig;
}

/** The malformed answers a client must survive (issue 6, "bad input"). */
const malform = (body: PublicRecord[], mode: BqeSimConfig['malformedResponse']): unknown => {
  if (mode === 'object') return { items: body, count: body.length };
  if (mode === 'missing_id' && body[0]) delete body[0].id;
  return body;
};

const mountResource = <R>(api: Hono<ApiEnv>, deps: ApiDeps, catalog: ResourceCatalog<R>): void => {
  const render = (c: Context<ApiEnv>, record: R, fields: string[] | undefined, expand: string[]): PublicRecord => {
    const offset = c.get('utcOffset');
    return expandRecord(deps.catalogs, deps.data, catalog.resource, record, renderRecord(catalog, record, offset, fields), expand, offset);
  };

  api.get(`/${catalog.resource}`, (c) => {
    const config = deps.config();
    const query = parseListQuery(new URL(c.req.url).searchParams, catalog, c.get('utcOffset'), config);
    let rows = [...catalog.rows(deps.data)];
    if (query.where) rows = rows.filter(query.where);
    if (query.order) rows.sort(query.order);
    const page = slicePage(rows, query.page, config.pageRepeat);
    return c.json(malform(page.map((r) => render(c, r, query.fields, query.expand)), config.malformedResponse) as PublicRecord[]);
  });

  api.get(`/${catalog.resource}/:id`, (c) => {
    const keys = readQueryKeys(new URL(c.req.url).searchParams, ['fields', 'expand']);
    const fields = keys.fields === undefined ? undefined : parseFields(keys.fields, catalog);
    const expand = parseExpand(keys.expand, catalog);
    const record = catalog.find(deps.data, c.req.param('id'));
    if (!record) throw new SimError(404, `${catalog.label} ${c.req.param('id')} was not found.`);
    return c.json(render(c, record, fields, expand));
  });
};

export const apiRoutes = (deps: ApiDeps): Hono<ApiEnv> => {
  const api = new Hono<ApiEnv>();
  mountResource(api, deps, deps.catalogs.project);
  mountResource(api, deps, deps.catalogs.client);
  mountResource(api, deps, deps.catalogs.activity);
  return api;
};
