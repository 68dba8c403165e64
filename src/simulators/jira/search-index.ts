import type { IssueRecord, SearchDoc } from './jira-model.js';

/**
 * Jira's search is eventually consistent (contract §5): JQL sees each issue
 * as it was `indexDelayMs` ago. Every write appends a version; a search reads
 * the newest version old enough to be indexed.
 */

const docOf = (issue: IssueRecord): SearchDoc => ({
  id: issue.id,
  key: issue.key,
  projectId: issue.projectId,
  issueTypeId: issue.issueTypeId,
  labels: Array.isArray(issue.fields.labels) ? [...(issue.fields.labels as string[])] : [],
  created: issue.created,
  updated: issue.updated,
});

const latestIndexed = (issue: IssueRecord, cutoff: number): number => issue.index.findLastIndex((v) => v.at <= cutoff);

/** Records the issue's current state (or its deletion) and forgets versions no search can reach any more. */
export const reindex = (issue: IssueRecord, now: number, delayMs: number): void => {
  issue.index.push({ at: now, doc: issue.deleted ? undefined : docOf(issue) });
  const oldestNeeded = latestIndexed(issue, now - delayMs);
  if (oldestNeeded > 0) issue.index.splice(0, oldestNeeded);
};

/** What JQL sees: the indexed version, or the live one when the caller asked to reconcile this issue. */
export const visibleDoc = (issue: IssueRecord, now: number, delayMs: number, reconcile: boolean): SearchDoc | undefined => {
  if (reconcile) return issue.deleted ? undefined : docOf(issue);
  return issue.index[latestIndexed(issue, now - delayMs)]?.doc;
};
