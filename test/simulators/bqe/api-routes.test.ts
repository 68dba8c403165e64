import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, bqeFixture, q } from './bqe-fixture.js';

type Row = Record<string, unknown>;

test('lists projects as a bare JSON array of the contract fields', async () => {
  const f = bqeFixture();
  const { status, body, headers } = await f.list('/project?page=1,5');
  assert.equal(status, 200);
  assert.match(headers.get('content-type') ?? '', /application\/json/);
  assert.ok(Array.isArray(body));
  assert.equal(body.length, 5);
  assert.deepEqual(Object.keys(body[0] as Row), [
    'id', 'name', 'code', 'status', 'type', 'level', 'parentId', 'rootProjectId', 'clientId', 'managerId', 'contractType',
    'contractAmount', 'startDate', 'endDate', 'legacyId', 'customFields', 'createdOn', 'lastUpdated',
  ]);
  assert.match((body[0] as Row).lastUpdated as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
});

test('serves clients, activities and single records by GUID', async () => {
  const f = bqeFixture();
  const clients = await f.list('/client?page=1,100');
  assert.equal(clients.body.length, 15);
  assert.ok((clients.body as Row[]).some((c) => c.name === "O'Connell Development Group"));
  assert.equal((await f.list('/activity?page=0,1')).body.length, 1);
  const id = (clients.body[0] as Row).id as string;
  const one = await f.api(`/client/${id.toUpperCase()}`);
  assert.equal(((await one.json()) as Row).id, id);
  const missing = await f.api('/project/00000000-0000-4000-8000-000000000000');
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), { message: 'Project 00000000-0000-4000-8000-000000000000 was not found.' });
  assert.equal((await f.api('/employee')).status, 404);
});

test('refuses a request without a bearer token, or with an unknown one, with 401 invalid_token', async () => {
  const f = bqeFixture();
  const none = await f.api('/project', { Authorization: undefined });
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');
  const unknown = await f.api('/project', { Authorization: 'Bearer nope' });
  assert.equal(unknown.status, 401);
  assert.match(unknown.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
  assert.equal(f.sim.snapshot().counters.unauthorized, 2);
});

test('refuses an access token once it expires on the injected clock', async () => {
  const f = bqeFixture({ expiresInSeconds: 600 });
  const token = f.sim.issueTokens({ baseUrl: BASE }).access_token;
  const call = () => f.api('/project?page=1,1', { Authorization: `Bearer ${token}` });
  f.clock.advance(599_000);
  assert.equal((await call()).status, 200);
  f.clock.advance(1_000);
  const expired = await call();
  assert.equal(expired.status, 401);
  assert.match(expired.headers.get('www-authenticate') ?? '', /invalid_token.*expired/);
});

test('refuses tokens after /__sim/tokens/expire and a token for another tenant', async () => {
  const f = bqeFixture({
    registeredClients: [
      { clientId: `${'a'.repeat(32)}.apps.bqe.com`, clientSecret: 's', redirectUris: ['http://127.0.0.1:3000/cb'], tenant: 'one' },
      { clientId: `${'b'.repeat(32)}.apps.bqe.com`, clientSecret: 's', redirectUris: ['http://127.0.0.1:3000/cb'], tenant: 'two' },
    ],
  });
  const other = f.sim.issueTokens({ baseUrl: BASE, clientId: `${'b'.repeat(32)}.apps.bqe.com` });
  assert.equal(other.endpoint, 'http://localhost/t/two/api/');
  const wrongTenant = await f.api('/project', { Authorization: `Bearer ${other.access_token}` });
  assert.equal(wrongTenant.status, 401);
  assert.equal(((await wrongTenant.json()) as { message: string }).message, 'The access token is for another tenant');
  assert.equal((await f.api('/project')).status, 200);
  await f.sim.app.request('/__sim/tokens/expire', { method: 'POST' });
  assert.equal((await f.api('/project')).status, 401);
});

test('refuses a token without a core scope with 403 insufficient_scope', async () => {
  const f = bqeFixture();
  const token = f.sim.issueTokens({ baseUrl: BASE, scopes: ['openid', 'offline_access'] }).access_token;
  const res = await f.api('/project', { Authorization: `Bearer ${token}` });
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('www-authenticate'), 'Bearer error="insufficient_scope", scope="read:core"');
  const readwrite = f.sim.issueTokens({ baseUrl: BASE, scopes: ['readwrite:core'] }).access_token;
  assert.equal((await f.api('/project', { Authorization: `Bearer ${readwrite}` })).status, 200);
});

test('refuses a missing X-UTC-OFFSET in strict mode with a message', async () => {
  const f = bqeFixture();
  const res = await f.list('/project', { 'X-UTC-OFFSET': undefined });
  assert.equal(res.status, 400);
  assert.match(res.body.message ?? '', /X-UTC-OFFSET header is required/);
});

