import { OBJECT_NAMES, type ProviderMetadata } from '../provider.js';
import type { BqeCallOptions, BqeConnectionApi } from './bqe-api.js';

export interface ProbeResult {
  /** Records in the answer (at most the probe's page size). */
  sampleCount: number;
  /** Wall time of the call, queueing in the rate limiter included. */
  ms: number;
}

type ProbeName = keyof ProviderMetadata['api']['probes'];

/**
 * Cheap reads that prove a connection works: the activity probe (token and offset accepted) and the
 * connection probe behind Test connection (projects readable). Both ask for the first page only.
 */
export const createBqeProbes = (api: BqeConnectionApi, meta: ProviderMetadata) => {
  const run = async (name: ProbeName, opts: BqeCallOptions): Promise<ProbeResult> => {
    const probe = meta.api.probes[name];
    // A probe of a mirrored object checks ids like a sync would; other resources are only counted.
    const object = OBJECT_NAMES.map((o) => meta.objects[o]).find((o) => o.resource === probe.resource);
    const started = performance.now();
    const records = await api.list({ resource: probe.resource, page: meta.api.paging.firstPage, pageSize: probe.pageSize, ...(object ? { idField: object.idField } : {}) }, opts);
    return { sampleCount: records.length, ms: Math.round(performance.now() - started) };
  };

  return {
    activityProbe: (opts: BqeCallOptions = {}): Promise<ProbeResult> => run('activity', opts),
    connectionProbe: (opts: BqeCallOptions = {}): Promise<ProbeResult> => run('connection', opts),
  };
};

export type BqeProbes = ReturnType<typeof createBqeProbes>;
