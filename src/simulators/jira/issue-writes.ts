import { z } from 'zod';
import { createMetaFields, type FieldMeta } from './createmeta.js';
import { type FieldCheckContext, validateFields } from './field-validator.js';
import { findProject, projectIssueTypeId } from './jira-admin.js';
import { ISSUE_NOT_FOUND, jiraError, JiraApiError } from './jira-errors.js';
import type { IssueRecord, JiraState, SimProject } from './jira-model.js';
import { propertyError } from './issue-properties.js';
import { reindex } from './search-index.js';

/** Create, edit and delete, each validated against the issue's createmeta as Jira Cloud does (contract §2). */

export interface WriteContext {
  state: JiraState;
  now: number;
  origin: string;
}

export const issueBodySchema = z.looseObject({
  fields: z.record(z.string(), z.unknown()).default({}),
  update: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).default({}),
  properties: z.array(z.object({ key: z.unknown(), value: z.unknown() })).default([]),
});
export type IssueBody = z.output<typeof issueBodySchema>;

export const issueSelf = (origin: string, id: string): string => `${origin}/rest/api/3/issue/${id}`;

export const findIssue = (state: JiraState, idOrKey: string): IssueRecord | undefined =>
  state.issues.find((i) => !i.deleted && (i.id === idOrKey || i.key === idOrKey.toUpperCase()));

export const requireIssue = (state: JiraState, idOrKey: string): IssueRecord => {
  const issue = findIssue(state, idOrKey);
  if (!issue) throw new JiraApiError(404, ISSUE_NOT_FOUND);
  return issue;
};

const checkContext = (ctx: WriteContext): FieldCheckContext => ({
  origin: ctx.origin,
  findUser: (accountId) => ctx.state.users.find((u) => u.accountId === accountId),
});

/**
 * Folds `update` operations into plain field values so one validation covers
 * both; a field named in both `fields` and `update` is refused.
 */
const applyUpdates = (body: IssueBody, current: Record<string, unknown>, errors: Record<string, string>): Record<string, unknown> => {
  const merged = { ...body.fields };
  for (const [fieldId, ops] of Object.entries(body.update)) {
    if (fieldId in body.fields) {
      errors[fieldId] = `Field '${fieldId}' cannot be set in both 'fields' and 'update'.`;
      continue;
    }
    let value = fieldId === 'labels' ? [...((current.labels as string[] | undefined) ?? [])] : current[fieldId];
    for (const op of ops) {
      const [name, arg] = Object.entries(op)[0] ?? [];
      if (name === 'set') value = arg;
      else if (fieldId === 'labels' && (name === 'add' || name === 'remove') && typeof arg === 'string') {
        const labels = value as string[];
        value = name === 'add' ? (labels.includes(arg) ? labels : [...labels, arg]) : labels.filter((l) => l !== arg);
      } else errors[fieldId] = `Field '${fieldId}' does not support the '${name ?? ''}' operation with that value.`;
    }
    merged[fieldId] = value;
  }
  return merged;
};

const checkProperties = (body: IssueBody): string[] => body.properties.map((p) => propertyError(p.key, p.value)).filter((m): m is string => m !== undefined);

const refuse = (messages: string[], errors: Record<string, string>): JiraApiError => new JiraApiError(400, jiraError(messages, errors));

const refKey = (ref: unknown, name: 'key' | 'name'): string | undefined => {
  if (ref === null || typeof ref !== 'object') return undefined;
  const r = ref as Record<string, unknown>;
  const value = r.id ?? r[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

/** Project by `{key}` or `{id}`, issue type by `{id}` or `{name}`; nothing else is checked until both are known. */
const resolveTarget = (state: JiraState, fields: Record<string, unknown>) => {
  const projectRef = refKey(fields.project, 'key');
  const project = projectRef === undefined ? undefined : findProject(state, projectRef);
  if (!project) throw refuse([], { project: 'Specify a valid project ID or key' });
  const typeRef = refKey(fields.issuetype, 'name');
  if (typeRef === undefined) throw refuse([], { issuetype: 'Specify an issue type' });
  const issueTypeId = projectIssueTypeId(state, project, typeRef);
  if (issueTypeId === undefined) throw refuse([], { issuetype: 'Specify a valid issue type' });
  return { project, issueTypeId };
};

export const createIssue = (ctx: WriteContext, body: IssueBody): IssueRecord => {
  const { state, now } = ctx;
  const { project, issueTypeId } = resolveTarget(state, body.fields);
  const { project: _p, issuetype: _t, ...rest } = body.fields;
  const errors: Record<string, string> = {};
  const merged = applyUpdates({ ...body, fields: rest }, {}, errors);
  const result = validateFields(merged, createMetaFields(state, project, issueTypeId, ctx.origin), 'create', checkContext(ctx));
  const messages = checkProperties(body);
  Object.assign(errors, result.errors);
  if (messages.length > 0 || Object.keys(errors).length > 0) throw refuse(messages, errors);
  project.lastIssueNumber += 1;
  const issue: IssueRecord = {
    id: String(state.sequences.issueId++),
    key: `${project.key}-${project.lastIssueNumber}`,
    projectId: project.id,
    issueTypeId,
    fields: { labels: [], ...result.values },
    properties: Object.fromEntries(body.properties.map((p) => [p.key as string, p.value])),
    created: now,
    updated: now,
    deleted: false,
    index: [],
  };
  state.issues.push(issue);
  reindex(issue, now, state.config.indexDelayMs);
  return issue;
};

/** Edits are checked against the create screen: the simulator keeps one screen per issue type, and projects are never deleted. */
const editMeta = (ctx: WriteContext, issue: IssueRecord): FieldMeta[] =>
  createMetaFields(ctx.state, ctx.state.projects.find((p) => p.id === issue.projectId) as SimProject, issue.issueTypeId, ctx.origin);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Only a real change moves `updated` (and reaches the search index), as in Jira. */
export const editIssue = (ctx: WriteContext, idOrKey: string, body: IssueBody): IssueRecord => {
  const issue = requireIssue(ctx.state, idOrKey);
  const errors: Record<string, string> = {};
  const merged = applyUpdates(body, issue.fields, errors);
  const result = validateFields(merged, editMeta(ctx, issue), 'edit', checkContext(ctx));
  const messages = checkProperties(body);
  Object.assign(errors, result.errors);
  if (messages.length > 0 || Object.keys(errors).length > 0) throw refuse(messages, errors);
  for (const p of body.properties) issue.properties[p.key as string] = p.value;
  const changed = Object.entries(result.values).filter(([id, value]) => !same(issue.fields[id], value));
  if (changed.length === 0) return issue;
  for (const [id, value] of changed) issue.fields[id] = value;
  issue.updated = ctx.now;
  reindex(issue, ctx.now, ctx.state.config.indexDelayMs);
  return issue;
};

/** Keeps a tombstone so keys are never reused and the index can lag behind the delete. */
export const deleteIssue = (state: JiraState, idOrKey: string, now: number): void => {
  const issue = requireIssue(state, idOrKey);
  issue.deleted = true;
  reindex(issue, now, state.config.indexDelayMs);
};
