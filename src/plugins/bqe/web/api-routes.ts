import type { OpenAPIHono } from '@hono/zod-openapi';
import { apiRoute, apiRouter, jsonBody } from '../../../api/api-route.js';
import { ERROR_RESPONSES } from '../../../api/schemas/error-schemas.js';
import { pageOfList } from '../../../api/schemas/paging.js';
import { notFound } from '../../../errors.js';
import type { AppEnv } from '../../../web/app-env.js';
import type { Connection } from '../db/connection-repository.js';
import type { MirroredClient, MirroredProject } from '../db/mirror-repository.js';
import { OBJECT_NAMES, statusLabel } from '../provider.js';
import {
  ClientPageSchema,
  ClientSchema,
  ConnectionDetailSchema,
  ConnectionListQuerySchema,
  ConnectionPageSchema,
  ConnectionParamSchema,
  MirrorQuerySchema,
  ProjectPageSchema,
  ProjectSchema,
  RecordParamSchema,
  SyncQueuedSchema,
} from './api-schemas.js';
import type { BqeWebDeps } from './bqe-web-deps.js';
import { syncStatus } from './sync-status-view.js';

const CONNECTIONS = ['BQE Core: connections'];
const MIRRORS = ['BQE Core: mirrored projects and clients'];

const listConnections = apiRoute('bqe:read', {
  method: 'get',
  path: '/connections',
  operationId: 'listBqeConnections',
  summary: 'List BQE connections with their status',
  description: 'Each connection’s OAuth status, consent, UTC offset, whether it can sync, and its latest run per object, as on the Connections page.',
  tags: CONNECTIONS,
  request: { query: ConnectionListQuerySchema },
  responses: { 200: jsonBody(ConnectionPageSchema, 'One page of connections.') },
});

const getConnection = apiRoute('bqe:read', {
  method: 'get',
  path: '/connections/{id}',
  operationId: 'getBqeConnection',
  summary: 'Read one BQE connection with its sync status',
  description: 'Adds the sync status panel: per object the running, latest and last successful run, the cursor and mirror counts; the rate limiter; recent runs.',
  tags: CONNECTIONS,
  request: { params: ConnectionParamSchema },
  responses: { 200: jsonBody(ConnectionDetailSchema, 'The connection.') },
});

const sync = (full: boolean) =>
  apiRoute('sync:run', {
    method: 'post',
    path: full ? '/connections/{id}/full-sync' : '/connections/{id}/sync',
    operationId: full ? 'fullSyncBqeConnection' : 'syncBqeConnection',
    summary: full ? 'Start a full re-sync of a BQE connection' : 'Sync a BQE connection now',
    description: full
      ? 'Reads every page of every mirrored object again and sweeps for records deleted in BQE, as the page’s Full re-sync.'
      : 'Reads what changed since the last run, as the page’s Sync now. Runs in the background under BQE’s rate limits.',
    tags: CONNECTIONS,
    request: { params: ConnectionParamSchema },
    responses: { 202: jsonBody(SyncQueuedSchema, 'The sync was queued.'), 409: { ...ERROR_RESPONSES[409], description: 'Sync is switched off for the connection, or it cannot sync now (bqe_sync_disabled, bqe_cannot_sync).' } },
  });

const search = (kind: 'projects' | 'clients') =>
  apiRoute('bqe:read', {
    method: 'get',
    path: `/connections/{id}/${kind}`,
    operationId: kind === 'projects' ? 'searchBqeProjects' : 'searchBqeClients',
    summary: kind === 'projects' ? 'Search the mirrored projects' : 'Search the mirrored clients',
    description: 'By name, code, GUID or legacy id, ordered by name.',
    tags: MIRRORS,
    request: { params: ConnectionParamSchema, query: MirrorQuerySchema },
    responses: { 200: jsonBody(kind === 'projects' ? ProjectPageSchema : ClientPageSchema, 'One page of matches.') },
  });

