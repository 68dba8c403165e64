import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetaFields } from '../../../src/simulators/jira/createmeta.js';
import { validateFields, type FieldCheckContext } from '../../../src/simulators/jira/field-validator.js';
import { addFieldToScreen, findProject } from '../../../src/simulators/jira/jira-admin.js';
import { DEMO_ACCOUNT_ID, createState } from '../../../src/simulators/jira/jira-seed.js';
import type { SimProject } from '../../../src/simulators/jira/jira-model.js';
import { adf } from './jira-test-client.js';

const state = createState({ indexDelayMs: 0, burstLimit: 0 }, 'demo@example.com', true);
state.users.push({ accountId: 'gone-1', displayName: 'Former', emailAddress: 'former@example.com', active: false, timeZone: 'UTC' });
const ctx: FieldCheckContext = { origin: 'http://jira.test', findUser: (id) => state.users.find((u) => u.accountId === id) };
const metas = (project: string, issueTypeId: string) => createMetaFields(state, findProject(state, project) as SimProject, issueTypeId, ctx.origin);

const create = (project: string, issueTypeId: string, fields: Record<string, unknown>) => validateFields(fields, metas(project, issueTypeId), 'create', ctx);
const edit = (project: string, issueTypeId: string, fields: Record<string, unknown>) => validateFields(fields, metas(project, issueTypeId), 'edit', ctx);

test("asks for a summary in Jira's words and for required custom fields by name", () => {
  const { errors } = create('IT', '10010', {});
  assert.deepEqual(errors, { summary: 'You must specify a summary of the issue.', customfield_10030: 'Department is required.' });
});

test('fills the default priority when a create leaves it out', () => {
  const { errors, values } = create('OPS', '10001', { summary: 'x' });
  assert.deepEqual(errors, {});
  assert.equal((values.priority as { name: string }).name, 'Medium');
});

test('refuses a field that is not on the screen or does not exist', () => {
  const { errors } = create('OPS', '10001', { summary: 'x', customfield_10030: { value: 'IT' }, nonsense: 1 });
  assert.equal(errors.customfield_10030, "Field 'customfield_10030' cannot be set. It is not on the appropriate screen, or unknown.");
  assert.equal(errors.nonsense, "Field 'nonsense' cannot be set. It is not on the appropriate screen, or unknown.");
});

test('treats a blank summary as missing', () => {
  assert.equal(create('OPS', '10001', { summary: '   ' }).errors.summary, 'You must specify a summary of the issue.');
});

test('refuses a summary with a newline or over 255 characters', () => {
  assert.match(create('OPS', '10001', { summary: 'a\nb' }).errors.summary ?? '', /newline/);
  assert.match(create('OPS', '10001', { summary: 'x'.repeat(256) }).errors.summary ?? '', /less than 255/);
});

test('refuses a plain string in the description with the ADF message', () => {
  const { errors } = create('OPS', '10001', { summary: 'x', description: 'plain text' });
  assert.equal(errors.description, 'Operation value must be an Atlassian Document (see the Atlassian Document Format)');
});

test('checks textarea custom fields as ADF too', () => {
  assert.deepEqual(create('IT', '10010', { summary: 'x', customfield_10030: { id: '10100' }, customfield_10034: adf('VPN + badge') }).errors, {});
  assert.match(create('IT', '10010', { summary: 'x', customfield_10030: { id: '10100' }, customfield_10034: { type: 'doc' } }).errors.customfield_10034 ?? '', /^Invalid Atlassian Document/);
});

test('accepts select options by id or value and stores the full option', () => {
  const byId = create('IT', '10010', { summary: 'x', customfield_10030: { id: '10101' } });
  assert.deepEqual(byId.values.customfield_10030, { self: 'http://jira.test/rest/api/3/customFieldOption/10101', value: 'IT', id: '10101' });
  assert.equal((create('IT', '10010', { summary: 'x', customfield_10030: { value: 'Sales' } }).values.customfield_10030 as { id: string }).id, '10102');
});

