import type { Logger } from '../../../platform/logger.js';
import type { FieldMeta, IssueBody, IssueTypeMeta, JiraIssue, JiraUser } from '../jira/jira-types.js';
import type { FieldMapping } from '../rules/rule-types.js';

/** The Jira calls the sync engine makes; the real client satisfies it. */
export interface SyncJira {
  createIssue(body: IssueBody, opts?: { log?: Logger }): Promise<{ id: string; key: string }>;
  editIssue(key: string, body: IssueBody, opts?: { log?: Logger }): Promise<void>;
  searchJql(
    query: { jql: string; fields?: string[]; properties?: string[]; maxResults?: number; nextPageToken?: string },
    opts?: { log?: Logger },
  ): Promise<{ issues: JiraIssue[]; nextPageToken?: string | null | undefined; isLast: boolean }>;
  findUsers(query: string, opts?: { log?: Logger }): Promise<JiraUser[]>;
}

export interface SyncCreatemeta {
  fields(projectKey: string, issueTypeId: string): Promise<{ value: FieldMeta[]; source: 'memory' | 'sqlite' | 'upstream' }>;
  issueTypeByName(projectKey: string, name: string): Promise<IssueTypeMeta | undefined>;
  purgeProject(projectKey: string): number;
}

export interface FieldProblem {
  fieldId: string;
  fieldName: string;
  message: string;
}

export type Resolve = (input: {
  mappings: FieldMapping[];
  payload: unknown;
  fields: FieldMeta[];
  users?: { byEmail(email: string): Promise<string | undefined> };
}) => Promise<{ fields: Record<string, unknown>; problems: FieldProblem[] }>;

export type ExplainJiraErrors = (fieldErrors: Record<string, string>, fields: FieldMeta[]) => FieldProblem[];

/** What is stored in the issue property: enough to recognise our own issue after a crash. */
export interface SyncProperty {
  entityKey: string;
  scope: string;
  clientToken: string;
  source: 'switchyard';
}