const getOne = (kind: 'projects' | 'clients') =>
  apiRoute('bqe:read', {
    method: 'get',
    path: `/connections/{id}/${kind}/{externalId}`,
    operationId: kind === 'projects' ? 'getBqeProject' : 'getBqeClient',
    summary: kind === 'projects' ? 'Read one mirrored project by GUID or legacy id' : 'Read one mirrored client by GUID or legacy id',
    tags: MIRRORS,
    request: { params: RecordParamSchema },
    responses: { 200: jsonBody(kind === 'projects' ? ProjectSchema : ClientSchema, 'The mirrored record.') },
  });

/** BQE connection status and the mirrors, through what the BQE pages call. */
export const bqeApiRoutes = (deps: BqeWebDeps): OpenAPIHono<AppEnv> => {
  const connectionView = (connection: Connection) => ({
    ...connection,
    consent: deps.connections.consent(connection),
    syncBlocker: deps.connections.syncBlocker(connection),
    latestRuns: OBJECT_NAMES.map((object) => ({ object, run: deps.syncRepo.latestRun(connection.id, object) ?? null })),
  });

  const detailView = (connection: Connection) => {
    const status = syncStatus(deps, connection);
    return {
      ...connectionView(connection),
      sync: {
        objects: status.objects.map((o) => ({ ...o, running: o.running ?? null, latest: o.latest ?? null, lastSuccess: o.lastSuccess ?? null })),
        limiter: status.limiter,
        history: status.history,
      },
    };
  };

  const projectView = (p: MirroredProject) => ({ ...p, statusLabel: statusLabel(deps.meta.objects.project, p.status) });
  const clientView = (r: MirroredClient) => ({ ...r, statusLabel: statusLabel(deps.meta.objects.client, r.status) });

  const mirrorSearch = (query: { q?: string | undefined; includeDeleted: 'true' | 'false'; limit: number; offset: number }) => ({
    text: query.q ?? '',
    includeDeleted: query.includeDeleted === 'true',
    limit: query.limit,
    offset: query.offset,
  });

  return apiRouter()
    .openapi(listConnections, (c) => {
      const page = pageOfList(deps.connections.list(), c.req.valid('query'));
      return c.json({ ...page, items: page.items.map(connectionView) }, 200);
    })
    .openapi(getConnection, (c) => c.json(detailView(deps.connections.require(c.req.valid('param').id)), 200))
    .openapi(sync(false), async (c) => c.json(await deps.syncNow(c.var.actor, c.req.valid('param').id, { full: false }), 202))
    .openapi(sync(true), async (c) => c.json(await deps.syncNow(c.var.actor, c.req.valid('param').id, { full: true }), 202))
    .openapi(search('projects'), (c) => {
      const connection = deps.connections.require(c.req.valid('param').id);
      const query = c.req.valid('query');
      const found = deps.mirrors.searchProjects(connection.id, mirrorSearch(query));
      return c.json({ items: found.rows.map(projectView), total: found.total, limit: query.limit, offset: query.offset }, 200);
    })
    .openapi(search('clients'), (c) => {
      const connection = deps.connections.require(c.req.valid('param').id);
      const query = c.req.valid('query');
      const found = deps.mirrors.searchClients(connection.id, mirrorSearch(query));
      return c.json({ items: found.rows.map(clientView), total: found.total, limit: query.limit, offset: query.offset }, 200);
    })
    .openapi(getOne('projects'), (c) => {
      const { id, externalId } = c.req.valid('param');
      const project = deps.mirrors.findProject(deps.connections.require(id).id, externalId);
      if (!project) throw notFound(`No mirrored project of connection ${id} has the GUID or legacy id “${externalId}”.`);
      return c.json(projectView(project), 200);
    })
    .openapi(getOne('clients'), (c) => {
      const { id, externalId } = c.req.valid('param');
      const client = deps.mirrors.findClient(deps.connections.require(id).id, externalId);
      if (!client) throw notFound(`No mirrored client of connection ${id} has the GUID or legacy id “${externalId}”.`);
      return c.json(clientView(client), 200);
    });
};
