import type { ProviderMetadata } from '../provider.js';
import { whereBuilder, type Predicate } from '../where-clause.js';

/**
 * One list page as BQE documents it (contract §4): `page=<n>,<size>`, an optional `where` and an optional
 * `orderBy=<field> asc`. Nothing else can be asked for, so no undocumented key (pageSize, updatedSince,
 * limit, offset…) can ever reach a URL.
 */
export interface ListRequest {
  /** Singular lower-case resource name, e.g. "project". */
  resource: string;
  page: number;
  pageSize: number;
  /** Made only by the where-clause builder; anything else is refused when rendered. */
  where?: Predicate;
  /** Sorts ascending by this field (the object's cursor field). */
  orderBy?: string;
}

const REQUEST_KEYS: ReadonlySet<string> = new Set(['resource', 'page', 'pageSize', 'where', 'orderBy']);
const RESOURCE = /^[a-z][a-z0-9]*$/i;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Renders any builder-made predicate (the encoded text lives with the predicate, not the builder). */
const renderer = whereBuilder({});

/** A programming error, not a user one: the request could not be sent as BQE documents it. */
export class ListRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListRequestError';
  }
}

/** The query keys BQE may see: the three documented list parameters, named by provider metadata. */
export const allowedQueryKeys = (meta: ProviderMetadata): ReadonlySet<string> => new Set([meta.api.paging.param, meta.api.whereParam, meta.api.orderByParam]);

export const checkResource = (resource: unknown): string => {
  if (typeof resource !== 'string' || !RESOURCE.test(resource)) throw new ListRequestError(`"${String(resource)}" is not a BQE resource name (letters and digits only, e.g. "project")`);
  return resource;
};

/** The query string pairs for one list page, in a fixed order: page, where, orderBy. */
export const buildListQuery = (meta: ProviderMetadata, request: ListRequest): Record<string, string> => {
  const unknown = Object.keys(request).filter((k) => !REQUEST_KEYS.has(k));
  if (unknown.length > 0) throw new ListRequestError(`BQE list requests take only page, page size, where and orderBy; refused: ${unknown.join(', ')}`);
  checkResource(request.resource);
  const { firstPage, pageSize: maxPageSize } = meta.api.paging;
  if (!Number.isSafeInteger(request.page) || request.page < firstPage) throw new ListRequestError(`page ${String(request.page)} is not a whole number from ${firstPage} up (BQE's first page is ${firstPage})`);
  if (!Number.isSafeInteger(request.pageSize) || request.pageSize < 1 || request.pageSize > maxPageSize) {
    throw new ListRequestError(`page size ${String(request.pageSize)} is not a whole number from 1 to ${maxPageSize}`);
  }
  const query: Record<string, string> = { [meta.api.paging.param]: `${request.page},${request.pageSize}` };
  if (request.where !== undefined) query[meta.api.whereParam] = renderer.render(request.where);
  if (request.orderBy !== undefined) {
    if (!FIELD.test(request.orderBy)) throw new ListRequestError(`"${request.orderBy}" is not a field name BQE can order by`);
    query[meta.api.orderByParam] = `${request.orderBy} asc`;
  }
  const allowed = allowedQueryKeys(meta);
  const leaked = Object.keys(query).filter((k) => !allowed.has(k));
  if (leaked.length > 0) throw new ListRequestError(`refusing to send undocumented BQE query parameters: ${leaked.join(', ')}`);
  return query;
};
