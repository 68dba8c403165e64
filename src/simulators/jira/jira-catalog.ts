import { emptyState, type FieldDef, type FieldSchema, type JiraState, type SimConfig, type SimUser } from './jira-model.js';

/** System fields every site has; screens pick from these and the custom ones. */
const SYSTEM_FIELDS: FieldDef[] = [
  { id: 'summary', name: 'Summary', schema: { type: 'string', system: 'summary' }, operations: ['set'] },
  { id: 'description', name: 'Description', schema: { type: 'string', system: 'description' }, operations: ['set'] },
  { id: 'environment', name: 'Environment', schema: { type: 'string', system: 'environment' }, operations: ['set'] },
  { id: 'labels', name: 'Labels', schema: { type: 'array', items: 'string', system: 'labels' }, operations: ['add', 'set', 'remove'] },
  { id: 'priority', name: 'Priority', schema: { type: 'priority', system: 'priority' }, operations: ['set'] },
  { id: 'duedate', name: 'Due date', schema: { type: 'date', system: 'duedate' }, operations: ['set'] },
  { id: 'assignee', name: 'Assignee', schema: { type: 'user', system: 'assignee' }, operations: ['set'] },
  { id: 'components', name: 'Components', schema: { type: 'array', items: 'component', system: 'components' }, operations: ['add', 'set', 'remove'] },
];

/** The system fields a new project's issue types get on their screen. */
export const DEFAULT_SCREEN = ['summary', 'description', 'labels', 'priority', 'duedate', 'assignee'];

const CUSTOM = 'com.atlassian.jira.plugin.system.customfieldtypes:';

/** Custom field types the simulator can create, by Jira's type key suffix. */
export const CUSTOM_FIELD_TYPES = {
  textfield: { type: 'string' },
  textarea: { type: 'string' },
  url: { type: 'string' },
  float: { type: 'number' },
  datepicker: { type: 'date' },
  datetime: { type: 'datetime' },
  select: { type: 'option' },
  radiobuttons: { type: 'option' },
  multiselect: { type: 'array', items: 'option' },
  multicheckboxes: { type: 'array', items: 'option' },
  cascadingselect: { type: 'option-with-child' },
  userpicker: { type: 'user' },
  multiuserpicker: { type: 'array', items: 'user' },
  labels: { type: 'array', items: 'string' },
} as const;

export type CustomFieldType = keyof typeof CUSTOM_FIELD_TYPES;

export const customFieldSchema = (type: CustomFieldType, customId: number): FieldSchema => ({
  ...CUSTOM_FIELD_TYPES[type],
  custom: `${CUSTOM}${type}`,
  customId,
});

export const customFieldOperations = (schema: FieldSchema): string[] => (schema.type === 'array' ? ['add', 'set', 'remove'] : ['set']);

const PRIORITIES = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];

/** Everything a site has before anyone configures it: system fields, priorities, Task, and the signed-in account. */
export const baseState = (config: SimConfig, account: SimUser): JiraState => {
  const state = emptyState(config);
  for (const field of SYSTEM_FIELDS) state.fields[field.id] = structuredClone(field);
  state.priorities = PRIORITIES.map((p) => ({ ...p }));
  state.defaultPriorityId = '3';
  state.issueTypes['10001'] = { id: '10001', name: 'Task', description: 'A small, distinct piece of work.' };
  state.users.push({ ...account });
  return state;
};
