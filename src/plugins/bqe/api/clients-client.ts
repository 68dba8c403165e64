import type { ProviderMetadata } from '../provider.js';
import type { BqeConnectionApi } from './bqe-api.js';
import { createObjectClient } from './object-client.js';

export type { BqeRecord } from './list-response.js';
export type { GetOptions, ListPageOptions } from './object-client.js';

/** BQE `/client` for one connection (provider objects.client). */
export const createBqeClientsClient = (api: BqeConnectionApi, meta: ProviderMetadata) => createObjectClient(api, meta, meta.objects.client);

export type BQEClientsClient = ReturnType<typeof createBqeClientsClient>;
