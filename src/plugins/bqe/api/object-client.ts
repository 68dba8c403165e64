import type { Logger } from '../../../platform/logger.js';
import type { ObjectMetadata, ProviderMetadata } from '../provider.js';
import { whereBuilder, type Predicate } from '../where-clause.js';
import type { BqeConnectionApi, BqeRecord } from './bqe-api.js';

export interface ListPageOptions {
  /** Page number as BQE counts it (provider api.paging.firstPage is the first). */
  page: number;
  /** Built with this client's `where` builder. */
  where?: Predicate;
  /** Adds `orderBy=<cursorField> asc`, which delta sync needs so a cursor only moves forward. */
  orderByCursor?: boolean;
  /** Defaults to provider api.paging.pageSize. */
  pageSize?: number;
  signal?: AbortSignal;
  log?: Logger;
}

export interface GetOptions {
  signal?: AbortSignal;
  log?: Logger;
}

/** Reads one BQE object (project, client) page by page, with its fields and keys from provider metadata. */
export const createObjectClient = (api: BqeConnectionApi, meta: ProviderMetadata, object: ObjectMetadata) => ({
  object,
  /** The only source of `where` predicates for this object: field names and value types come from metadata. */
  where: whereBuilder(object.fields),

  listPage(options: ListPageOptions): Promise<BqeRecord[]> {
    return api.list(
      {
        resource: object.resource,
        idField: object.idField,
        page: options.page,
        pageSize: options.pageSize ?? meta.api.paging.pageSize,
        ...(options.where === undefined ? {} : { where: options.where }),
        ...(options.orderByCursor ? { orderBy: object.cursorField } : {}),
      },
      { ...(options.log ? { log: options.log } : {}), ...(options.signal ? { signal: options.signal } : {}) },
    );
  },

  get(id: string, options: GetOptions = {}): Promise<BqeRecord> {
    return api.get(object.resource, id, object.idField, options);
  },
});

export type ObjectClient = ReturnType<typeof createObjectClient>;
