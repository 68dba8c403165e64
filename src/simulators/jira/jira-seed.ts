import { addFieldToScreen, addProject, addUser } from './jira-admin.js';
import { baseState, customFieldOperations, customFieldSchema, type CustomFieldType } from './jira-catalog.js';
import type { FieldDef, JiraState, SimConfig } from './jira-model.js';

export const DEMO_EMAIL = 'demo@example.com';
export const DEMO_TOKEN = 'demo-token';
export const DEMO_ACCOUNT_ID = '5f0c1a2b3c4d5e6f70000001';

const options = (firstId: number, values: string[]) => values.map((value, i) => ({ id: String(firstId + i), value }));

const custom = (id: number, name: string, type: CustomFieldType, extra: Partial<FieldDef> = {}): FieldDef => {
  const schema = customFieldSchema(type, id);
  return { id: `customfield_${id}`, name, schema, operations: customFieldOperations(schema), ...extra };
};

const CUSTOM_FIELDS: FieldDef[] = [
  custom(10030, 'Department', 'select', { options: options(10100, ['Engineering', 'IT', 'Sales', 'Finance', 'HR', 'Operations']) }),
  custom(10031, 'Start date', 'datepicker'),
  custom(10032, 'Employee ID', 'textfield'),
  custom(10033, 'Equipment', 'multiselect', { options: options(10110, ['Laptop', 'Monitor', 'Phone', 'Headset']) }),
  custom(10034, 'Access notes', 'textarea'),
  custom(10035, 'Last working day', 'datetime'),
  custom(10036, 'FTE', 'float'),
];

const STAFF = [
  { displayName: 'Ingrid Thorsen', emailAddress: 'it.lead@example.com' },
  { displayName: 'Sam Patel', emailAddress: 'it.support@example.com' },
  { displayName: 'Hana Reyes', emailAddress: 'hr.partner@example.com' },
  { displayName: 'Omar Haddad', emailAddress: 'ops.manager@example.com' },
];

/** [project, issue type id, field id, required] placed after each project's default system fields. */
const SCREEN_FIELDS: [string, string, string, boolean][] = [
  ['IT', '10010', 'customfield_10030', true],
  ['IT', '10010', 'customfield_10031', false],
  ['IT', '10010', 'customfield_10032', false],
  ['IT', '10010', 'customfield_10033', false],
  ['IT', '10010', 'customfield_10034', false],
  ['HR', '10001', 'customfield_10032', false],
  ['HR', '10011', 'customfield_10035', true],
  ['HR', '10011', 'customfield_10032', false],
  ['HR', '10011', 'customfield_10030', false],
  ['HR', '10011', 'customfield_10036', false],
];

/** A small company: IT runs onboarding, HR runs offboarding, OPS is the fallback project. */
const seedDemoCompany = (state: JiraState): void => {
  for (const field of CUSTOM_FIELDS) state.fields[field.id] = structuredClone(field);
  state.sequences.optionId = 10200;
  const task = { id: '10001', name: 'Task' };
  addProject(state, {
    id: '10000',
    key: 'IT',
    name: 'IT Service',
    boardType: 'kanban',
    issueTypes: [task, { id: '10010', name: 'Onboarding', description: 'Get a new starter ready for day one.' }],
    components: [
      { id: '10050', name: 'Hardware' },
      { id: '10051', name: 'Accounts' },
    ],
  });
  addProject(state, {
    id: '10001',
    key: 'HR',
    name: 'People Ops',
    projectTypeKey: 'business',
    boardType: 'simple',
    issueTypes: [task, { id: '10011', name: 'Offboarding', description: 'Wrap up a leaver’s access and equipment.' }],
  });
  addProject(state, { id: '10002', key: 'OPS', name: 'Operations', boardType: 'scrum', issueTypes: [task] });
  for (const [project, issueTypeId, fieldId, required] of SCREEN_FIELDS) addFieldToScreen(state, { project, issueTypeId, fieldId, required });
  for (const person of STAFF) addUser(state, person);
};

/** A fresh site: the signed-in account always exists (for /myself); the demo company only when `seed`. */
export const createState = (config: SimConfig, email: string, seed: boolean): JiraState => {
  const state = baseState(config, { accountId: DEMO_ACCOUNT_ID, displayName: 'Demo Admin', emailAddress: email, active: true, timeZone: 'UTC' });
  state.sequences.account = 2;
  if (seed) seedDemoCompany(state);
  return state;
};
