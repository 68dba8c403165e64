import type { FieldOption, FieldSchema, JiraState, SimIssueType, SimProject } from './jira-model.js';

/** Jira Cloud's FieldCreateMetadata (contract §3). */
export interface FieldMeta {
  fieldId: string;
  key: string;
  name: string;
  required: boolean;
  schema: FieldSchema;
  allowedValues?: Record<string, unknown>[];
  hasDefaultValue: boolean;
  defaultValue?: unknown;
  operations: string[];
  autoCompleteUrl?: string;
}

export const issueTypeMeta = (type: SimIssueType, origin: string) => ({
  self: `${origin}/rest/api/3/issuetype/${type.id}`,
  id: type.id,
  description: type.description,
  iconUrl: `${origin}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10318?size=medium`,
  name: type.name,
  untranslatedName: type.name,
  subtask: false,
  hierarchyLevel: 0,
});

export const projectRef = (project: SimProject, origin: string) => ({
  self: `${origin}/rest/api/3/project/${project.id}`,
  id: project.id,
  key: project.key,
  name: project.name,
  projectTypeKey: project.projectTypeKey,
  simplified: false,
});

const optionValue = (option: FieldOption, origin: string): Record<string, unknown> => ({
  self: `${origin}/rest/api/3/customFieldOption/${option.id}`,
  value: option.value,
  id: option.id,
  ...(option.children ? { children: option.children.map((c) => optionValue(c, origin)) } : {}),
});

const priorityValue = (priority: { id: string; name: string }, origin: string) => ({
  self: `${origin}/rest/api/3/priority/${priority.id}`,
  iconUrl: `${origin}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
  name: priority.name,
  id: priority.id,
});

const allowedValues = (state: JiraState, project: SimProject, schema: FieldSchema, options: FieldOption[] | undefined, origin: string) => {
  if (options) return options.map((o) => optionValue(o, origin));
  if (schema.system === 'priority') return state.priorities.map((p) => priorityValue(p, origin));
  if (schema.system === 'components') return project.components.map((c) => ({ self: `${origin}/rest/api/3/component/${c.id}`, id: c.id, name: c.name }));
  return undefined;
};

const autoCompleteUrl = (schema: FieldSchema, origin: string): string | undefined => {
  if (schema.type === 'user' || schema.items === 'user') return `${origin}/rest/api/3/user/search?query=`;
  if (schema.items === 'string') return `${origin}/rest/api/1.0/labels/suggest?query=`;
  return undefined;
};

/**
 * The fields of one project + issue type's create screen, as createmeta
 * answers them: issue type and project first, then the screen in order.
 * Create and edit are validated against exactly this list.
 */
export const createMetaFields = (state: JiraState, project: SimProject, issueTypeId: string, origin: string): FieldMeta[] => {
  const type = state.issueTypes[issueTypeId] as SimIssueType;
  const metas: FieldMeta[] = [
    { fieldId: 'issuetype', key: 'issuetype', name: 'Issue Type', required: true, schema: { type: 'issuetype', system: 'issuetype' }, allowedValues: [issueTypeMeta(type, origin)], hasDefaultValue: false, operations: [] },
    { fieldId: 'project', key: 'project', name: 'Project', required: true, schema: { type: 'project', system: 'project' }, allowedValues: [projectRef(project, origin)], hasDefaultValue: false, operations: ['set'] },
  ];
  const defaultPriority = state.priorities.find((p) => p.id === state.defaultPriorityId);
  for (const entry of project.screens[issueTypeId] ?? []) {
    const field = state.fields[entry.fieldId];
    if (!field) continue;
    const meta: FieldMeta = { fieldId: field.id, key: field.id, name: field.name, required: entry.required, schema: { ...field.schema }, hasDefaultValue: false, operations: [...field.operations] };
    const allowed = allowedValues(state, project, field.schema, field.options, origin);
    if (allowed) meta.allowedValues = allowed;
    const complete = autoCompleteUrl(field.schema, origin);
    if (complete) meta.autoCompleteUrl = complete;
    if (field.schema.system === 'priority' && defaultPriority) {
      meta.hasDefaultValue = true;
      meta.defaultValue = priorityValue(defaultPriority, origin);
    }
    metas.push(meta);
  }
  return metas;
};
