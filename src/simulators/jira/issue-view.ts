import { issueTypeMeta, projectRef } from './createmeta.js';
import type { IssueRecord, JiraState, SimIssueType, SimProject } from './jira-model.js';
import { formatJiraTime } from './jira-time.js';
import { issueSelf } from './issue-writes.js';

/** Renders issues the way GET /issue and /search/jql return them, honouring `fields` and `properties`. */

/** Jira takes lists as comma-separated values, repeated parameters, or both. */
export const splitList = (values: string[] | undefined): string[] | undefined => {
  const items = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
};

export interface FieldSelection {
  all: boolean;
  include: Set<string>;
  exclude: Set<string>;
}

/**
 * Reads Jira's `fields` list: `*all` / `*navigable` (everything here),
 * names, and `-name` exclusions. Undefined means the caller's default.
 */
export const parseFieldSelection = (items: string[] | undefined): FieldSelection | undefined => {
  const tokens = splitList(items);
  if (!tokens) return undefined;
  const include = new Set(tokens.filter((t) => !t.startsWith('-') && !t.startsWith('*')));
  const exclude = new Set(tokens.filter((t) => t.startsWith('-')).map((t) => t.slice(1)));
  const all = tokens.some((t) => t === '*all' || t === '*navigable') || include.size === 0;
  return { all, include, exclude };
};

export const ALL_FIELDS: FieldSelection = { all: true, include: new Set(), exclude: new Set() };

const allFields = (state: JiraState, issue: IssueRecord, origin: string): Record<string, unknown> => {
  const project = state.projects.find((p) => p.id === issue.projectId) as SimProject;
  const out: Record<string, unknown> = {
    issuetype: issueTypeMeta(state.issueTypes[issue.issueTypeId] as SimIssueType, origin),
    project: projectRef(project, origin),
    created: formatJiraTime(issue.created),
    updated: formatJiraTime(issue.updated),
    labels: [],
  };
  // Fields on the screen but never set read as null, as Jira returns them.
  for (const entry of project.screens[issue.issueTypeId] ?? []) out[entry.fieldId] = null;
  return { ...out, ...issue.fields };
};

const selectFields = (fields: Record<string, unknown>, selection: FieldSelection): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).filter(([id]) => (selection.all || selection.include.has(id)) && !selection.exclude.has(id)));

const selectProperties = (issue: IssueRecord, keys: string[]): Record<string, unknown> => {
  const all = keys.includes('*all');
  return Object.fromEntries(Object.entries(issue.properties).filter(([key]) => all || keys.includes(key)));
};

export interface RenderOptions {
  /** Undefined renders no `fields` object (the search default). */
  fields: FieldSelection | undefined;
  /** Undefined renders no `properties` object. */
  properties: string[] | undefined;
}

export const renderIssue = (state: JiraState, issue: IssueRecord, origin: string, options: RenderOptions): Record<string, unknown> => {
  const out: Record<string, unknown> = { id: issue.id, key: issue.key, self: issueSelf(origin, issue.id) };
  if (options.fields) out.fields = selectFields(allFields(state, issue, origin), options.fields);
  if (options.properties) out.properties = selectProperties(issue, options.properties);
  return out;
};
