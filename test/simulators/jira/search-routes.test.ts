import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onboarding, opsTask, testSim } from './jira-test-client.js';

const q = (jql: string, extra = '') => `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}${extra}`;

const seedIssues = async (jira: ReturnType<typeof testSim>['jira'], clock: ReturnType<typeof testSim>['clock']) => {
  await jira.post('/rest/api/3/issue', onboarding({ labels: ['onboarding', 'sy-1'] }));
  clock.advance(60 * 60_000);
  await jira.post('/rest/api/3/issue', onboarding({ labels: ['onboarding', 'sy-2'] }));
  clock.advance(60 * 60_000);
  await jira.post('/rest/api/3/issue', opsTask({ labels: ['sy-3'] }));
};

test('finds issues by project and label, returning only id, key and self by default', async () => {
  const { jira, clock } = testSim();
  await seedIssues(jira, clock);
  const res = await jira.get(q('project = IT AND labels = "sy-2"'));
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { issues: [{ id: '10001', key: 'IT-2', self: 'http://localhost/rest/api/3/issue/10001' }], isLast: true });
});

test('combines projects, labels, keys and issue types with AND, OR and parentheses', async () => {
  const { jira, clock } = testSim();
  await seedIssues(jira, clock);
  const keys = async (jql: string) => (await jira.get(q(jql))).body.issues.map((i: { key: string }) => i.key);
  assert.deepEqual(await keys('project in (IT, OPS) AND (labels = sy-1 OR labels = sy-3)'), ['OPS-1', 'IT-1']);
  assert.deepEqual(await keys('project = IT AND labels in ("sy-1", "sy-2") ORDER BY created ASC'), ['IT-1', 'IT-2']);
  assert.deepEqual(await keys('project = IT AND labels != sy-1'), ['IT-2']);
  assert.deepEqual(await keys('key in (IT-1, OPS-1)'), ['OPS-1', 'IT-1']);
  assert.deepEqual(await keys('project = OPS AND issuetype = Task'), ['OPS-1']);
});

test('filters by updated and created with absolute dates and periods', async () => {
  const { jira, clock } = testSim();
  await seedIssues(jira, clock);
  clock.advance(30 * 60_000);
  await jira.put('/rest/api/3/issue/IT-1', { fields: { summary: 'Touched' } });
  const keys = async (jql: string) => (await jira.get(q(jql))).body.issues.map((i: { key: string }) => i.key);
  assert.deepEqual(await keys('project = IT AND updated >= -30m ORDER BY updated DESC'), ['IT-1']);
  assert.deepEqual(await keys('project = IT AND created >= "2026-01-01 11:00"'), ['IT-2']);
  assert.deepEqual(await keys('project in (IT, OPS) AND updated >= -2d ORDER BY updated DESC'), ['IT-1', 'OPS-1', 'IT-2']);
});

test('returns the requested fields and properties, from GET lists or POST arrays', async () => {
  const { jira, clock } = testSim();
  await seedIssues(jira, clock);
  await jira.put('/rest/api/3/issue/OPS-1/properties/sync-meta', { sourceId: 'x' });
  const viaGet = await jira.get(q('project = OPS', '&fields=summary,labels&properties=sync-meta'));
  assert.deepEqual(viaGet.body.issues[0].fields, { labels: ['sy-3'], summary: 'Rotate backup keys' });
  assert.deepEqual(viaGet.body.issues[0].properties, { 'sync-meta': { sourceId: 'x' } });
  const viaPost = await jira.post('/rest/api/3/search/jql', { jql: 'project = OPS', fields: ['*navigable'], properties: ['sync-meta'] });
  assert.equal(viaPost.body.issues[0].fields.issuetype.name, 'Task');
});

test('pages with nextPageToken until isLast', async () => {
  const { jira } = testSim();
  for (let i = 0; i < 5; i++) await jira.post('/rest/api/3/issue', opsTask({ summary: `Task ${i}` }));
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const res = await jira.post('/rest/api/3/search/jql', { jql: 'project = OPS ORDER BY created ASC', maxResults: 2, nextPageToken: token });
    seen.push(...res.body.issues.map((i: { key: string }) => i.key));
    token = res.body.nextPageToken;
    assert.equal(res.body.isLast, token === undefined);
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.equal(seen.length, 5);
  assert.equal(new Set(seen).size, 5);
});

