import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jiraClient, onboarding, opsTask, testSim } from './jira-test-client.js';

test('/__sim needs no credentials', async () => {
  const { sim } = testSim();
  const anonymous = jiraClient(sim, null);
  assert.equal((await anonymous.get('/__sim/state')).status, 200);
});

test('state shows issues with fields, labels, properties, timestamps and counters', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', onboarding({ labels: ['onboarding'] }, { properties: [{ key: 'sync-meta', value: { sourceId: 'pf-1' } }] }));
  await jira.put('/rest/api/3/issue/IT-1', { fields: { customfield_10032: 'E-7' } });
  await jira.get('/rest/api/3/issue/IT-1');
  const { body } = await jira.get('/__sim/state');
  const [issue] = body.issues;
  assert.deepEqual([issue.key, issue.project, issue.issuetype.name, issue.deleted], ['IT-1', 'IT', 'Onboarding', false]);
  assert.deepEqual(issue.labels, ['onboarding']);
  assert.equal(issue.fields.customfield_10032, 'E-7');
  assert.deepEqual(issue.properties, { 'sync-meta': { sourceId: 'pf-1' } });
  assert.equal(issue.created, '2026-01-01T10:00:00.000+0000');
  assert.deepEqual(body.counters, { creates: 1, edits: 1, gets: 1 });
  assert.deepEqual(body.config, { indexDelayMs: 0, burstLimit: 0 });
  assert.deepEqual(body.projects.map((p: { key: string }) => p.key), ['IT', 'HR', 'OPS']);
  assert.ok(body.projects[0].issueTypes[1].fields.some((f: { fieldId: string; required: boolean }) => f.fieldId === 'customfield_10030' && f.required));
  assert.equal(body.users.length, 5);
});

test('reset returns to the seed and forgets issues and counters', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', opsTask());
  await jira.post('/__sim/projects', { key: 'FAC', name: 'Facilities' });
  assert.equal((await jira.post('/__sim/reset')).status, 204);
  const { body } = await jira.get('/__sim/state');
  assert.deepEqual([body.issues.length, body.projects.length, body.counters], [0, 3, {}]);
  assert.equal((await jira.post('/rest/api/3/issue', opsTask())).body.key, 'OPS-1');
});

test('config sets the index delay and burst limit, refusing unknown or bad values', async () => {
  const { jira } = testSim();
  assert.deepEqual((await jira.post('/__sim/config', { indexDelayMs: 500, burstLimit: 10 })).body, { indexDelayMs: 500, burstLimit: 10 });
  const bad = await jira.post('/__sim/config', { indexDelayMs: -1 });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /indexDelayMs/);
  assert.equal((await jira.post('/__sim/config', { colour: 'red' })).status, 400);
  assert.equal((await jira.post('/__sim/config', '{not json')).status, 400);
});

test('adds a project whose createmeta and board appear at once', async () => {
  const { jira } = testSim();
  const created = await jira.post('/__sim/projects', { key: 'FAC', name: 'Facilities', issueTypes: [{ name: 'Task' }, { name: 'Repair' }] });
  assert.equal(created.status, 201);
  assert.deepEqual(created.body, { id: '10003', key: 'FAC', name: 'Facilities', issueTypeIds: ['10001', '10100'] });
  assert.equal((await jira.get('/rest/api/3/issue/createmeta/FAC/issuetypes')).body.total, 2);
  assert.equal((await jira.get('/rest/agile/1.0/board?projectKeyOrId=FAC')).body.total, 1);
  assert.equal((await jira.post('/rest/api/3/issue', { fields: { project: { key: 'FAC' }, issuetype: { name: 'Repair' }, summary: 'Door' } })).body.key, 'FAC-1');
  assert.equal((await jira.post('/__sim/projects', { key: 'FAC', name: 'Again' })).status, 400);
});

