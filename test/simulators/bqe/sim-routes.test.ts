import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bqeFixture, q } from './bqe-fixture.js';

const setup = (options: Parameters<typeof bqeFixture>[0] = {}) => {
  const f = bqeFixture(options);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await f.sim.app.request(`/__sim${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return { ...f, call };
};

test('shows counts, config, counters and registered clients without auth', async () => {
  const { call } = setup();
  const { status, body } = await call('GET', '/state');
  assert.equal(status, 200);
  assert.deepEqual(body.counts, { projects: 60, clients: 15, activities: 12, projectsByLevel: body.counts.projectsByLevel });
  assert.equal(body.counts.projectsByLevel.reduce((a: number, b: number) => a + b, 0), 60);
  assert.equal(body.config.rateLimitPerMinute, 100);
  assert.equal(body.config.strictUtcOffset, true);
  assert.equal(body.legacyIdField, 'legacyId');
  assert.deepEqual(body.registeredClients, [
    {
      clientId: 'switchyardsimulatorbqecoreclient.apps.bqe.com',
      tenant: 'switchyard-demo',
      apiPath: '/t/switchyard-demo/api/',
      redirectUris: ['http://127.0.0.1:3000/admin/bqe/oauth/callback', 'http://localhost:3000/admin/bqe/oauth/callback'],
    },
  ]);
  assert.equal(JSON.stringify(body).includes('switchyard-bqe-sim-secret'), false, 'the state never shows the secret');
  assert.deepEqual(body.requests, []);
});

test('logs each request with its query object, X-UTC-OFFSET and whether Authorization was sent', async () => {
  const f = setup();
  await f.signIn();
  await f.api(`/project?page=1,10&where=${q('parentId is null')}&orderBy=${q('lastUpdated asc')}`, { 'X-UTC-OFFSET': '-300' });
  await f.api('/project?page=1,1&page=2,1');
  const { body } = await f.call('GET', '/state');
  assert.deepEqual(body.requests.map((r: { method: string; path: string; status: number }) => `${r.method} ${r.path} ${r.status}`), [
    'GET /idp/connect/authorize 302',
    'POST /idp/connect/token 200',
    'GET /t/switchyard-demo/api/project 200',
    'GET /t/switchyard-demo/api/project 400',
  ]);
  const list = body.requests[2];
  assert.deepEqual(list.query, { page: '1,10', where: 'parentId is null', orderBy: 'lastUpdated asc' });
  assert.equal(list.utcOffset, '-300');
  assert.equal(list.authorization, true);
  assert.equal(list.at, '2026-01-14T10:00:00.000Z');
  assert.deepEqual(body.requests[3].query, { page: ['1,1', '2,1'] });
  assert.equal(body.requests[0].authorization, false);
  assert.deepEqual(f.sim.requests(), body.requests);
  assert.equal(body.counters.codesIssued, 1);
  assert.equal(body.counters.tokensIssued, 2, 'the browser flow and the fixture’s direct token');
  assert.equal(body.counters.apiRequests, 2);
  assert.equal(body.counters.badRequests, 1);
});

test('keeps only the configured number of recent requests', async () => {
  const f = setup({ requestLogSize: 2 });
  for (let i = 1; i <= 3; i++) await f.api(`/project?page=${i},1`);
  const { body } = await f.call('GET', '/state');
  assert.deepEqual(body.requests.map((r: { query: { page: string } }) => r.query.page), ['2,1', '3,1']);
  assert.equal(body.counters.requestsSeen, 3);
});

test('changes config through POST /__sim/config and refuses unknown or invalid settings', async () => {
  const { call, sim } = setup();
  const ok = await call('POST', '/config', { rateLimitPerMinute: 5, strictUtcOffset: false, pageRepeat: true, malformedResponse: 'missing_id', expiresInSeconds: 60 });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.config.rateLimitPerMinute, 5);
  assert.equal(sim.config().malformedResponse, 'missing_id');
  for (const bad of [{ pageSize: 5 }, { rateLimitPerMinute: -1 }, { malformedResponse: 'html' }, { defaultPageSize: 2000 }]) {
    const res = await call('POST', '/config', bad);
    assert.equal(res.status, 400, JSON.stringify(bad));
    assert.ok(typeof res.body.message === 'string');
  }
  assert.equal((await call('POST', '/config', '{oops')).status, 400);
  assert.equal((await call('GET', '/config')).body.config.expiresInSeconds, 60);
});

test('adds, changes and deletes projects over /__sim, touching lastUpdated', async () => {
  const f = setup();
  const added = await f.call('POST', '/projects', { name: "St. Mary's Bell Tower", status: 0 });
  assert.equal(added.status, 201);
  assert.equal(added.body.lastUpdated, '2026-01-14T10:00:00');
  f.clock.advance(61_000);
  const changed = await f.call('PATCH', `/projects/${added.body.id}`, { status: 2 });
  assert.equal(changed.body.lastUpdated, '2026-01-14T10:01:01');
  const { body } = await f.list(`/project?where=${q("lastUpdated >= '2026-01-14T10:01:00'")}`);
  assert.deepEqual(body.map((p) => p.id), [added.body.id]);
  assert.equal((await f.call('DELETE', `/projects/${added.body.id}`)).status, 204);
  assert.equal((await f.call('DELETE', `/projects/${added.body.id}`)).status, 404);
  assert.equal((await f.call('POST', '/projects', { name: '' })).status, 400);
  assert.equal((await f.call('POST', '/projects', { name: 'x', pageSize: 1 })).status, 400);
});

test('adds, changes and deletes clients over /__sim', async () => {
  const { call } = setup();
  const added = await call('POST', '/clients', { name: 'Fairview Housing Authority', legacyId: 991 });
  assert.equal(added.status, 201);
  assert.equal(added.body.legacyId, 991);
  assert.equal((await call('PATCH', `/clients/${added.body.id}`, { company: 'FHA' })).body.company, 'FHA');
  assert.equal((await call('DELETE', `/clients/${added.body.id}`)).status, 204);
  assert.equal((await call('GET', '/clients')).body.length, 15);
});

test('refuses to delete a client that projects use with 409', async () => {
  const { call, sim } = setup();
  const used = [...sim.data.projects.values()].find((p) => p.clientId)?.clientId as string;
  const res = await call('DELETE', `/clients/${used}`);
  assert.equal(res.status, 409);
  assert.match(res.body.message, /move or delete those first/);
});

test('expires access tokens and revokes refresh tokens on demand', async () => {
  const f = setup();
  const tokens = await f.signIn();
  assert.equal((await f.api('/project', { Authorization: `Bearer ${tokens.access_token}` })).status, 200);
  assert.deepEqual((await f.call('POST', '/tokens/expire')).body, { expired: 1 });
  assert.equal((await f.api('/project', { Authorization: `Bearer ${tokens.access_token}` })).status, 401);
  assert.deepEqual((await f.call('POST', '/tokens/revoke')).body, { revoked: 1 });
  const refresh = await f.token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string, ...f.credentials });
  assert.equal(refresh.status, 400);
  assert.equal((await f.call('GET', '/state')).body.tokens.activeRefreshTokens, 0);
});

test('injects faults from /__sim/faults and clears them with DELETE', async () => {
  const f = setup();
  const added = await f.call('POST', '/faults', { kind: 'status', status: 503, retryAfterSeconds: 2, count: 1, match: '^GET /t/.*/project$' });
  assert.equal(added.status, 201);
  const faulted = await f.api('/project');
  assert.equal(faulted.status, 503);
  assert.equal(faulted.headers.get('retry-after'), '2');
  assert.equal((await f.api('/project')).status, 200);
  await f.call('POST', '/faults', [{ kind: 'html', count: 5 }]);
  assert.match(await (await f.api('/project')).text(), /<html>/);
  assert.equal((await f.call('DELETE', '/faults')).status, 204);
  assert.equal((await f.api('/project')).status, 200);
  assert.equal((await f.call('GET', '/state')).body.counters.faultsInjected, 2);
});

test('faults can hit the token endpoint too', async () => {
  const f = setup();
  f.sim.faults.add({ kind: 'status', status: 500, match: '^POST /idp/connect/token$' });
  const code = (await f.callback()).get('code') as string;
  assert.equal((await f.exchange(code)).status, 500);
});

test('resets data, counters, the log and faults, keeping config and tokens', async () => {
  const f = setup();
  const before = [...f.sim.data.projects.keys()];
  f.sim.setConfig({ rateLimitPerMinute: 7 });
  f.sim.addProject({ name: 'Temporary' });
  f.sim.faults.add({ kind: 'status', status: 500, count: 10, match: '^GET /nothing' });
  await f.api('/project');
  f.clock.advance(3_600_000 - 1);
  const reset = await f.call('POST', '/reset');
  assert.deepEqual(reset.body, { projects: 60, clients: 15 });
  assert.deepEqual([...f.sim.data.projects.keys()], before, 'the same seeded records');
  const { body } = await f.call('GET', '/state');
  assert.equal(body.config.rateLimitPerMinute, 7);
  assert.deepEqual(body.requests, []);
  assert.deepEqual(body.faults, []);
  assert.equal(body.counters.apiRequests, 0);
  assert.equal((await f.api('/project')).status, 200, 'the token issued before the reset still works');
});
