import type { z } from 'zod';
import { createHttpClient, type HttpMethod, type HttpRequest } from '../../../platform/http-client.js';
import type { Logger } from '../../../platform/logger.js';
import { UpstreamError } from '../../../platform/upstream-error.js';
import { describeJiraError } from './jira-error-body.js';
import {
  boardPageShape,
  createdIssueShape,
  fieldPageShape,
  issueShape,
  issueTypePageShape,
  projectPageShape,
  propertyShape,
  searchPageShape,
  userShape,
  usersShape,
} from './jira-responses.js';
import type { BoardSummary, FieldMeta, IssueBody, IssueTypeMeta, JiraIssue, JiraUser, ProjectSummary } from './jira-types.js';

export interface JiraClientOptions {
  /** https://your-company.atlassian.net */
  siteUrl: string;
  email: string;
  apiToken: string;
  timeoutMs: number;
  maxInlineWaitMs: number;
  /** How many Retry-After waits one call may sit out; two keeps a job from stalling on a busy site. */
  maxRetries?: number;
  logger: Logger;
  fetch?: typeof fetch;
}

/** The caller's logger (for its request or job id) and a signal to stop early. */
export interface CallOptions {
  log?: Logger;
  signal?: AbortSignal;
}

export interface Page<T> {
  values: T[];
  startAt: number;
  total?: number;
  isLast: boolean;
}

export interface JqlSearch {
  jql: string;
  fields?: string[];
  properties?: string[];
  maxResults?: number;
  nextPageToken?: string;
  /** Ids of issues just created, which Jira's lagging search index might not return yet. */
  reconcileIssues?: (string | number)[];
}

export interface JqlPage {
  issues: JiraIssue[];
  nextPageToken: string | undefined;
  isLast: boolean;
}

const DEFAULT_MAX_RETRIES = 2;

const seg = (value: string): string => encodeURIComponent(value);

/** Offset pages end on isLast, at total, or on a short page; Jira sends different subsets per endpoint. */
const pageEnds = (page: { maxResults?: number; total?: number; isLast?: boolean }, startAt: number, count: number): boolean => {
  if (count === 0) return true;
  if (page.isLast !== undefined) return page.isLast;
  if (page.total !== undefined) return startAt + count >= page.total;
  return page.maxResults === undefined || count < page.maxResults;
};

const collectPages = async <T>(fetchPage: (startAt: number) => Promise<Page<T>>): Promise<T[]> => {
  const all: T[] = [];
  // The next offset is what we hold so far, not the startAt Jira echoes, so paging always moves forward.
  for (let startAt = 0; ; startAt = all.length) {
    const page = await fetchPage(startAt);
    all.push(...page.values);
    if (page.isLast) return all;
  }
};

/**
 * Jira Cloud REST v3 and Agile 1.0 with an API token (Basic auth). Every call
 * goes through the platform HTTP client (timeout, Retry-After, one log line)
 * and every answer we read is shape-checked (`jira-responses.ts`).
 */
