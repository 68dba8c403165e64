import type { FieldMeta, IssueBody } from '../jira/jira-types.js';
import type { FieldProblem, SyncProperty } from './sync-types.js';

export interface IssueBodyInput {
  /** What the field resolver made of the mappings: Jira `fields` and every problem it found. */
  resolved: { fields: Record<string, unknown>; problems: FieldProblem[] };
  /** The create screen the body is meant for. */
  screen: FieldMeta[];
  mode: 'create' | 'edit';
  projectKey: string;
  issueTypeId: string;
  /** The tracking label and the entity label, put on every issue Switchyard writes. */
  engineLabels: string[];
  propertyKey: string;
  property: SyncProperty;
}

export interface BuiltIssueBody {
  body: IssueBody;
  /** The resolver's problems, plus a screen without Labels; Jira must not be asked while any remain. */
  problems: FieldProblem[];
}

const union = (a: unknown, b: string[]): string[] => [...new Set([...(Array.isArray(a) ? a.map(String) : []), ...b])];

/**
 * The exact body Switchyard sends to Jira to create or edit an issue: the
 * mapped fields, the engine's labels (so the issue can be found again after a
 * crash) and the sync property. Pure, so the rule editor's preview shows the
 * very body a sync would send.
 */
export const buildIssueBody = (input: IssueBodyInput): BuiltIssueBody => {
  const problems = [...input.resolved.problems];
  if (!input.screen.some((f) => f.fieldId === 'labels')) {
    problems.push({ fieldId: 'labels', fieldName: 'Labels', message: `the ${input.projectKey} create screen has no Labels field; Switchyard labels its issues to find them again, so add Labels to the screen.` });
  }
  const { resolved, engineLabels } = input;
  const body: IssueBody = { fields: { ...resolved.fields }, properties: [{ key: input.propertyKey, value: input.property }] };
  if (input.mode === 'create') {
    body.fields.project = { key: input.projectKey };
    body.fields.issuetype = { id: input.issueTypeId };
    body.fields.labels = union(resolved.fields.labels, engineLabels);
  } else if ('labels' in resolved.fields) {
    body.fields.labels = union(resolved.fields.labels, engineLabels);
  } else {
    body.update = { labels: engineLabels.map((l) => ({ add: l })) };
  }
  return { body, problems };
};
