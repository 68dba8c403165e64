import { renderNaive } from './bqe-time.js';
import type { Catalogs, ResourceCatalog } from './field-catalog.js';
import type { ProjectRecord, SimData } from './sim-data.js';

/**
 * A record as the API answers it: fields in catalog order, instants as naive
 * date-times at the caller's offset, lists copied (callers may not reach in).
 */
export type PublicRecord = Record<string, unknown>;

export const renderRecord = <R>(catalog: ResourceCatalog<R>, record: R, offsetMinutes: number, fields?: readonly string[]): PublicRecord => {
  const out: PublicRecord = {};
  const defs = fields ? fields.map((name) => catalog.byName.get(name)).filter((d) => d !== undefined) : catalog.fields;
  for (const def of defs) {
    const value = def.get(record);
    out[def.name] = def.type === 'datetime' && typeof value === 'number' ? renderNaive(value, offsetMinutes) : Array.isArray(value) ? structuredClone(value) : value;
  }
  return out;
};

/** `expand=client` on a project nests the client record (null when the project has none). */
export const expandRecord = (
  catalogs: Catalogs,
  data: SimData,
  resource: string,
  record: unknown,
  rendered: PublicRecord,
  expand: readonly string[],
  offsetMinutes: number,
): PublicRecord => {
  if (resource !== 'project' || !expand.includes('client')) return rendered;
  const clientId = (record as ProjectRecord).clientId;
  const client = clientId ? data.clients.get(clientId) : undefined;
  return { ...rendered, client: client ? renderRecord(catalogs.client, client, offsetMinutes) : null };
};
