/** Jira Cloud's FieldCreateMetadata (createmeta/{project}/issuetypes/{id}), the parts we use. */
export interface FieldSchema {
  type: string;
  items?: string;
  system?: string;
  custom?: string;
  customId?: number;
}

export interface AllowedValue {
  id?: string;
  value?: string;
  name?: string;
  [key: string]: unknown;
}

export interface FieldMeta {
  fieldId: string;
  key?: string;
  name: string;
  required: boolean;
  schema: FieldSchema;
  allowedValues?: AllowedValue[];
  hasDefaultValue?: boolean;
  defaultValue?: unknown;
  operations?: string[];
  autoCompleteUrl?: string | null;
}

export interface IssueTypeMeta {
  id: string;
  name: string;
  description?: string;
  subtask: boolean;
  hierarchyLevel?: number;
}

export interface ProjectSummary {
  id: string;
  key: string;
  name: string;
}

export interface BoardSummary {
  id: number;
  name: string;
  type: string;
  projectKey?: string;
}

export interface JiraUser {
  accountId: string;
  displayName: string;
  emailAddress?: string;
  active?: boolean;
}

export interface JiraIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  properties?: Record<string, unknown>;
}

/** The create/edit body the engine sends. */
export interface IssueBody {
  fields: Record<string, unknown>;
  update?: Record<string, unknown>;
  properties?: { key: string; value: unknown }[];
}
