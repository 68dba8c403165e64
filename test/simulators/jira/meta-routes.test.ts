import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testSim } from './jira-test-client.js';

test('myself describes the signed-in account', async () => {
  const { jira } = testSim();
  const res = await jira.get('/rest/api/3/myself');
  assert.equal(res.status, 200);
  assert.deepEqual(
    [res.body.accountId, res.body.displayName, res.body.emailAddress, res.body.active, res.body.timeZone],
    ['5f0c1a2b3c4d5e6f70000001', 'Demo Admin', 'demo@example.com', true, 'UTC'],
  );
});

test('project search pages and filters by key or name, case-insensitively', async () => {
  const { jira } = testSim();
  const all = await jira.get('/rest/api/3/project/search');
  assert.deepEqual(all.body.values.map((p: { key: string }) => p.key), ['IT', 'HR', 'OPS']);
  assert.deepEqual([all.body.total, all.body.isLast, all.body.startAt, all.body.maxResults], [3, true, 0, 50]);
  assert.deepEqual(Object.keys(all.body.values[0]).sort(), ['id', 'key', 'name', 'projectTypeKey', 'self', 'simplified', 'style']);
  const page = await jira.get('/rest/api/3/project/search?startAt=1&maxResults=1');
  assert.deepEqual([page.body.values[0].key, page.body.isLast, page.body.total], ['HR', false, 3]);
  assert.match(page.body.nextPage, /startAt=2&maxResults=1$/);
  assert.deepEqual((await jira.get('/rest/api/3/project/search?query=people')).body.values.map((p: { key: string }) => p.key), ['HR']);
  assert.deepEqual((await jira.get('/rest/api/3/project/search?query=op')).body.values.map((p: { key: string }) => p.key), ['HR', 'OPS']);
});

test('refuses a negative startAt', async () => {
  const { jira } = testSim();
  assert.equal((await jira.get('/rest/api/3/project/search?startAt=-1')).status, 400);
});

test('boards list with their project location, filtered by project, name and type', async () => {
  const { jira } = testSim();
  const all = await jira.get('/rest/agile/1.0/board');
  assert.equal(all.body.total, 3);
  assert.deepEqual(all.body.values[0].location.projectKey, 'IT');
  const ops = await jira.get('/rest/agile/1.0/board?projectKeyOrId=OPS');
  assert.deepEqual(ops.body.values.map((b: { type: string }) => b.type), ['scrum']);
  assert.equal((await jira.get('/rest/agile/1.0/board?projectKeyOrId=10001')).body.values[0].location.projectKey, 'HR');
  assert.equal((await jira.get('/rest/agile/1.0/board?type=kanban,simple')).body.total, 2);
  assert.equal((await jira.get('/rest/agile/1.0/board?name=ops')).body.total, 1);
  assert.equal((await jira.get('/rest/agile/1.0/board?projectKeyOrId=NOPE')).status, 400);
});

test('createmeta lists issue types per project with startAt/maxResults/total', async () => {
  const { jira } = testSim();
  const res = await jira.get('/rest/api/3/issue/createmeta/IT/issuetypes');
  assert.deepEqual(res.body.issueTypes.map((t: { id: string; name: string }) => [t.id, t.name]), [['10001', 'Task'], ['10010', 'Onboarding']]);
  assert.deepEqual([res.body.startAt, res.body.maxResults, res.body.total], [0, 50, 2]);
  const second = await jira.get('/rest/api/3/issue/createmeta/10000/issuetypes?startAt=1&maxResults=1');
  assert.deepEqual([second.body.issueTypes.length, second.body.issueTypes[0].name, second.body.total], [1, 'Onboarding', 2]);
});

test('createmeta pages the fields of an issue type until startAt + length reaches total', async () => {
  const { jira } = testSim();
  const fields: { fieldId: string }[] = [];
  let startAt = 0;
  let total = Infinity;
  while (startAt < total) {
    const res = await jira.get(`/rest/api/3/issue/createmeta/IT/issuetypes/10010?startAt=${startAt}&maxResults=4`);
    fields.push(...res.body.fields);
    total = res.body.total;
    startAt += res.body.fields.length;
  }
  assert.equal(fields.length, 14);
  assert.deepEqual(fields.slice(0, 3).map((f) => f.fieldId), ['issuetype', 'project', 'summary']);
  assert.ok(fields.some((f) => f.fieldId === 'customfield_10034'));
});

test('createmeta field entries carry schema, required, allowed values and defaults', async () => {
  const { jira } = testSim();
  const { fields } = (await jira.get('/rest/api/3/issue/createmeta/IT/issuetypes/10010')).body;
  const byId = Object.fromEntries(fields.map((f: { fieldId: string }) => [f.fieldId, f]));
  assert.deepEqual(byId.customfield_10030.schema, { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10030 });
  assert.equal(byId.customfield_10030.required, true);
  assert.deepEqual(byId.customfield_10030.allowedValues.map((v: { value: string }) => v.value), ['Engineering', 'IT', 'Sales', 'Finance', 'HR', 'Operations']);
  assert.deepEqual([byId.priority.hasDefaultValue, byId.priority.defaultValue.name], [true, 'Medium']);
  assert.deepEqual(byId.components.allowedValues.map((c: { name: string }) => c.name), ['Hardware', 'Accounts']);
  assert.deepEqual(byId.labels.schema, { type: 'array', items: 'string', system: 'labels' });
  assert.equal(byId.customfield_10034.schema.custom, 'com.atlassian.jira.plugin.system.customfieldtypes:textarea');
});

test('createmeta answers 404 with a Jira error body for an unknown project or issue type', async () => {
  const { jira } = testSim();
  const project = await jira.get('/rest/api/3/issue/createmeta/NOPE/issuetypes');
  assert.equal(project.status, 404);
  assert.deepEqual(project.body, { errorMessages: ["No project could be found with key 'NOPE'."], errors: {} });
  const type = await jira.get('/rest/api/3/issue/createmeta/OPS/issuetypes/10010');
  assert.equal(type.status, 404);
  assert.match(type.body.errorMessages[0], /10010/);
});

test('the deprecated createmeta endpoint answers 404', async () => {
  const { jira } = testSim();
  const res = await jira.get('/rest/api/3/issue/createmeta?projectKeys=IT&expand=projects.issuetypes.fields');
  assert.equal(res.status, 404);
  assert.match(res.body.errorMessages[0], /deprecated createmeta/);
});

test('user search matches display names and emails case-insensitively', async () => {
  const { jira } = testSim();
  const res = await jira.get('/rest/api/3/user/search?query=IT.');
  assert.deepEqual(res.body.map((u: { emailAddress: string }) => u.emailAddress), ['it.lead@example.com', 'it.support@example.com']);
  assert.deepEqual(Object.keys(res.body[0]).sort(), ['accountId', 'accountType', 'active', 'displayName', 'emailAddress', 'self', 'timeZone']);
  assert.equal(res.body[0].accountType, 'atlassian');
  assert.deepEqual((await jira.get('/rest/api/3/user/search?query=hana')).body.map((u: { displayName: string }) => u.displayName), ['Hana Reyes']);
  assert.equal((await jira.get('/rest/api/3/user/search')).status, 400);
});
