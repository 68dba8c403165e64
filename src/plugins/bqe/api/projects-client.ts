import type { ProviderMetadata } from '../provider.js';
import type { Predicate } from '../where-clause.js';
import type { BqeConnectionApi } from './bqe-api.js';
import { createObjectClient } from './object-client.js';

export type { BqeRecord } from './list-response.js';
export type { GetOptions, ListPageOptions } from './object-client.js';

/** BQE `/project` for one connection (provider objects.project). */
export const createBqeProjectsClient = (api: BqeConnectionApi, meta: ProviderMetadata) => {
  const client = createObjectClient(api, meta, meta.objects.project);
  return {
    ...client,
    /** Top-level projects only (`parentId is null`), for connections that mirror no phases. */
    rootsOnly: (): Predicate => client.where.isNull(meta.objects.project.parentField),
  };
};

export type BQEProjectsClient = ReturnType<typeof createBqeProjectsClient>;
