import type { FieldDef, FieldValue, ResourceCatalog } from './field-catalog.js';
import { parsePage, type PageLimits, type PageRequest } from './paging.js';
import { SimError } from './sim-error.js';
import { compileWhere, type RecordPredicate } from './where-compiler.js';
import { WhereError } from './where-lexer.js';

/**
 * The query string of a BQE request, checked key by key. Only the documented
 * keys pass (contract §4); `orderBy` is matched case-insensitively because
 * official samples write `orderby`. Everything else is refused by name, so
 * an undocumented parameter such as pageSize or updatedSince never goes unnoticed.
 */
export interface ListQuery<R> {
  page: PageRequest;
  where: RecordPredicate<R> | undefined;
  order: ((a: R, b: R) => number) | undefined;
  fields: string[] | undefined;
  expand: string[];
}

export type QueryKey = 'page' | 'where' | 'orderBy' | 'fields' | 'expand';

const DOCUMENTED: readonly QueryKey[] = ['page', 'where', 'orderBy', 'fields', 'expand'];

const HINTS: Record<string, string> = {
  pagesize: 'the page size goes in page=<pageNumber>,<pageSize>',
  limit: 'the page size goes in page=<pageNumber>,<pageSize>',
  offset: 'paging is page=<pageNumber>,<pageSize>',
  top: 'the page size goes in page=<pageNumber>,<pageSize>',
  skip: 'paging is page=<pageNumber>,<pageSize>',
  updatedsince: "filter with where=lastUpdated >= 'YYYY-MM-DDThh:mm:ss'",
  modifiedsince: "filter with where=lastUpdated >= 'YYYY-MM-DDThh:mm:ss'",
  sort: 'sorting is orderBy=<field> [asc|desc]',
};

const keyOf = (raw: string): QueryKey | undefined => (raw.toLowerCase() === 'orderby' ? 'orderBy' : DOCUMENTED.find((k) => k === raw));

/** The documented keys present, each once; anything else is a 400 naming it. */
export const readQueryKeys = (params: URLSearchParams, allowed: readonly QueryKey[] = DOCUMENTED): Partial<Record<QueryKey, string>> => {
  const seen: Partial<Record<QueryKey, string>> = {};
  for (const [raw, value] of params) {
    const key = keyOf(raw);
    if (!key || !allowed.includes(key)) {
      const hint = HINTS[raw.toLowerCase()];
      throw new SimError(400, `The query parameter "${raw}" is not supported${hint ? `: ${hint}` : ''}. Allowed here: ${allowed.join(', ')}.`);
    }
    if (seen[key] !== undefined) throw new SimError(400, `The query parameter "${key}" is given more than once`);
    seen[key] = value;
  }
  return seen;
};

const badField = <R>(catalog: ResourceCatalog<R>, name: string, parameter: string): SimError =>
  new SimError(400, `${parameter}: unknown field "${name}" on ${catalog.resource}. Known fields: ${catalog.fields.map((f) => f.name).join(', ')}`);

const sortKey = <R>(def: FieldDef<R>, record: R): string | number | null => {
  const value: FieldValue = def.get(record);
  if (value === null || Array.isArray(value)) return null;
  return typeof value === 'string' ? value.toLowerCase() : (value as number);
};

/** `orderBy=<field> [asc|desc]`, optionally several separated by commas; nulls sort first ascending, as on SQL Server. */
export const parseOrderBy = <R>(raw: string, catalog: ResourceCatalog<R>): ((a: R, b: R) => number) => {
  const keys = raw.split(',').map((part) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!m) throw new SimError(400, `orderBy must be "<field> [asc|desc]" (got "${raw}")`);
    const def = catalog.byName.get(m[1] as string);
    if (!def) throw badField(catalog, m[1] as string, 'orderBy');
    if (def.type === 'list') throw new SimError(400, `orderBy: field "${def.name}" cannot be sorted`);
    return { def, sign: m[2]?.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { def, sign } of keys) {
      const x = sortKey(def, a);
      const y = sortKey(def, b);
      if (x === y) continue;
      if (x === null) return -sign;
      if (y === null) return sign;
      return x < y ? -sign : sign;
    }
    return 0;
  };
};

/** `fields=id,name,...` or `*`; COUNT(*) is documented but its answer's shape is not, so it is refused. */
export const parseFields = <R>(raw: string, catalog: ResourceCatalog<R>): string[] | undefined => {
  if (raw.trim() === '*') return undefined;
  if (/count\s*\(/i.test(raw)) throw new SimError(400, 'fields: COUNT(*) is not simulated (its response shape is unconfirmed)');
  return raw.split(',').map((part) => {
    const name = part.trim();
    if (name === '') throw new SimError(400, `fields has an empty entry (got "${raw}")`);
    if (!catalog.byName.has(name)) throw badField(catalog, name, 'fields');
    return name;
  });
};

export const parseExpand = <R>(raw: string | undefined, catalog: ResourceCatalog<R>): string[] => {
  if (raw === undefined) return [];
  return raw.split(',').map((part) => {
    const name = part.trim();
    if (!catalog.expand.includes(name)) {
      throw new SimError(400, `expand: "${name}" is not a nested resource of ${catalog.resource}${catalog.expand.length > 0 ? ` (known: ${catalog.expand.join(', ')})` : ''}`);
    }
    return name;
  });
};

export const parseListQuery = <R>(params: URLSearchParams, catalog: ResourceCatalog<R>, offsetMinutes: number, limits: PageLimits): ListQuery<R> => {
  const keys = readQueryKeys(params);
  let where: RecordPredicate<R> | undefined;
  if (keys.where !== undefined) {
    if (keys.where.trim() === '') throw new SimError(400, 'where is empty; leave the parameter out to list everything');
    try {
      where = compileWhere(keys.where, catalog, offsetMinutes);
    } catch (err) {
      if (err instanceof WhereError) throw new SimError(400, `Invalid where clause at position ${err.position}: ${err.message}`);
      throw err;
    }
  }
  return {
    page: parsePage(keys.page, limits),
    where,
    order: keys.orderBy === undefined ? undefined : parseOrderBy(keys.orderBy, catalog),
    fields: keys.fields === undefined ? undefined : parseFields(keys.fields, catalog),
    expand: parseExpand(keys.expand, catalog),
  };
};
