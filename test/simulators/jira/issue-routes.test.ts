import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adf, onboarding, opsTask, testSim } from './jira-test-client.js';

const NOT_FOUND = { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} };

test('creates an issue with a project key, issue type id and a valid ADF description', async () => {
  const { jira } = testSim();
  const res = await jira.post('/rest/api/3/issue', onboarding({ description: adf('Welcome aboard'), labels: ['onboarding'] }));
  assert.equal(res.status, 201);
  assert.deepEqual(res.body, { id: '10000', key: 'IT-1', self: 'http://localhost/rest/api/3/issue/10000' });
});

test('numbers keys per project and ids across the site', async () => {
  const { jira } = testSim();
  const keys = [];
  for (const body of [onboarding(), opsTask(), onboarding()]) keys.push((await jira.post('/rest/api/3/issue', body)).body);
  assert.deepEqual(keys.map((k: { id: string; key: string }) => [k.id, k.key]), [['10000', 'IT-1'], ['10001', 'OPS-1'], ['10002', 'IT-2']]);
});

test('accepts the project by id and the issue type by name', async () => {
  const { jira } = testSim();
  const res = await jira.post('/rest/api/3/issue', { fields: { project: { id: '10001' }, issuetype: { name: 'Offboarding' }, summary: 'Leaver', customfield_10035: '2026-02-27T17:00:00.000+0000' } });
  assert.equal(res.status, 201);
  assert.equal(res.body.key, 'HR-1');
});

test('refuses an unknown project or issue type before looking at other fields', async () => {
  const { jira } = testSim();
  assert.deepEqual((await jira.post('/rest/api/3/issue', { fields: { project: { key: 'NOPE' }, summary: 'x' } })).body, { errorMessages: [], errors: { project: 'Specify a valid project ID or key' } });
  assert.deepEqual((await jira.post('/rest/api/3/issue', { fields: { project: { key: 'IT' } } })).body.errors, { issuetype: 'Specify an issue type' });
  assert.deepEqual((await jira.post('/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { id: '10010' } } })).body.errors, { issuetype: 'Specify a valid issue type' });
});

test('answers every field problem at once in one 400', async () => {
  const { jira } = testSim();
  const res = await jira.post('/rest/api/3/issue', {
    fields: { project: { key: 'IT' }, issuetype: { id: '10010' }, description: 'plain', customfield_10030: { value: 'Marketing' }, customfield_10099: 'x' },
  });
  assert.equal(res.status, 400);
  assert.deepEqual(res.body, {
    errorMessages: [],
    errors: {
      summary: 'You must specify a summary of the issue.',
      description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
      customfield_10030: "Option value 'Marketing' is not valid",
      customfield_10099: "Field 'customfield_10099' cannot be set. It is not on the appropriate screen, or unknown.",
    },
  });
});

test('refuses a body that is not JSON, or whose fields are not an object', async () => {
  const { jira } = testSim();
  const broken = await jira.post('/rest/api/3/issue', '{"fields":');
  assert.equal(broken.status, 400);
  assert.deepEqual(broken.body.errorMessages, ['The request body is not valid JSON.']);
  assert.equal((await jira.post('/rest/api/3/issue', { fields: [] })).status, 400);
});

test('gets an issue with all fields, project, issue type, timestamps and labels', async () => {
  const { jira, clock } = testSim();
  await jira.post('/rest/api/3/issue', onboarding({ labels: ['onboarding'], customfield_10033: [{ value: 'Laptop' }] }));
  clock.advance(60_000);
  const res = await jira.get('/rest/api/3/issue/IT-1');
  assert.equal(res.status, 200);
  const { fields } = res.body;
  assert.deepEqual([res.body.id, res.body.key], ['10000', 'IT-1']);
  assert.deepEqual([fields.project.key, fields.project.name, fields.issuetype.name], ['IT', 'IT Service', 'Onboarding']);
  assert.equal(fields.created, '2026-01-01T10:00:00.000+0000');
  assert.equal(fields.updated, '2026-01-01T10:00:00.000+0000');
  assert.deepEqual(fields.labels, ['onboarding']);
  assert.equal(fields.priority.name, 'Medium');
  assert.equal(fields.customfield_10030.value, 'Engineering');
  assert.equal(fields.customfield_10031, null);
  assert.equal('properties' in res.body, false);
});

test('gets only the requested fields and properties, by id or lower-case key', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', onboarding({}, { properties: [{ key: 'sync-meta', value: { sourceId: 'pf-42' } }, { key: 'other', value: 1 }] }));
  const res = await jira.get('/rest/api/3/issue/10000?fields=summary,labels&properties=sync-meta');
  assert.deepEqual(Object.keys(res.body.fields).sort(), ['labels', 'summary']);
  assert.deepEqual(res.body.properties, { 'sync-meta': { sourceId: 'pf-42' } });
  const excluded = await jira.get('/rest/api/3/issue/it-1?fields=*all,-description&properties=*all');
  assert.equal('description' in excluded.body.fields, false);
  assert.deepEqual(Object.keys(excluded.body.properties), ['sync-meta', 'other']);
});

test('edits fields, moving updated only when something changed', async () => {
  const { jira, clock } = testSim();
  await jira.post('/rest/api/3/issue', onboarding());
  clock.advance(5 * 60_000);
  assert.equal((await jira.put('/rest/api/3/issue/IT-1', { fields: { summary: 'Onboard Ada (updated)', customfield_10032: 'E-1001' } })).status, 204);
  const first = (await jira.get('/rest/api/3/issue/IT-1')).body.fields;
  assert.deepEqual([first.summary, first.customfield_10032, first.updated], ['Onboard Ada (updated)', 'E-1001', '2026-01-01T10:05:00.000+0000']);
  clock.advance(5 * 60_000);
  assert.equal((await jira.put('/rest/api/3/issue/IT-1', { fields: { summary: 'Onboard Ada (updated)' } })).status, 204);
  assert.equal((await jira.get('/rest/api/3/issue/IT-1')).body.fields.updated, '2026-01-01T10:05:00.000+0000');
});

test('edits labels with update add and remove operations', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', onboarding({ labels: ['a', 'b'] }));
  await jira.put('/rest/api/3/issue/IT-1', { update: { labels: [{ add: 'c' }, { remove: 'a' }, { add: 'b' }] } });
  assert.deepEqual((await jira.get('/rest/api/3/issue/IT-1')).body.fields.labels, ['b', 'c']);
});

test('refuses a field named in both fields and update', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', onboarding());
  const res = await jira.put('/rest/api/3/issue/IT-1', { fields: { labels: ['x'] }, update: { labels: [{ add: 'y' }] } });
  assert.equal(res.status, 400);
  assert.match(res.body.errors.labels, /both 'fields' and 'update'/);
});