test('refuses a page token from another query, and caps maxResults at 100', async () => {
  const { jira } = testSim();
  for (let i = 0; i < 3; i++) await jira.post('/rest/api/3/issue', opsTask());
  const first = await jira.get(q('project = OPS', '&maxResults=1'));
  const wrong = await jira.get(q('project = IT', `&nextPageToken=${first.body.nextPageToken}`));
  assert.equal(wrong.status, 400);
  assert.equal((await jira.get(q('project = OPS', '&nextPageToken=garbage'))).status, 400);
  assert.equal((await jira.get(q('project = OPS', '&maxResults=0'))).status, 400);
  assert.equal((await jira.get(q('project = OPS', '&maxResults=5000'))).body.issues.length, 3);
});

test('refuses unbounded JQL with Jira\'s message', async () => {
  const { jira } = testSim();
  for (const jql of ['labels = x', 'project = IT OR labels = x', 'ORDER BY created DESC']) {
    const res = await jira.get(q(jql));
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'], errors: {} });
  }
  assert.equal((await jira.post('/rest/api/3/search/jql', {})).status, 400);
});

test('refuses a JQL syntax error naming the position', async () => {
  const { jira } = testSim();
  const res = await jira.get(q('project = IT AND (labels = x'));
  assert.equal(res.status, 400);
  assert.match(res.body.errorMessages[0], /^Error in the JQL Query: .*\(line 1, character 29\)$/);
});

test('refuses issue.property clauses as not indexed', async () => {
  const { jira } = testSim();
  const res = await jira.post('/rest/api/3/search/jql', { jql: 'project = IT AND issue.property[sync-meta].sourceId = "abc-123"' });
  assert.equal(res.status, 400);
  assert.match(res.body.errorMessages[0], /not indexed/);
});

test('hides a new issue from JQL until the index delay has passed', async () => {
  const { jira, clock } = testSim({ indexDelayMs: 2_000 });
  await jira.post('/rest/api/3/issue', opsTask({ labels: ['sy-9'] }));
  assert.deepEqual((await jira.get(q('project = OPS AND labels = sy-9'))).body.issues, []);
  clock.advance(2_000);
  assert.equal((await jira.get(q('project = OPS AND labels = sy-9'))).body.issues.length, 1);
});

test('matches a changed issue on its previously indexed labels until reindexed', async () => {
  const { jira, clock } = testSim({ indexDelayMs: 1_000 });
  await jira.post('/rest/api/3/issue', opsTask({ labels: ['old'] }));
  clock.advance(1_000);
  await jira.put('/rest/api/3/issue/OPS-1', { fields: { labels: ['new'] } });
  assert.equal((await jira.get(q('project = OPS AND labels = old'))).body.issues.length, 1);
  assert.equal((await jira.get(q('project = OPS AND labels = new'))).body.issues.length, 0);
  clock.advance(1_000);
  assert.equal((await jira.get(q('project = OPS AND labels = new'))).body.issues.length, 1);
});

test('reconcileIssues brings a just-written issue into the results', async () => {
  const { jira } = testSim({ indexDelayMs: 60_000 });
  const { id } = (await jira.post('/rest/api/3/issue', opsTask({ labels: ['sy-9'] }))).body;
  const viaPost = await jira.post('/rest/api/3/search/jql', { jql: 'project = OPS AND labels = sy-9', reconcileIssues: [Number(id)] });
  assert.deepEqual(viaPost.body.issues.map((i: { id: string }) => i.id), [id]);
  const viaGet = await jira.get(q('project = OPS AND labels = sy-9', `&reconcileIssues=${id}`));
  assert.equal(viaGet.body.issues.length, 1);
});

test('the config endpoint changes the index delay at run time', async () => {
  const { sim, jira } = testSim();
  await jira.post('/__sim/config', { indexDelayMs: 10_000 });
  await jira.post('/rest/api/3/issue', opsTask());
  assert.equal((await jira.get(q('project = OPS'))).body.issues.length, 0);
  assert.equal(sim.state.config.indexDelayMs, 10_000);
});

test('the removed /search endpoint answers 410 Gone for GET and POST', async () => {
  const { jira } = testSim();
  for (const res of [await jira.get('/rest/api/3/search?jql=project%20%3D%20IT'), await jira.post('/rest/api/3/search', { jql: 'project = IT' })]) {
    assert.equal(res.status, 410);
    assert.match(res.body.errorMessages[0], /^The requested API has been removed\. Please migrate to the \/rest\/api\/3\/search\/jql API/);
  }
});

test('counts searches in the simulator state', async () => {
  const { sim, jira } = testSim();
  await jira.get(q('project = IT'));
  await jira.post('/rest/api/3/search/jql', { jql: 'project = IT' });
  assert.equal(sim.snapshot().counters.searches, 2);
});
