import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../../web/app-env.js';
import { wantsFragment } from '../../../web/htmx.js';
import { timedAction } from '../../../web/middleware/latency.js';
import type { MirroredProject } from '../db/mirror-repository.js';
import { statusLabel } from '../provider.js';
import { bqeRoutes, local } from './bqe-routes.js';
import type { BqeWebDeps } from './bqe-web-deps.js';
import { MIRROR_PAGE_SIZE, mirrorQueryString, offsetOf, pager, parseMirrorQuery, type MirrorQuery } from './mirror-query.js';
import { BQE_CRUMB, common } from './page-common.js';

/** The element the search form and page links swap; a request aimed at it gets the results alone. */
export const RESULTS_TARGET = 'bqe-mirror-results';

const GUID_OR_LEGACY = /^[A-Za-z0-9-]{1,64}$/;

/** Browsable mirrors: projects (as a searchable list or a hierarchy) and clients. */
export const mirrorRoutes = (deps: BqeWebDeps): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();

  /** Projects with the name of their client and how many sub-projects each has, for the tables and the tree. */
  const projectRows = (connectionId: number, projects: MirroredProject[]) => {
    const clients = new Map<string, string | null>();
    for (const id of new Set(projects.map((p) => p.clientExternalId).filter((id): id is string => id !== null))) {
      clients.set(id, deps.mirrors.findClient(connectionId, id)?.name ?? null);
    }
    const children = deps.mirrors.childCounts(connectionId, projects.map((p) => p.externalId));
    return projects.map((p) => ({ ...p, statusLabel: statusLabel(deps.meta.objects.project, p.status), clientName: p.clientExternalId ? (clients.get(p.clientExternalId) ?? null) : null, childCount: children.get(p.externalId) ?? 0 }));
  };

  const childrenUrl = (query: MirrorQuery, parent: string) => `${bqeRoutes.projectChildren}?${new URLSearchParams({ connection: String(query.connectionId), parent, ...(query.includeDeleted ? { deleted: '1' } : {}) })}`;

  const mirrorData = (c: Context<AppEnv>, query: MirrorQuery, path: string) => ({
    ...common(c),
    query,
    connections: deps.connections.list(),
    resultsTarget: RESULTS_TARGET,
    path,
    link: (changes: Partial<MirrorQuery>) => `${path}?${mirrorQueryString(query, changes)}`,
  });

  const projectResults = (query: MirrorQuery) => {
    if (query.connectionId === undefined) return { rows: [], pager: pager(bqeRoutes.projects, query, 0) };
    const found =
      query.view === 'tree'
        ? deps.mirrors.rootProjects(query.connectionId, { limit: MIRROR_PAGE_SIZE, offset: offsetOf(query.page), includeDeleted: query.includeDeleted })
        : deps.mirrors.searchProjects(query.connectionId, { text: query.q, includeDeleted: query.includeDeleted, limit: MIRROR_PAGE_SIZE, offset: offsetOf(query.page) });
    return { rows: projectRows(query.connectionId, found.rows), pager: pager(bqeRoutes.projects, query, found.total) };
  };

  const PAGE = { helpTopic: 'bqe-legacy-ids', helpLabel: 'GUIDs and legacy ids' };

  app.get(local(bqeRoutes.projects), timedAction('BQE projects page'), (c) => {
    const query = parseMirrorQuery(c.req.query(), deps.connections.list());
    const data = { ...mirrorData(c, query, bqeRoutes.projects), ...projectResults(query), childrenUrl: (parent: string) => childrenUrl(query, parent) };
    if (wantsFragment(c) && c.req.header('HX-Target') === RESULTS_TARGET) return c.var.renderer.fragment(c, 'plugins/bqe/project-results', data);
    return c.var.renderer.page(c, 'plugins/bqe/projects', data, { title: 'BQE projects', breadcrumbs: [BQE_CRUMB, { label: 'Projects' }], ...PAGE, active: bqeRoutes.projects });
  });

  app.get(local(bqeRoutes.projectChildren), (c) => {
    const query = parseMirrorQuery({ ...c.req.query(), view: 'tree' }, deps.connections.list());
    const parentId = (c.req.query('parent') ?? '').trim();
    if (query.connectionId === undefined || !GUID_OR_LEGACY.test(parentId)) return c.notFound();
    const parent = deps.mirrors.findProject(query.connectionId, parentId);
    if (!parent) return c.notFound();
    const children = projectRows(query.connectionId, deps.mirrors.childProjects(query.connectionId, parent.externalId, { includeDeleted: query.includeDeleted }));
    const data = { ...mirrorData(c, query, bqeRoutes.projects), parent, rows: children, childrenUrl: (id: string) => childrenUrl(query, id) };
    if (wantsFragment(c)) return c.var.renderer.fragment(c, 'plugins/bqe/project-tree-nodes', data);
    const ancestors: MirroredProject[] = [];
    for (let at = parent.parentExternalId; at !== null && ancestors.length <= deps.meta.objects.project.maxLevel; ) {
      const up = deps.mirrors.findProject(query.connectionId, at);
      if (!up) break;
      ancestors.unshift(up);
      at = up.parentExternalId;
    }
    return c.var.renderer.page(
      c,
      'plugins/bqe/project-children',
      { ...data, ancestors },
      { title: `Sub-projects of ${parent.name}`, breadcrumbs: [BQE_CRUMB, { label: 'Projects', href: `${bqeRoutes.projects}?${mirrorQueryString(query, { page: 1 })}` }, { label: parent.name }], ...PAGE, active: bqeRoutes.projects },
    );
  });

  app.get(local(bqeRoutes.clients), timedAction('BQE clients page'), (c) => {
    const query = parseMirrorQuery({ ...c.req.query(), view: 'list' }, deps.connections.list());
    const found =
      query.connectionId === undefined
        ? { rows: [], total: 0 }
        : deps.mirrors.searchClients(query.connectionId, { text: query.q, includeDeleted: query.includeDeleted, limit: MIRROR_PAGE_SIZE, offset: offsetOf(query.page) });
    const data = { ...mirrorData(c, query, bqeRoutes.clients), rows: found.rows.map((row) => ({ ...row, statusLabel: statusLabel(deps.meta.objects.client, row.status) })), pager: pager(bqeRoutes.clients, query, found.total) };
    if (wantsFragment(c) && c.req.header('HX-Target') === RESULTS_TARGET) return c.var.renderer.fragment(c, 'plugins/bqe/client-results', data);
    return c.var.renderer.page(c, 'plugins/bqe/clients', data, { title: 'BQE clients', breadcrumbs: [BQE_CRUMB, { label: 'Clients' }], ...PAGE, active: bqeRoutes.clients });
  });

  return app;
};