test('on edit refuses clearing a required field and setting one off the screen', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', onboarding());
  const res = await jira.put('/rest/api/3/issue/IT-1', { fields: { customfield_10030: null, customfield_10035: '2026-01-01T00:00:00Z' } });
  assert.equal(res.status, 400);
  assert.deepEqual(res.body.errors, {
    customfield_10030: 'Department is required.',
    customfield_10035: "Field 'customfield_10035' cannot be set. It is not on the appropriate screen, or unknown.",
  });
});

test('returns the edited issue when returnIssue=true', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', opsTask());
  const res = await jira.put('/rest/api/3/issue/OPS-1?returnIssue=true', { fields: { duedate: '2026-03-01' } });
  assert.equal(res.status, 200);
  assert.equal(res.body.fields.duedate, '2026-03-01');
});

test('deletes an issue, after which get, edit and delete answer the contract 404', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', opsTask());
  assert.equal((await jira.del('/rest/api/3/issue/OPS-1')).status, 204);
  for (const res of [await jira.get('/rest/api/3/issue/OPS-1'), await jira.put('/rest/api/3/issue/OPS-1', { fields: { summary: 'x' } }), await jira.del('/rest/api/3/issue/OPS-1')]) {
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
  }
  assert.equal((await jira.post('/rest/api/3/issue', opsTask())).body.key, 'OPS-2');
});

test('stores, lists, reads, updates and deletes entity properties', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', opsTask());
  assert.equal((await jira.put('/rest/api/3/issue/OPS-1/properties/sync-meta', { sourceId: 'abc-123' })).status, 201);
  assert.equal((await jira.put('/rest/api/3/issue/OPS-1/properties/sync-meta', { sourceId: 'abc-124' })).status, 200);
  assert.deepEqual((await jira.get('/rest/api/3/issue/OPS-1/properties/sync-meta')).body, { key: 'sync-meta', value: { sourceId: 'abc-124' } });
  assert.deepEqual((await jira.get('/rest/api/3/issue/OPS-1/properties')).body, {
    keys: [{ key: 'sync-meta', self: 'http://localhost/rest/api/3/issue/10000/properties/sync-meta' }],
  });
  assert.equal((await jira.del('/rest/api/3/issue/OPS-1/properties/sync-meta')).status, 204);
  assert.equal((await jira.get('/rest/api/3/issue/OPS-1/properties/sync-meta')).status, 404);
  assert.equal((await jira.del('/rest/api/3/issue/OPS-1/properties/sync-meta')).status, 404);
});

test('refuses a property value over 32 KB and properties of a missing issue', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', opsTask());
  const big = await jira.put('/rest/api/3/issue/OPS-1/properties/blob', { data: 'x'.repeat(33_000) });
  assert.equal(big.status, 400);
  assert.match(big.body.errorMessages[0], /too large/);
  assert.equal((await jira.put('/rest/api/3/issue/OPS-9/properties/k', 1)).status, 404);
  const viaCreate = await jira.post('/rest/api/3/issue', { ...opsTask(), properties: [{ key: 'blob', value: 'x'.repeat(33_000) }] });
  assert.equal(viaCreate.status, 400);
  assert.match(viaCreate.body.errorMessages[0], /too large/);
});

test('sets properties through edit too', async () => {
  const { jira } = testSim();
  await jira.post('/rest/api/3/issue', opsTask());
  await jira.put('/rest/api/3/issue/OPS-1', { properties: [{ key: 'sync-meta', value: { v: 2 } }] });
  assert.deepEqual((await jira.get('/rest/api/3/issue/OPS-1/properties/sync-meta')).body.value, { v: 2 });
});
