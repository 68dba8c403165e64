import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addFieldToScreen,
  addProject,
  addUser,
  removeFieldFromScreen,
  removeOption,
  setFieldRequired,
  SimInputError,
} from '../../../src/simulators/jira/jira-admin.js';
import { createState } from '../../../src/simulators/jira/jira-seed.js';

const seeded = () => createState({ indexDelayMs: 0, burstLimit: 0 }, 'demo@example.com', true);

const refusal = (fn: () => unknown): SimInputError => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SimInputError);
    return err;
  }
  assert.fail('expected a SimInputError');
};

test('seeds IT, HR and OPS with their issue types, boards, custom fields and staff', () => {
  const state = seeded();
  assert.deepEqual(state.projects.map((p) => [p.key, p.id, Object.keys(p.screens)]), [
    ['IT', '10000', ['10001', '10010']],
    ['HR', '10001', ['10001', '10011']],
    ['OPS', '10002', ['10001']],
  ]);
  assert.equal(state.boards.length, 3);
  assert.deepEqual(state.projects[0]?.components, [{ id: '10050', name: 'Hardware' }, { id: '10051', name: 'Accounts' }]);
  assert.equal(state.users.length, 5);
  assert.ok(state.projects[0]?.screens['10010']?.some((f) => f.fieldId === 'customfield_10030' && f.required));
  assert.ok(state.projects[1]?.screens['10011']?.some((f) => f.fieldId === 'customfield_10035' && f.required));
});

test('an unseeded site still has the signed-in account, system fields and Task', () => {
  const state = createState({ indexDelayMs: 0, burstLimit: 0 }, 'me@example.com', false);
  assert.deepEqual(state.users.map((u) => u.emailAddress), ['me@example.com']);
  assert.equal(state.projects.length, 0);
  assert.ok(state.fields.summary && state.issueTypes['10001']);
});

test('adds a project with the next id, a board, default screens and named components', () => {
  const state = seeded();
  const project = addProject(state, { key: 'FAC', name: 'Facilities', issueTypes: [{ name: 'Task' }, { name: 'Repair' }], components: ['Doors'] });
  assert.equal(project.id, '10003');
  assert.deepEqual(Object.keys(project.screens), ['10001', '10100']);
  assert.ok(project.screens['10100']?.some((f) => f.fieldId === 'components'));
  assert.equal(state.boards.at(-1)?.projectId, '10003');
});

test('refuses a duplicate or malformed project key', () => {
  assert.match(refusal(() => addProject(seeded(), { key: 'IT', name: 'Again' })).message, /already exists/);
  assert.match(refusal(() => addProject(seeded(), { key: 'it', name: 'Lower' })).message, /^key:/);
});

test('adds users with stable generated account ids and refuses duplicate emails', () => {
  const state = seeded();
  const user = addUser(state, { displayName: 'New Hire', emailAddress: 'new.hire@example.com' });
  assert.equal(user.accountId, '5f0c1a2b3c4d5e6f70000006');
  assert.match(refusal(() => addUser(state, { displayName: 'Twin', emailAddress: 'NEW.HIRE@example.com' })).message, /already exists/);
});

test('makes a field required or optional on one screen only', () => {
  const state = seeded();
  setFieldRequired(state, { project: 'IT', issueTypeId: 'Onboarding', fieldId: 'customfield_10031', required: true });
  assert.equal(state.projects[0]?.screens['10010']?.find((f) => f.fieldId === 'customfield_10031')?.required, true);
  assert.equal(refusal(() => setFieldRequired(state, { project: 'IT', issueTypeId: '10001', fieldId: 'customfield_10031', required: true })).status, 404);
});

test('removes a field from a screen but never the summary', () => {
  const state = seeded();
  removeFieldFromScreen(state, { project: 'IT', issueTypeId: '10010', fieldId: 'customfield_10034' });
  assert.ok(!state.projects[0]?.screens['10010']?.some((f) => f.fieldId === 'customfield_10034'));
  assert.match(refusal(() => removeFieldFromScreen(state, { project: 'IT', issueTypeId: '10010', fieldId: 'summary' })).message, /Summary/);
});

test('removes a select option by value or id', () => {
  const state = seeded();
  assert.equal(removeOption(state, { fieldId: 'customfield_10030', value: 'Sales' }).id, '10102');
  assert.equal(removeOption(state, { fieldId: 'customfield_10033', value: '10113' }).value, 'Headset');
  assert.equal(refusal(() => removeOption(state, { fieldId: 'customfield_10030', value: 'Sales' })).status, 404);
});

test('adds an existing field to a screen, or creates a new custom field there', () => {
  const state = seeded();
  addFieldToScreen(state, { project: 'OPS', issueTypeId: '10001', fieldId: 'customfield_10032', required: true });
  assert.deepEqual(state.projects[2]?.screens['10001']?.at(-1), { fieldId: 'customfield_10032', required: true });
  const cost = addFieldToScreen(state, { project: 'OPS', issueTypeId: '10001', name: 'Cost centre', type: 'select', options: ['CC-1', 'CC-2'], required: true });
  assert.equal(cost.id, 'customfield_10040');
  assert.deepEqual(cost.options?.map((o) => o.value), ['CC-1', 'CC-2']);
  assert.match(refusal(() => addFieldToScreen(state, { project: 'OPS', issueTypeId: '10001', name: 'Team', type: 'select' })).message, /needs options/);
  assert.match(refusal(() => addFieldToScreen(state, { project: 'OPS', issueTypeId: '10001', fieldId: 'customfield_99999' })).message, /name and a type/);
});