test("refuses unknown options with Jira's option messages", () => {
  assert.equal(create('IT', '10010', { summary: 'x', customfield_10030: { value: 'Marketing' } }).errors.customfield_10030, "Option value 'Marketing' is not valid");
  assert.equal(create('IT', '10010', { summary: 'x', customfield_10030: { id: '999' } }).errors.customfield_10030, "Option id '999' is not valid");
  assert.match(create('IT', '10010', { summary: 'x', customfield_10030: 'Sales' }).errors.customfield_10030 ?? '', /'id' or 'value'/);
});

test('checks each option of a multi-select and wants an array', () => {
  const ok = create('IT', '10010', { summary: 'x', customfield_10030: { value: 'IT' }, customfield_10033: [{ value: 'Laptop' }, { id: '10111' }] });
  assert.deepEqual((ok.values.customfield_10033 as { value: string }[]).map((o) => o.value), ['Laptop', 'Monitor']);
  assert.equal(create('IT', '10010', { summary: 'x', customfield_10030: { value: 'IT' }, customfield_10033: [{ value: 'Desk' }] }).errors.customfield_10033, "Option value 'Desk' is not valid");
  assert.equal(create('IT', '10010', { summary: 'x', customfield_10030: { value: 'IT' }, customfield_10033: { value: 'Laptop' } }).errors.customfield_10033, 'data was not an array');
});

test('wants dates as YYYY-MM-DD and real days', () => {
  assert.deepEqual(create('OPS', '10001', { summary: 'x', duedate: '2026-02-28' }).errors, {});
  assert.equal(create('OPS', '10001', { summary: 'x', duedate: '2026/02/28' }).errors.duedate, 'Error parsing date string: 2026/02/28');
  assert.equal(create('OPS', '10001', { summary: 'x', duedate: '2026-02-30' }).errors.duedate, 'Error parsing date string: 2026-02-30');
});

test('wants datetimes in ISO 8601 with an offset', () => {
  assert.deepEqual(create('HR', '10011', { summary: 'x', customfield_10035: '2026-01-31T17:00:00.000+0000' }).errors, {});
  assert.deepEqual(create('HR', '10011', { summary: 'x', customfield_10035: '2026-01-31T17:00:00+01:00' }).errors, {});
  assert.match(create('HR', '10011', { summary: 'x', customfield_10035: '2026-01-31 17:00' }).errors.customfield_10035 ?? '', /Error parsing date string/);
});

test('wants numbers as JSON numbers', () => {
  assert.deepEqual(create('HR', '10011', { summary: 'x', customfield_10035: '2026-01-31T17:00:00Z', customfield_10036: 0.5 }).errors, {});
  assert.equal(create('HR', '10011', { summary: 'x', customfield_10035: '2026-01-31T17:00:00Z', customfield_10036: '0.5' }).errors.customfield_10036, 'Operation value must be a number');
});

test('refuses labels with spaces and labels that are not an array', () => {
  assert.equal(create('OPS', '10001', { summary: 'x', labels: ['new hire'] }).errors.labels, "The label 'new hire' contains spaces which is invalid.");
  assert.equal(create('OPS', '10001', { summary: 'x', labels: 'onboarding' }).errors.labels, 'data was not an array');
  assert.deepEqual(create('OPS', '10001', { summary: 'x', labels: ['a', 'b', 'a'] }).values.labels, ['a', 'b']);
});

test('takes a priority by id or name from the allowed values only', () => {
  assert.equal((create('OPS', '10001', { summary: 'x', priority: { name: 'High' } }).values.priority as { id: string }).id, '2');
  assert.equal((create('OPS', '10001', { summary: 'x', priority: { id: '5' } }).values.priority as { name: string }).name, 'Lowest');
  assert.equal(create('OPS', '10001', { summary: 'x', priority: { name: 'Urgent' } }).errors.priority, "Specify a valid 'id' or 'name' for Priority");
});

test("takes components by id or name from the project's list", () => {
  const { values } = create('IT', '10001', { summary: 'x', components: [{ id: '10050' }, { name: 'Accounts' }] });
  assert.deepEqual((values.components as { name: string }[]).map((c) => c.name), ['Hardware', 'Accounts']);
  assert.equal(create('IT', '10001', { summary: 'x', components: [{ id: '999' }] }).errors.components, "Component with id '999' does not exist.");
  assert.equal(create('IT', '10001', { summary: 'x', components: [{ name: 'Desks' }] }).errors.components, "Component name 'Desks' is not valid");
});

