import { z } from 'zod';
import { createHttpClient } from '../../../platform/http-client.js';
import type { Logger } from '../../../platform/logger.js';
import { UpstreamError } from '../../../platform/upstream-error.js';

/** A record as PeopleForce sends it: an integer id and whatever else the version includes. */
export type PfRecord = { id: number } & Record<string, unknown>;

export interface PfPage {
  data: PfRecord[];
  page: number;
  pages: number;
  count: number;
}

export interface PeopleForceClientOptions {
  /** The PeopleForce address without the /api path, e.g. https://app.peopleforce.io */
  baseUrl: string;
  apiVersion: 'v2' | 'v3';
  apiKey: string;
  timeoutMs: number;
  maxInlineWaitMs: number;
  logger: Logger;
  /** How many Retry-After waits one call may sit out in place. */
  maxRetries?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CallOptions {
  log?: Logger;
  signal?: AbortSignal;
}

/** The API's documented largest page (contract §3). */
export const MAX_PAGE_SIZE = 100;

const DEFAULT_MAX_RETRIES = 2;

const record = z.looseObject({ id: z.int() });

const listEnvelope = z.object({
  data: z.array(record),
  metadata: z.object({
    pagination: z.object({ page: z.int().min(0), pages: z.int().min(0), count: z.int().min(0) }),
  }),
});

const singleEnvelope = z.object({ data: record });

const describeIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');

/** PeopleForce's error body is `{"message": "..."}` (contract §2). */
const describeError = (status: number, body: unknown): { message?: string } => {
  const said = typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string' ? body.message : undefined;
  if (status === 401) return { message: `PeopleForce refused the API key${said ? ` (${said})` : ''}. Check the key on the Connections page.` };
  if (status === 403) return { message: `PeopleForce does not allow this API key to read that${said ? ` (${said})` : ''}. A Company API key with access to employees is needed.` };
  return said ? { message: `PeopleForce answered HTTP ${status}: ${said}` } : {};
};

/**
 * The PeopleForce public API (contract notes: /work/shared/contracts/peopleforce.md).
 * Bodies are checked against the documented envelopes, so a proxy page or a
 * changed API fails with a message naming what was wrong instead of odd data.
 */
export const createPeopleForceClient = (options: PeopleForceClientOptions) => {
  const http = createHttpClient({
    service: 'peopleforce',
    baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/api/public/${options.apiVersion}`,
    headers: () => ({ 'X-API-KEY': options.apiKey }),
    timeoutMs: options.timeoutMs,
    maxInlineWaitMs: options.maxInlineWaitMs,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    logger: options.logger,
    describeError,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });

  const checked = <T>(schema: z.ZodType<T>, status: number, body: unknown, path: string): T => {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new UpstreamError({
      service: 'peopleforce',
      kind: 'bad_response',
      status,
      message: `PeopleForce answered GET ${path} with a body that is not the documented shape (${describeIssues(parsed.error)})`,
    });
  };

  const list = async (path: string, query: { page: number; perPage: number; status?: string | undefined }, call: CallOptions): Promise<PfPage> => {
    const res = await http.request({ method: 'GET', path, query: { page: query.page, per_page: query.perPage, status: query.status }, ...call });
    const body = checked(listEnvelope, res.status, res.data, path);
    const { page, pages, count } = body.metadata.pagination;
    return { data: body.data, page, pages, count };
  };

  /** Every page from the first, one request at a time; stops (throwing the abort reason) between pages once aborted. */
  async function* allPages(fetchPage: (page: number) => Promise<PfPage>, signal: AbortSignal | undefined): AsyncGenerator<PfPage> {
    // Our own counter, not the server's echo, so a server ignoring `page` cannot loop us forever.
    for (let page = 1; ; page++) {
      signal?.throwIfAborted();
      const result = await fetchPage(page);
      yield result;
      if (page >= result.pages) return;
    }
  }

  return {
    listEmployees(query: { page: number; perPage: number; status?: string }, call: CallOptions = {}): Promise<PfPage> {
      return list('/employees', query, call);
    },

    employeePages(query: { perPage: number; status?: string }, call: CallOptions = {}): AsyncGenerator<PfPage> {
      return allPages((page) => list('/employees', { ...query, page }, call), call.signal);
    },

    /** One employee, or undefined when PeopleForce has no such id. */
    async getEmployee(id: number, call: CallOptions = {}): Promise<PfRecord | undefined> {
      const path = `/employees/${id}`;
      try {
        const res = await http.request({ method: 'GET', path, ...call });
        return checked(singleEnvelope, res.status, res.data, path).data;
      } catch (err) {
        if (err instanceof UpstreamError && err.kind === 'http' && err.status === 404) return undefined;
        throw err;
      }
    },

    /** How many employees the key can see: one tiny page, for "Test connection". */
    async countEmployees(call: CallOptions = {}): Promise<number> {
      return (await list('/employees', { page: 1, perPage: 1 }, call)).count;
    },

    listLeaveRequests(query: { page: number; perPage: number }, call: CallOptions = {}): Promise<PfPage> {
      return list('/leave_requests', query, call);
    },

    leaveRequestPages(query: { perPage: number }, call: CallOptions = {}): AsyncGenerator<PfPage> {
      return allPages((page) => list('/leave_requests', { ...query, page }, call), call.signal);
    },
  };
};

export type PeopleForceClient = ReturnType<typeof createPeopleForceClient>;
