import type { Logger } from '../../../platform/logger.js';
import type { JiraIssue } from '../jira/jira-types.js';
import type { SyncJira, SyncProperty } from './sync-types.js';

/** JQL string literal: quotes and backslashes escaped. */
export const jqlString = (value: string): string => `"${value.replace(/[\\"]/g, (m) => `\\${m}`)}"`;

const propertyOf = (issue: JiraIssue, propertyKey: string): Partial<SyncProperty> | undefined => {
  const value = issue.properties?.[propertyKey];
  return value && typeof value === 'object' ? (value as Partial<SyncProperty>) : undefined;
};

/**
 * Looks in Jira for the issue an unfinished create may have made. Searches by
 * the entity label (labels are indexed; issue properties are not, without an
 * app) and recognises our issue by the client token in its property, falling
 * back to entity and scope for issues made before the token changed.
 */
export const findCreatedIssue = async (
  jira: SyncJira,
  target: { projectKey: string; entityLabel: string; propertyKey: string; clientToken: string; entityKey: string; scope: string },
  log: Logger,
): Promise<JiraIssue | undefined> => {
  const jql = `project = ${jqlString(target.projectKey)} AND labels = ${jqlString(target.entityLabel)} ORDER BY created ASC`;
  const found = await jira.searchJql({ jql, fields: ['labels', 'summary', 'created'], properties: [target.propertyKey], maxResults: 50 }, { log });
  const byToken = found.issues.find((i) => propertyOf(i, target.propertyKey)?.clientToken === target.clientToken);
  if (byToken) return byToken;
  return found.issues.find((i) => {
    const p = propertyOf(i, target.propertyKey);
    return p?.entityKey === target.entityKey && p.scope === target.scope;
  });
};
