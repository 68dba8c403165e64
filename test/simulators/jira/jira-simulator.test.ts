import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createJiraSimulator, startJiraSimulator } from '../../../src/simulators/jira/jira-simulator.js';
import { DEMO_AUTH, jiraClient, opsTask, testSim } from './jira-test-client.js';

test('refuses REST calls without valid credentials', async () => {
  const { sim } = testSim();
  const anonymous = await jiraClient(sim, null).get('/rest/api/3/project/search');
  assert.equal(anonymous.status, 401);
  assert.deepEqual(anonymous.body, { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
  assert.equal((await jiraClient(sim, `Basic ${Buffer.from('demo@example.com:nope').toString('base64')}`).get('/rest/api/3/myself')).status, 401);
});

test('uses the email and token it was given', async () => {
  const sim = createJiraSimulator({ email: 'bot@corp.example', apiToken: 's3cret' });
  const jira = jiraClient(sim, `Basic ${Buffer.from('bot@corp.example:s3cret').toString('base64')}`);
  assert.equal((await jira.get('/rest/api/3/myself')).body.emailAddress, 'bot@corp.example');
  assert.equal((await jiraClient(sim).get('/rest/api/3/myself')).status, 401);
});

test('an unseeded simulator has no projects but knows the signed-in account', async () => {
  const jira = jiraClient(createJiraSimulator({ seed: false }));
  assert.equal((await jira.get('/rest/api/3/project/search')).body.total, 0);
  assert.equal((await jira.get('/rest/api/3/myself')).status, 200);
});

test('answers unknown REST paths with a Jira-style 404', async () => {
  const { jira } = testSim();
  const res = await jira.get('/rest/api/3/nothing-here');
  assert.equal(res.status, 404);
  assert.deepEqual(res.body.errorMessages, ['No resource at GET /rest/api/3/nothing-here.']);
});

test('applies the configured burst limit to REST calls', async () => {
  const { sim, jira } = testSim();
  sim.configure({ burstLimit: 1 });
  assert.equal((await jira.get('/rest/api/3/myself')).status, 200);
  const res = await jira.get('/rest/api/3/myself');
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('ratelimit-reason'), 'jira-burst-based');
});

test('methods change the site the way the /__sim routes do', async () => {
  const { sim, jira } = testSim();
  sim.addProject({ key: 'FAC', name: 'Facilities' });
  sim.addUser({ displayName: 'Pat', emailAddress: 'pat@example.com' });
  sim.setFieldRequired({ project: 'FAC', issueTypeId: '10001', fieldId: 'duedate', required: true });
  const refused = await jira.post('/rest/api/3/issue', { fields: { project: { key: 'FAC' }, issuetype: { id: '10001' }, summary: 'x' } });
  assert.deepEqual(refused.body.errors, { duedate: 'Due date is required.' });
  await jira.post('/rest/api/3/issue', opsTask());
  sim.deleteIssue('OPS-1');
  assert.equal(sim.snapshot().issues[0]?.deleted, true);
  assert.throws(() => sim.deleteIssue('OPS-1'), /No issue 'OPS-1'/);
});

test('reset also clears injected faults and restores the starting config', async () => {
  const { sim, jira } = testSim({ indexDelayMs: 250 });
  sim.faults.add({ kind: 'status', status: 503 });
  sim.configure({ indexDelayMs: 9_000, burstLimit: 3 });
  sim.reset();
  assert.deepEqual(sim.state.config, { indexDelayMs: 250, burstLimit: 0 });
  assert.equal((await jira.get('/rest/api/3/myself')).status, 200);
});

test('serves over HTTP on a free port and closes cleanly', async () => {
  const server = await startJiraSimulator({ port: 0 });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/rest/api/3/issue`, {
      method: 'POST',
      headers: { Authorization: DEMO_AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify(opsTask()),
    });
    assert.equal(res.status, 201);
    assert.equal(((await res.json()) as { self: string }).self, `${server.url}/rest/api/3/issue/10000`);
    assert.equal(server.sim.snapshot().issues.length, 1);
  } finally {
    await server.close();
  }
});

test('a dropped-connection fault fails the client request on a real socket', async () => {
  const server = await startJiraSimulator({ port: 0 });
  try {
    server.sim.faults.add({ kind: 'drop' });
    await assert.rejects(fetch(`${server.url}/rest/api/3/myself`, { headers: { Authorization: DEMO_AUTH } }));
    assert.equal((await fetch(`${server.url}/rest/api/3/myself`, { headers: { Authorization: DEMO_AUTH } })).status, 200);
  } finally {
    await server.close();
  }
});