test('takes users by accountId only, and only existing active assignees', () => {
  const { values } = create('OPS', '10001', { summary: 'x', assignee: { accountId: DEMO_ACCOUNT_ID } });
  assert.equal((values.assignee as { displayName: string }).displayName, 'Demo Admin');
  assert.match(create('OPS', '10001', { summary: 'x', assignee: { name: 'demo' } }).errors.assignee ?? '', /'name' and 'key'.*accountId/);
  assert.equal(create('OPS', '10001', { summary: 'x', assignee: { accountId: 'nobody' } }).errors.assignee, "User 'nobody' cannot be assigned issues.");
  assert.equal(create('OPS', '10001', { summary: 'x', assignee: { accountId: 'gone-1' } }).errors.assignee, "User 'gone-1' cannot be assigned issues.");
});

test('collects every problem in one pass', () => {
  const { errors } = create('IT', '10010', { description: 'text', labels: ['a b'], customfield_10031: 'soon' });
  assert.deepEqual(Object.keys(errors).sort(), ['customfield_10030', 'customfield_10031', 'description', 'labels', 'summary']);
});

test('on edit ignores absent required fields but refuses clearing one', () => {
  assert.deepEqual(edit('IT', '10010', { customfield_10032: 'E-1' }).errors, {});
  assert.equal(edit('IT', '10010', { customfield_10030: null }).errors.customfield_10030, 'Department is required.');
  assert.equal(edit('IT', '10010', { summary: '' }).errors.summary, 'You must specify a summary of the issue.');
});

test('on edit clears optional fields to null, and arrays to empty', () => {
  const { values } = edit('IT', '10010', { customfield_10032: null, labels: null, customfield_10033: [] });
  assert.deepEqual(values, { customfield_10032: null, labels: [], customfield_10033: [] });
});

test('on edit refuses project and issue type as fields that cannot be set', () => {
  const { errors } = edit('OPS', '10001', { project: { key: 'IT' } });
  assert.match(errors.project ?? '', /cannot be set/);
});

test('checks cascading selects, multi-user pickers and URL fields added by an admin', () => {
  const site = createState({ indexDelayMs: 0, burstLimit: 0 }, 'demo@example.com', true);
  const ref = { project: 'OPS', issueTypeId: '10001' };
  const location = addFieldToScreen(site, { ...ref, name: 'Location', type: 'cascadingselect', options: [{ value: 'Berlin', children: ['Floor 1', 'Floor 2'] }, 'Remote'] });
  const watchers = addFieldToScreen(site, { ...ref, name: 'Buddies', type: 'multiuserpicker' });
  const wiki = addFieldToScreen(site, { ...ref, name: 'Runbook', type: 'url' });
  const opsMetas = createMetaFields(site, findProject(site, 'OPS') as SimProject, '10001', ctx.origin);
  const check = (fields: Record<string, unknown>) => validateFields({ summary: 'x', ...fields }, opsMetas, 'create', ctx);

  const ok = check({ [location.id]: { value: 'Berlin', child: { value: 'Floor 2' } }, [watchers.id]: [{ accountId: DEMO_ACCOUNT_ID }], [wiki.id]: 'https://wiki.example.com/runbook' });
  assert.deepEqual(ok.errors, {});
  assert.equal((ok.values[location.id] as { child: { value: string } }).child.value, 'Floor 2');
  assert.equal(check({ [location.id]: { value: 'Berlin', child: { value: 'Floor 9' } } }).errors[location.id], "Option value 'Floor 9' is not valid for parent 'Berlin'");
  assert.equal(check({ [watchers.id]: [{ accountId: 'ghost' }] }).errors[watchers.id], "User 'ghost' does not exist.");
  assert.match(check({ [wiki.id]: 'not a url' }).errors[wiki.id] ?? '', /Not a valid URL/);
});
