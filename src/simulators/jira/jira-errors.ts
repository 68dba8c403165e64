/** Jira's standard error body (contract §7). */
export interface JiraErrorBody {
  errorMessages: string[];
  errors: Record<string, string>;
}

export const jiraError = (messages: string[], errors: Record<string, string> = {}): JiraErrorBody => ({ errorMessages: messages, errors });

export const UNAUTHENTICATED = jiraError(['Client must be authenticated to access this resource.']);

/** Jira does not tell "deleted" from "not allowed to see" (contract §2). */
export const ISSUE_NOT_FOUND = jiraError(['Issue does not exist or you do not have permission to see it.']);

export const SEARCH_REMOVED = jiraError([
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
]);

export const INVALID_JSON = jiraError(['The request body is not valid JSON.']);

export const RATE_LIMITED = jiraError(['Rate limit exceeded.']);

/** A refusal a route turns into a Jira error response. */
export class JiraApiError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly body: JiraErrorBody,
  ) {
    super(body.errorMessages[0] ?? Object.values(body.errors)[0] ?? 'Jira error');
    this.name = 'JiraApiError';
  }
}

export const badRequest = (message: string): JiraApiError => new JiraApiError(400, jiraError([message]));
