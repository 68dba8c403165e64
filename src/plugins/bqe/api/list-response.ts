import { UpstreamError } from '../../../platform/upstream-error.js';

/** A BQE record: its canonical key as `id`, every other field as BQE sent it. */
export type BqeRecord = { id: string } & Record<string, unknown>;

const kindOf = (value: unknown): string => {
  if (value === undefined) return 'an empty body';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
};

const badResponse = (status: number, message: string): UpstreamError => new UpstreamError({ service: 'bqe', kind: 'bad_response', status, message });

/** Why the record cannot be keyed, or undefined when its id field holds a usable text. */
const idProblem = (record: Record<string, unknown>, idField: string): string | undefined => {
  const id = record[idField];
  if (id === undefined || id === null) return `has no ${idField}`;
  if (typeof id !== 'string') return `has ${kindOf(id)} as its ${idField}, not text`;
  if (id.trim() === '') return `has an empty ${idField}`;
  return undefined;
};

const asRecord = (record: Record<string, unknown>, idField: string): BqeRecord =>
  (idField === 'id' ? record : { ...record, id: record[idField] }) as BqeRecord;

export interface PageContext {
  status: number;
  /** "/project" */
  path: string;
  page: number;
  /** Checked on every record when given; probes of resources without metadata only count records. */
  idField?: string;
}

/**
 * A list page must be a JSON array of objects, each with a text id (contract §4: lists are bare arrays);
 * HTTP 204 is an empty page. Anything else fails the whole page, naming the page and the record, so
 * nothing half-read is ever mirrored.
 */
export const readListPage = (body: unknown, ctx: PageContext): BqeRecord[] => {
  if (ctx.status === 204) return [];
  if (!Array.isArray(body)) throw badResponse(ctx.status, `BQE answered GET ${ctx.path} page ${ctx.page} with ${kindOf(body)} instead of a list`);
  return body.map((item: unknown, index) => {
    const where = `record ${index + 1} on page ${ctx.page} of ${ctx.path}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw badResponse(ctx.status, `BQE's ${where} is ${kindOf(item)}, not an object`);
    const record = item as Record<string, unknown>;
    if (ctx.idField === undefined) return record as BqeRecord;
    const problem = idProblem(record, ctx.idField);
    if (problem) throw badResponse(ctx.status, `BQE's ${where} ${problem}, so it cannot be mirrored`);
    return asRecord(record, ctx.idField);
  });
};

/** A single record (`GET /{resource}/{id}`): an object with a text id. */
export const readRecord = (body: unknown, ctx: { status: number; path: string; idField: string }): BqeRecord => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badResponse(ctx.status, `BQE answered GET ${ctx.path} with ${kindOf(body)} instead of a record`);
  const record = body as Record<string, unknown>;
  const problem = idProblem(record, ctx.idField);
  if (problem) throw badResponse(ctx.status, `BQE answered GET ${ctx.path} with a record that ${problem}`);
  return asRecord(record, ctx.idField);
};