test('adds a user who can then be assigned', async () => {
  const { jira } = testSim();
  const user = (await jira.post('/__sim/users', { displayName: 'New Hire', emailAddress: 'new.hire@example.com', accountId: 'acc-new' })).body;
  assert.equal(user.accountId, 'acc-new');
  assert.equal((await jira.post('/rest/api/3/issue', opsTask({ assignee: { accountId: 'acc-new' } }))).status, 201);
  assert.equal((await jira.post('/__sim/users', { displayName: 'No email' })).status, 400);
});

test('a field made required starts failing creates that leave it out', async () => {
  const { jira } = testSim();
  assert.equal((await jira.post('/__sim/fields/required', { project: 'IT', issueTypeId: '10010', fieldId: 'customfield_10031', required: true })).status, 204);
  const res = await jira.post('/rest/api/3/issue', onboarding());
  assert.deepEqual(res.body.errors, { customfield_10031: 'Start date is required.' });
  assert.equal((await jira.post('/__sim/fields/required', { project: 'IT', issueTypeId: '10010', fieldId: 'nope', required: true })).status, 404);
});

test('a removed option is refused from then on', async () => {
  const { jira } = testSim();
  assert.equal((await jira.post('/__sim/fields/remove-option', { fieldId: 'customfield_10030', value: 'Engineering' })).status, 200);
  assert.deepEqual((await jira.post('/rest/api/3/issue', onboarding())).body.errors, { customfield_10030: "Option value 'Engineering' is not valid" });
  assert.equal((await jira.post('/__sim/fields/remove-option', { fieldId: 'customfield_10030' })).status, 400);
});

test('a field removed from the screen cannot be set any more', async () => {
  const { jira } = testSim();
  assert.equal((await jira.post('/__sim/fields/remove', { project: 'IT', issueTypeId: '10010', fieldId: 'customfield_10032' })).status, 204);
  const res = await jira.post('/rest/api/3/issue', onboarding({ customfield_10032: 'E-1' }));
  assert.match(res.body.errors.customfield_10032, /cannot be set/);
});

test('a new required custom field shows in createmeta and is enforced', async () => {
  const { jira } = testSim();
  const added = await jira.post('/__sim/fields/add', { project: 'OPS', issueTypeId: '10001', name: 'Cost centre', type: 'select', options: ['CC-1'], required: true });
  assert.equal(added.status, 201);
  const fieldId = added.body.id;
  const meta = (await jira.get('/rest/api/3/issue/createmeta/OPS/issuetypes/10001')).body.fields;
  assert.ok(meta.some((f: { fieldId: string; required: boolean }) => f.fieldId === fieldId && f.required));
  assert.deepEqual((await jira.post('/rest/api/3/issue', opsTask())).body.errors, { [fieldId]: 'Cost centre is required.' });
  assert.equal((await jira.post('/rest/api/3/issue', opsTask({ [fieldId]: { value: 'CC-1' } }))).status, 201);
  assert.equal((await jira.post('/__sim/fields/add', { project: 'OPS', issueTypeId: '10001', name: 'Bad', type: 'colour' })).status, 400);
});

test('deleting an issue through /__sim leaves a tombstone in state', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', opsTask());
  assert.equal((await jira.del('/__sim/issues/OPS-1')).status, 204);
  assert.equal((await jira.get('/rest/api/3/issue/OPS-1')).status, 404);
  assert.equal((await jira.get('/__sim/state')).body.issues[0].deleted, true);
  assert.equal((await jira.del('/__sim/issues/OPS-1')).status, 404);
});

test('an injected 429 carries Retry-After and then clears', async () => {
  const { jira } = testSim();
  assert.equal((await jira.post('/__sim/faults', { kind: 'status', status: 429, retryAfterSeconds: 7, match: 'POST /rest/api/3/issue$' })).status, 201);
  const limited = await jira.post('/rest/api/3/issue', opsTask());
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '7');
  assert.deepEqual(limited.body, { errorMessages: ['Rate limit exceeded.'], errors: {} });
  assert.equal((await jira.post('/rest/api/3/issue', opsTask())).status, 201);
  assert.equal((await jira.get('/__sim/state')).body.counters.creates, 1);
});