test('refuses an X-UTC-OFFSET that is not a whole number in [-720, 840]', async () => {
  const f = bqeFixture();
  for (const bad of ['-721', '841', '1.5', 'abc', '+60', '60m', '-']) {
    const res = await f.list('/project', { 'X-UTC-OFFSET': bad });
    assert.equal(res.status, 400, bad);
    assert.match(res.body.message ?? '', /between -720 and 840/);
  }
  for (const good of ['-720', '840', '0', '-300', '330']) assert.equal((await f.list('/project?page=1,1', { 'X-UTC-OFFSET': good })).status, 200, good);
});

test('falls back to the default offset when strict mode is off', async () => {
  const f = bqeFixture({ strictUtcOffset: false, defaultUtcOffsetMinutes: -480 });
  const without = await f.list('/project?page=1,1', { 'X-UTC-OFFSET': undefined });
  const pacific = await f.list('/project?page=1,1', { 'X-UTC-OFFSET': '-480' });
  assert.equal(without.status, 200);
  assert.deepEqual(without.body, pacific.body);
  assert.equal((await f.list('/project', { 'X-UTC-OFFSET': 'abc' })).status, 400, 'a malformed header is still refused');
});

test('renders lastUpdated and createdOn in the request offset, leaving dates alone', async () => {
  const f = bqeFixture();
  const project = f.sim.addProject({ name: 'Offset Check', startDate: '2026-02-01T00:00:00', lastUpdated: '2026-01-14T03:30:00Z', createdOn: '2026-01-10T00:00:00Z' });
  const at = async (offset: string) => ((await (await f.api(`/project/${project.id}`, { 'X-UTC-OFFSET': offset })).json()) as Row);
  assert.equal((await at('0')).lastUpdated, '2026-01-14T03:30:00');
  assert.equal((await at('-300')).lastUpdated, '2026-01-13T22:30:00');
  assert.equal((await at('330')).lastUpdated, '2026-01-14T09:00:00');
  assert.equal((await at('-300')).createdOn, '2026-01-09T19:00:00');
  assert.equal((await at('-300')).startDate, '2026-02-01T00:00:00');
});

test('shifts where datetimes with the offset, so a cursor written at one offset means its own wall clock', async () => {
  const f = bqeFixture({ projects: 0 });
  const p = f.sim.addProject({ name: 'Late Evening Edit', lastUpdated: '2026-01-14T03:00:00Z' });
  const where = q("lastUpdated >= '2026-01-14T00:00:00'");
  const utc = await f.list(`/project?where=${where}`, { 'X-UTC-OFFSET': '0' });
  const eastern = await f.list(`/project?where=${where}`, { 'X-UTC-OFFSET': '-300' });
  assert.deepEqual(utc.body.map((r) => r.id), [p.id]);
  assert.deepEqual(eastern.body, []);
});

test('filters with where and sorts with orderBy lastUpdated asc', async () => {
  const f = bqeFixture();
  const { body } = await f.list(`/project?page=1,1000&where=${q("parentId is null and status = 0")}&orderBy=${q('lastUpdated asc')}`);
  assert.ok(body.length > 0);
  assert.ok(body.every((p) => p.parentId === null && p.status === 0 && p.level === 0));
  const stamps = body.map((p) => p.lastUpdated as string);
  assert.deepEqual(stamps, [...stamps].sort());
});

test('finds a name with an apostrophe through doubled-quote escaping', async () => {
  const f = bqeFixture();
  const { status, body } = await f.list(`/client?where=${q("name = 'O''Connell Development Group'")}`);
  assert.equal(status, 200);
  assert.deepEqual(body.map((c) => c.name), ["O'Connell Development Group"]);
});

test('refuses a malformed where with 400 saying where the problem is', async () => {
  const f = bqeFixture();
  const cases: [string, RegExp][] = [
    ["name = 'Riverside", /at position 8: unterminated string/],
    ["lastUpdated >= '2025-01-01'", /at position 16: "lastUpdated" takes a quoted date-time/],
    ['updatedSince > 1', /at position 1: unknown field "updatedSince"/],
    ['status = 0 status = 2', /at position 12: unexpected "status"/],
    ["name = 'a\u0001'", /at position 10: control character U\+0001/],
  ];
  for (const [where, message] of cases) {
    const res = await f.list(`/project?where=${q(where)}`);
    assert.equal(res.status, 400, where);
    assert.match(res.body.message ?? '', message);
  }
});

test('refuses undocumented parameters such as pageSize and updatedSince, naming them', async () => {
  const f = bqeFixture();
  for (const key of ['pageSize', 'updatedSince', 'limit', 'offset', 'per_page', '$top']) {
    const res = await f.list(`/project?page=1,10&${encodeURIComponent(key)}=5`);
    assert.equal(res.status, 400, key);
    assert.ok(res.body.message?.includes(`The query parameter "${key}" is not supported`), res.body.message);
  }
  const single = await f.list(`/project/${[...f.sim.data.projects.keys()][0]}?page=1,10`);
  assert.equal(single.status, 400);
  assert.match(single.body.message ?? '', /Allowed here: fields, expand/);
});

