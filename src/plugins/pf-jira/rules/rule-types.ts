export const OPERATORS = ['equals', 'not_equals', 'in', 'not_in', 'contains', 'matches', 'exists', 'not_exists', 'gt', 'lt'] as const;
export type Operator = (typeof OPERATORS)[number];

export const RULE_ACTIONS = ['SYNC', 'DROP'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export const SOURCE_TYPES = ['STATIC', 'PF_PAYLOAD', 'TEMPLATE'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export type ValidationStatus = 'pending' | 'validating' | 'valid' | 'invalid';

export interface Condition {
  /** JSONPath (RFC 9535) into the event payload, e.g. $.department.name */
  path: string;
  operator: Operator;
  /** Comparison value; a list for in / not_in; unused for exists / not_exists. */
  value?: string | number | boolean | (string | number)[];
}

export interface FieldMapping {
  /** Jira field id: summary, description, customfield_10030, … */
  fieldId: string;
  sourceType: SourceType;
  /** STATIC: the value; PF_PAYLOAD: a JSONPath; TEMPLATE: text with {{ path.to.value }} placeholders. */
  value: string;
}

/** What an admin (or the API) submits to create or replace a rule. */
export interface RuleInput {
  name: string;
  priority: number;
  enabled: boolean;
  action: RuleAction;
  /** Empty: every event type. */
  eventTypes: string[];
  match: 'all' | 'any';
  conditions: Condition[];
  /** Required for SYNC. */
  projectKey: string | null;
  issueTypeId: string | null;
  issueTypeName: string | null;
  /** Optional Jira board where these issues are worked: shown on the dashboard, checked by validation. */
  boardId: number | null;
  boardName: string | null;
  mappings: FieldMapping[];
}

export interface Rule extends RuleInput {
  id: number;
  version: number;
  validationStatus: ValidationStatus;
  validationErrors: string[];
  validatedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Why an event did (or did not) become an issue; stored on the event. */
export interface Decision {
  action: RuleAction;
  /** rule: a rule matched; fallback: nothing matched and the fallback project took it; no_match: nothing matched and it was dropped. */
  via: 'rule' | 'fallback' | 'no_match';
  ruleId: number | null;
  ruleVersion: number | null;
  ruleName: string | null;
  projectKey: string | null;
  issueTypeId: string | null;
  issueTypeName: string | null;
  reason: string;
}

/** A rule as saved at one version: what a past decision's "v3" refers to. */
export interface RuleSnapshot extends RuleInput {
  id: number;
  version: number;
}

export interface RuleVersion {
  ruleId: number;
  version: number;
  snapshot: RuleSnapshot;
  /** Email of who saved it ("system" for the hub's own changes). */
  savedBy: string | null;
  savedAt: number;
}