export const createJiraClient = (options: JiraClientOptions) => {
  const auth = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`;
  const http = createHttpClient({
    service: 'jira',
    baseUrl: options.siteUrl,
    headers: () => ({ Authorization: auth }),
    timeoutMs: options.timeoutMs,
    maxInlineWaitMs: options.maxInlineWaitMs,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    logger: options.logger,
    describeError: describeJiraError,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const send = async (method: HttpMethod, path: string, init: Pick<HttpRequest, 'query' | 'body'>, opts: CallOptions | undefined) =>
    http.request({ method, path, ...init, ...(opts?.log ? { log: opts.log } : {}), ...(opts?.signal ? { signal: opts.signal } : {}) });

  const call = async <S extends z.ZodType>(shape: S, method: HttpMethod, path: string, init: Pick<HttpRequest, 'query' | 'body'>, opts: CallOptions | undefined): Promise<z.output<S>> => {
    const res = await send(method, path, init, opts);
    const parsed = shape.safeParse(res.data);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (at ${issue.path.map(String).join('.')})` : '';
    throw new UpstreamError({
      service: 'jira',
      kind: 'bad_response',
      status: res.status,
      message: `Jira answered ${method} ${path} with an unexpected body: ${issue?.message ?? 'unreadable'}${where}`,
      body: res.data,
    });
  };

  const searchProjects = async (params: { query?: string; startAt?: number; maxResults?: number } = {}, opts?: CallOptions): Promise<Page<ProjectSummary>> => {
    const startAt = params.startAt ?? 0;
    const page = await call(projectPageShape, 'GET', '/rest/api/3/project/search', { query: { query: params.query, startAt, maxResults: params.maxResults } }, opts);
    return { values: page.values, startAt: page.startAt ?? startAt, total: page.total, isLast: pageEnds(page, startAt, page.values.length) };
  };

  const issueTypePage = async (projectKey: string, startAt: number, opts?: CallOptions): Promise<Page<IssueTypeMeta>> => {
    const page = await call(issueTypePageShape, 'GET', `/rest/api/3/issue/createmeta/${seg(projectKey)}/issuetypes`, { query: { startAt } }, opts);
    return { values: page.issueTypes, startAt: page.startAt ?? startAt, total: page.total, isLast: pageEnds(page, startAt, page.issueTypes.length) };
  };

  const fieldPage = async (projectKey: string, issueTypeId: string, startAt: number, opts?: CallOptions): Promise<Page<FieldMeta>> => {
    const page = await call(fieldPageShape, 'GET', `/rest/api/3/issue/createmeta/${seg(projectKey)}/issuetypes/${seg(issueTypeId)}`, { query: { startAt } }, opts);
    return { values: page.fields, startAt: page.startAt ?? startAt, total: page.total, isLast: pageEnds(page, startAt, page.fields.length) };
  };

  const searchJql = async (search: JqlSearch, opts?: CallOptions): Promise<JqlPage> => {
    const body = { ...search, ...(search.reconcileIssues ? { reconcileIssues: search.reconcileIssues.map(Number) } : {}) };
    const page = await call(searchPageShape, 'POST', '/rest/api/3/search/jql', { body }, opts);
    const nextPageToken = page.nextPageToken ?? undefined;
    return { issues: page.issues, nextPageToken, isLast: page.isLast === true || nextPageToken === undefined };
  };

  return {
    myself: (opts?: CallOptions): Promise<JiraUser> => call(userShape, 'GET', '/rest/api/3/myself', {}, opts),

    searchProjects,

    allProjects: (opts?: CallOptions): Promise<ProjectSummary[]> => collectPages((startAt) => searchProjects({ startAt }, opts)),

    boards: async (params: { projectKeyOrId?: string; name?: string; startAt?: number; maxResults?: number } = {}, opts?: CallOptions): Promise<Page<BoardSummary>> => {
      const startAt = params.startAt ?? 0;
      const page = await call(boardPageShape, 'GET', '/rest/agile/1.0/board', { query: { projectKeyOrId: params.projectKeyOrId, name: params.name, startAt, maxResults: params.maxResults } }, opts);
      const values = page.values.map((b) => ({ id: b.id, name: b.name, type: b.type, ...(b.location?.projectKey ? { projectKey: b.location.projectKey } : {}) }));
      return { values, startAt: page.startAt ?? startAt, total: page.total, isLast: pageEnds(page, startAt, values.length) };
    },

    issueTypes: (projectKey: string, opts?: CallOptions): Promise<IssueTypeMeta[]> => collectPages((startAt) => issueTypePage(projectKey, startAt, opts)),

    createMetaFields: (projectKey: string, issueTypeId: string, opts?: CallOptions): Promise<FieldMeta[]> =>
      collectPages((startAt) => fieldPage(projectKey, issueTypeId, startAt, opts)),

    createIssue: (body: IssueBody, opts?: CallOptions): Promise<{ id: string; key: string }> => call(createdIssueShape, 'POST', '/rest/api/3/issue', { body }, opts),

    editIssue: async (key: string, body: IssueBody, opts?: CallOptions): Promise<void> => {
      await send('PUT', `/rest/api/3/issue/${seg(key)}`, { body }, opts);
    },

    getIssue: (key: string, params: { fields?: string[]; properties?: string[] } = {}, opts?: CallOptions): Promise<JiraIssue> =>
      call(issueShape, 'GET', `/rest/api/3/issue/${seg(key)}`, { query: { fields: params.fields?.join(','), properties: params.properties?.join(',') } }, opts),

    setIssueProperty: async (key: string, propertyKey: string, value: unknown, opts?: CallOptions): Promise<void> => {
      await send('PUT', `/rest/api/3/issue/${seg(key)}/properties/${seg(propertyKey)}`, { body: value }, opts);
    },

    /** Undefined when Jira answers 404, which it also does for an issue that is gone or hidden from us. */
    getIssueProperty: async (key: string, propertyKey: string, opts?: CallOptions): Promise<unknown> => {
      try {
        return (await call(propertyShape, 'GET', `/rest/api/3/issue/${seg(key)}/properties/${seg(propertyKey)}`, {}, opts)).value;
      } catch (err) {
        if (err instanceof UpstreamError && err.kind === 'http' && err.status === 404) return undefined;
        throw err;
      }
    },

    searchJql,

    /** Follows nextPageToken until Jira has no more or `limit` issues are in hand. */
    searchAllJql: async (jql: string, params: { fields?: string[]; properties?: string[]; limit: number }, opts?: CallOptions): Promise<JiraIssue[]> => {
      const issues: JiraIssue[] = [];
      let nextPageToken: string | undefined;
      while (issues.length < params.limit) {
        const page = await searchJql({ jql, fields: params.fields, properties: params.properties, maxResults: params.limit - issues.length, nextPageToken }, opts);
        issues.push(...page.issues);
        if (page.isLast || page.issues.length === 0) break;
        nextPageToken = page.nextPageToken;
      }
      return issues.slice(0, params.limit);
    },

    findUsers: (query: string, opts?: CallOptions): Promise<JiraUser[]> => call(usersShape, 'GET', '/rest/api/3/user/search', { query: { query } }, opts),
  };
};

export type JiraClient = ReturnType<typeof createJiraClient>;