test('pages with page=<number>,<size> where 0 and 1 both mean the first page', async () => {
  const f = bqeFixture();
  const zero = await f.list('/project?page=0,7&orderBy=code');
  const one = await f.list('/project?page=1,7&orderBy=code');
  const two = await f.list('/project?page=2,7&orderBy=code');
  assert.deepEqual(zero.body, one.body);
  assert.equal(two.body.length, 7);
  assert.notDeepEqual(two.body[0], one.body[0]);
  const all = await f.list('/project?page=1,1000');
  assert.equal(all.body.length, 60);
  assert.deepEqual((await f.list('/project?page=61,1')).body, []);
  assert.equal((await f.list('/project')).body.length, 25, 'the default page size');
  assert.equal((await f.list('/project?page=1,1001')).status, 400);
});

test('repeats page 1 for every page number in page-repeat mode', async () => {
  const f = bqeFixture();
  f.sim.setConfig({ pageRepeat: true });
  const one = await f.list('/project?page=1,10');
  const three = await f.list('/project?page=3,10');
  assert.deepEqual(three.body, one.body);
});

test('answers with an object instead of an array, or a record without id, in the malformed modes', async () => {
  const f = bqeFixture();
  f.sim.setConfig({ malformedResponse: 'object' });
  const object = await f.list('/project?page=1,3');
  assert.equal(Array.isArray(object.body), false);
  assert.equal((object.body as unknown as { items: Row[] }).items.length, 3);
  f.sim.setConfig({ malformedResponse: 'missing_id' });
  const missing = await f.list('/project?page=1,3');
  assert.equal('id' in (missing.body[0] as Row), false);
  assert.ok('id' in (missing.body[1] as Row));
});

test('projects fields and expands the client', async () => {
  const f = bqeFixture();
  const { body } = await f.list(`/project?page=1,1&fields=${q('id,name,lastUpdated')}&expand=client`);
  assert.deepEqual(Object.keys(body[0] as Row), ['id', 'name', 'lastUpdated', 'client']);
  const client = (body[0] as Row).client as Row;
  assert.equal(typeof client.name, 'string');
  assert.equal((await f.list('/project?fields=id,bogus')).status, 400);
});

test('shows the legacy id under the configured field name', async () => {
  const f = bqeFixture({ legacyIdField: 'projectNumber' });
  const { body } = await f.list(`/project?page=1,1000&where=${q('projectNumber is not null')}`);
  assert.ok(body.length > 0);
  assert.ok(body.every((p) => typeof p.projectNumber === 'number' && !('legacyId' in p)));
  assert.equal((await f.list(`/project?where=${q('legacyId = 1')}`)).status, 400);
});

test('caps requests per tenant and client with 429, Retry-After and X-Rate-Limit headers', async () => {
  const f = bqeFixture({ rateLimitPerMinute: 3 });
  const seen: Response[] = [];
  for (let i = 0; i < 3; i++) {
    seen.push(await f.api('/project?page=1,1'));
    f.clock.advance(10_000);
  }
  assert.deepEqual(seen.map((r) => r.headers.get('x-rate-limit-remaining')), ['2', '1', '0']);
  assert.ok(seen.every((r) => r.status === 200 && r.headers.get('x-rate-limit-limit') === '3'));
  const refused = await f.api('/project?page=1,1');
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('retry-after'), '30', 'the first request leaves the window 60 s after it was made');
  assert.equal(refused.headers.get('x-rate-limit-remaining'), '0');
  assert.equal(refused.headers.get('x-rate-limit-reset'), '30');
  assert.match(((await refused.json()) as { message: string }).message, /at most 3 requests per minute/);
  f.clock.advance(30_000);
  assert.equal((await f.api('/project?page=1,1')).status, 200);
  assert.equal(f.sim.snapshot().counters.rateLimited, 1);
});

test('puts the rate headers on refusals after the token check too', async () => {
  const f = bqeFixture({ rateLimitPerMinute: 10 });
  const res = await f.api('/project?pageSize=10');
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('x-rate-limit-remaining'), '9');
  const offset = await f.api('/project', { 'X-UTC-OFFSET': undefined });
  assert.equal(offset.headers.get('x-rate-limit-remaining'), '8');
});

test('applies a changed rate cap at once', async () => {
  const f = bqeFixture();
  f.sim.setConfig({ rateLimitPerMinute: 1 });
  assert.equal((await f.api('/project?page=1,1')).status, 200);
  assert.equal((await f.api('/project?page=1,1')).status, 429);
  f.sim.setConfig({ rateLimitPerMinute: 0 });
  const free = await f.api('/project?page=1,1');
  assert.equal(free.status, 200);
  assert.equal(free.headers.get('x-rate-limit-limit'), null);
});
