import { badRequest, JiraApiError, jiraError } from './jira-errors.js';
import type { IssueRecord, JiraState, SearchDoc } from './jira-model.js';
import { compileJql, JqlError } from './jql-evaluator.js';
import { JqlSyntaxError, parseJql } from './jql-parser.js';
import { parseFieldSelection, renderIssue } from './issue-view.js';
import { visibleDoc } from './search-index.js';

/** /rest/api/3/search/jql (contract §5): token paging, no totals, bounded JQL only, eventually consistent. */

const DEFAULT_PAGE = 50;
const MAX_PAGE = 100;

const UNBOUNDED = jiraError(['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);

export interface SearchParams {
  jql: string | undefined;
  nextPageToken: string | undefined;
  maxResults: number | undefined;
  fields: string[] | undefined;
  properties: string[] | undefined;
  reconcileIssues: string[];
}

export interface SearchPage {
  issues: Record<string, unknown>[];
  nextPageToken?: string;
  isLast: boolean;
}

/** Tokens are opaque to clients; binding them to the query catches a client that changes JQL mid-paging. */
const encodeToken = (offset: number, jql: string): string => Buffer.from(JSON.stringify({ offset, jql })).toString('base64url');

const decodeToken = (token: string, jql: string): number => {
  try {
    const data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown; jql?: unknown };
    if (typeof data.offset === 'number' && Number.isInteger(data.offset) && data.offset >= 0 && data.jql === jql) return data.offset;
  } catch {
    // Falls through to the same refusal as a well-formed token for another query.
  }
  throw badRequest('The provided next page token is invalid or expired.');
};

const compile = (state: JiraState, jql: string, now: number) => {
  try {
    return compileJql(state, parseJql(jql), now);
  } catch (err) {
    if (err instanceof JqlSyntaxError || err instanceof JqlError) throw badRequest(err.message);
    throw err;
  }
};

export const searchIssues = (state: JiraState, params: SearchParams, now: number, origin: string): SearchPage => {
  const jql = params.jql ?? '';
  const query = compile(state, jql, now);
  if (!query.bounded) throw new JiraApiError(400, UNBOUNDED);
  if (params.maxResults !== undefined && (!Number.isInteger(params.maxResults) || params.maxResults < 1)) throw badRequest('maxResults must be a positive integer.');
  const pageSize = Math.min(params.maxResults ?? DEFAULT_PAGE, MAX_PAGE);
  const offset = params.nextPageToken ? decodeToken(params.nextPageToken, jql) : 0;
  const reconcile = new Set(params.reconcileIssues);
  const matched: { issue: IssueRecord; doc: SearchDoc }[] = [];
  for (const issue of state.issues) {
    const doc = visibleDoc(issue, now, state.config.indexDelayMs, reconcile.has(issue.id));
    if (doc && query.matches(doc)) matched.push({ issue, doc });
  }
  matched.sort((a, b) => query.compare(a.doc, b.doc));
  const page = matched.slice(offset, offset + pageSize);
  const fields = parseFieldSelection(params.fields);
  const issues = page
    // The index can still list an issue deleted moments ago; its data is gone.
    .filter(({ issue }) => !issue.deleted)
    .map(({ issue }) => renderIssue(state, issue, origin, { fields, properties: params.properties }));
  const isLast = offset + pageSize >= matched.length;
  return isLast ? { issues, isLast } : { issues, nextPageToken: encodeToken(offset + pageSize, jql), isLast };
};
