/**
 * The simulator's in-memory picture of one Jira Cloud site. Plain data (records
 * and arrays, no Maps) so `/__sim/state` can serialise it without a translation layer.
 */

export interface FieldSchema {
  type: string;
  items?: string;
  system?: string;
  custom?: string;
  customId?: number;
}

export interface FieldOption {
  id: string;
  value: string;
  /** Only for cascading selects (`option-with-child`). */
  children?: FieldOption[];
}

/** A field in the site's catalog; screens decide where it can be set. */
export interface FieldDef {
  id: string;
  name: string;
  schema: FieldSchema;
  operations: string[];
  options?: FieldOption[];
}

export interface ScreenField {
  fieldId: string;
  required: boolean;
}

export interface SimIssueType {
  id: string;
  name: string;
  description: string;
}

export interface SimComponent {
  id: string;
  name: string;
}

export interface SimProject {
  id: string;
  key: string;
  name: string;
  projectTypeKey: string;
  components: SimComponent[];
  /** Create (and edit) screen per issue type id, in display order. */
  screens: Record<string, ScreenField[]>;
  /** Keys are never reused, even after a delete. */
  lastIssueNumber: number;
}

export interface SimBoard {
  id: number;
  name: string;
  type: 'scrum' | 'kanban' | 'simple';
  projectId: string;
}

export interface SimUser {
  accountId: string;
  displayName: string;
  emailAddress: string;
  active: boolean;
  timeZone: string;
}

export interface SimPriority {
  id: string;
  name: string;
}

/** What the search index knows about an issue at one moment. */
export interface SearchDoc {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  labels: string[];
  created: number;
  updated: number;
}

/** An index entry becomes searchable `indexDelayMs` after `at`; `doc` undefined means deleted. */
export interface IndexVersion {
  at: number;
  doc: SearchDoc | undefined;
}

export interface IssueRecord {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  /** Values as Jira returns them (options as `{id,value}`, users as objects, ADF as sent). */
  fields: Record<string, unknown>;
  properties: Record<string, unknown>;
  created: number;
  updated: number;
  deleted: boolean;
  index: IndexVersion[];
}

export interface SimConfig {
  indexDelayMs: number;
  /** Requests per second before a burst 429; 0 turns it off. */
  burstLimit: number;
}

export interface SimSequences {
  issueId: number;
  projectId: number;
  issueTypeId: number;
  optionId: number;
  componentId: number;
  customFieldId: number;
  boardId: number;
  account: number;
}

export interface JiraState {
  fields: Record<string, FieldDef>;
  issueTypes: Record<string, SimIssueType>;
  priorities: SimPriority[];
  /** Jira's site default, applied when a create leaves priority out. */
  defaultPriorityId: string;
  projects: SimProject[];
  boards: SimBoard[];
  users: SimUser[];
  issues: IssueRecord[];
  config: SimConfig;
  sequences: SimSequences;
  counters: Record<string, number>;
}

export const emptyState = (config: SimConfig): JiraState => ({
  fields: {},
  issueTypes: {},
  priorities: [],
  defaultPriorityId: '',
  projects: [],
  boards: [],
  users: [],
  issues: [],
  config: { ...config },
  sequences: { issueId: 10000, projectId: 10000, issueTypeId: 10100, optionId: 10100, componentId: 10050, customFieldId: 10040, boardId: 1, account: 1 },
  counters: {},
});

export const countRequest = (state: JiraState, name: string): void => {
  state.counters[name] = (state.counters[name] ?? 0) + 1;
};

/** What routes need from a running simulator: the live state (replaced on reset) and its clock. */
export interface JiraSimContext {
  readonly state: JiraState;
  now(): number;
}
