import type { Connection } from '../db/connection-repository.js';

/** Rows per page of a mirror table: enough to scan, small enough to render at once. */
export const MIRROR_PAGE_SIZE = 50;
const MAX_SEARCH_LENGTH = 100;

export type MirrorView = 'list' | 'tree';

export interface MirrorQuery {
  /** The chosen connection; undefined only when there is none. */
  connectionId: number | undefined;
  q: string;
  includeDeleted: boolean;
  page: number;
  view: MirrorView;
}

const single = (v: string | undefined): string => (v ?? '').trim();

/**
 * Reads a mirror page's query string. Anything unreadable falls back to the
 * default (first connection, first page, list view) rather than failing: these
 * are bookmarkable GET URLs.
 */
export const parseMirrorQuery = (query: Record<string, string | undefined>, connections: readonly Connection[]): MirrorQuery => {
  const wanted = /^\d{1,12}$/.test(single(query.connection)) ? Number(query.connection) : undefined;
  const connectionId = connections.find((c) => c.id === wanted)?.id ?? connections[0]?.id;
  const page = /^\d{1,6}$/.test(single(query.page)) ? Math.max(1, Number(query.page)) : 1;
  return {
    connectionId,
    q: single(query.q).slice(0, MAX_SEARCH_LENGTH),
    includeDeleted: ['1', 'on', 'true'].includes(single(query.deleted)),
    page,
    view: single(query.view) === 'tree' ? 'tree' : 'list',
  };
};

/** The query string for a mirror page with some values changed; defaults are left out so URLs stay short. */
export const mirrorQueryString = (query: MirrorQuery, changes: Partial<MirrorQuery> = {}): string => {
  const next = { ...query, ...changes };
  const params = new URLSearchParams();
  if (next.connectionId !== undefined) params.set('connection', String(next.connectionId));
  if (next.view !== 'list') params.set('view', next.view);
  if (next.q) params.set('q', next.q);
  if (next.includeDeleted) params.set('deleted', '1');
  if (next.page > 1) params.set('page', String(next.page));
  return params.toString();
};

export interface Pager {
  page: number;
  pages: number;
  total: number;
  first: number;
  last: number;
  prev: string | null;
  next: string | null;
}

/** Page links for a result of `total` rows, keeping the rest of the query. */
export const pager = (path: string, query: MirrorQuery, total: number): Pager => {
  const pages = Math.max(1, Math.ceil(total / MIRROR_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const link = (p: number) => `${path}?${mirrorQueryString(query, { page: p })}`;
  return {
    page,
    pages,
    total,
    first: total === 0 ? 0 : (page - 1) * MIRROR_PAGE_SIZE + 1,
    last: Math.min(total, page * MIRROR_PAGE_SIZE),
    prev: page > 1 ? link(page - 1) : null,
    next: page < pages ? link(page + 1) : null,
  };
};

export const offsetOf = (page: number): number => (page - 1) * MIRROR_PAGE_SIZE;
