import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ListRequest } from '../../../../src/plugins/bqe/api/bqe-api.js';
import { createBqeClientsClient } from '../../../../src/plugins/bqe/api/clients-client.js';
import { createBqeProbes } from '../../../../src/plugins/bqe/api/probes.js';
import { createBqeProjectsClient } from '../../../../src/plugins/bqe/api/projects-client.js';
import { REDIRECT_URI, startFixture, type BqeFixture, type RecordedRequest } from '../oauth/connection-fixture.js';

/**
 * Every request the OAuth layer, the clients and the probes make, compared with literals. A changed
 * parameter, header or form field fails here first; so does any query key beyond page, where and orderBy.
 */

const CLIENT_ID = 'switchyardsimulatorbqecoreclient.apps.bqe.com';
const API = '/t/switchyard-demo/api';
const SECRET_FIELDS = new Set(['code', 'code_verifier', 'client_secret', 'refresh_token']);
const API_HEADERS = { accept: 'application/json', authorization: 'Bearer', 'x-utc-offset': '-300' };
const FORM_HEADERS = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };

interface Shape {
  method: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  form?: [string, string][];
}

/** The parts a snapshot compares: secrets reduced to their presence, Authorization to its scheme. */
const shapeOf = (r: RecordedRequest): Shape => {
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, k === 'authorization' ? (v.split(' ')[0] as string) : v]));
  const shape: Shape = { method: r.method, path: r.url.pathname, query: [...r.url.searchParams], headers };
  if (r.body !== null) shape.form = [...new URLSearchParams(r.body)].map(([k, v]) => [k, SECRET_FIELDS.has(k) ? (v === '' ? '<empty>' : '<secret>') : v]);
  return shape;
};

let fx: BqeFixture;
const shapes = new Map<string, Shape>();

/** Runs one step and returns the requests it made. */
const step = async (name: string, run: () => Promise<unknown>): Promise<RecordedRequest[]> => {
  const from = fx.recorded.length;
  await run();
  const made = fx.recorded.slice(from);
  made.forEach((r, i) => shapes.set(made.length === 1 ? name : `${name} #${i + 1}`, shapeOf(r)));
  return made;
};

before(async () => {
  fx = await startFixture();
  const conn = () => fx.api.forConnection({ id: fx.connectionId, utcOffsetMinutes: -300 });
  const projects = createBqeProjectsClient(conn(), fx.meta);
  const clients = createBqeClientsClient(conn(), fx.meta);
  const probes = createBqeProbes(conn(), fx.meta);

  await step('token exchange', () => fx.connect());
  await step('projects delta page', () => projects.listPage({ page: 2, where: projects.where.gte('lastUpdated', '2025-01-15T10:17:31'), orderByCursor: true }));
  await step('projects parentOnly', () => projects.listPage({ page: 1, where: projects.rootsOnly(), orderByCursor: true }));
  await step('projects full page', () => projects.listPage({ page: 1 }));
  await step('clients page', () => clients.listPage({ page: 1, orderByCursor: true }));
  await step('clients delta page', () => clients.listPage({ page: 1, where: clients.where.gte('lastUpdated', '2025-01-15T10:17:31'), orderByCursor: true }));
  await step('activity probe', () => probes.activityProbe());
  await step('connection probe', () => probes.connectionProbe());
  const [sample] = await projects.listPage({ page: 1, pageSize: 1 });
  await step('project by id', () => projects.get(sample?.id as string));
  fx.clock.advance(3600 * 1000);
  await step('refresh then page', () => clients.listPage({ page: 1, pageSize: 50 }));
});
after(() => fx.close());

test('authorize: the contract’s parameters, in order, with S256', async () => {
  const [authorize] = (await fx.simState()).requests.filter((r) => r.path === '/idp/connect/authorize');
  assert.deepEqual(Object.keys(authorize?.query ?? {}), ['client_id', 'response_type', 'scope', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method']);
  assert.deepEqual(
    { ...authorize?.query, state: '<random>', code_challenge: '<random>' },
    {
      client_id: CLIENT_ID,
      response_type: 'code',
      scope: 'offline_access read:core',
      redirect_uri: REDIRECT_URI,
      state: '<random>',
      code_challenge: '<random>',
      code_challenge_method: 'S256',
    },
  );
  assert.match(String(authorize?.query.code_challenge), /^[A-Za-z0-9_-]{43}$/);
});

test('token exchange: form body with the PKCE verifier and client credentials', () => {
  assert.deepEqual(shapes.get('token exchange'), {
    method: 'POST',
    path: '/idp/connect/token',
    query: [],
    headers: FORM_HEADERS,
    form: [
      ['grant_type', 'authorization_code'],
      ['code', '<secret>'],
      ['redirect_uri', REDIRECT_URI],
      ['client_id', CLIENT_ID],
      ['client_secret', '<secret>'],
      ['code_verifier', '<secret>'],
    ],
  });
});

test('refresh: form body with the refresh token and client credentials, then the call with the new token', () => {
  assert.deepEqual(shapes.get('refresh then page #1'), {
    method: 'POST',
    path: '/idp/connect/token',
    query: [],
    headers: FORM_HEADERS,
    form: [
      ['grant_type', 'refresh_token'],
      ['refresh_token', '<secret>'],
      ['client_id', CLIENT_ID],
      ['client_secret', '<secret>'],
    ],
  });
  assert.deepEqual(shapes.get('refresh then page #2'), { method: 'GET', path: `${API}/client`, query: [['page', '1,50']], headers: API_HEADERS });
});

test('projects delta page: page, where on lastUpdated, orderBy lastUpdated asc', () => {
  assert.deepEqual(shapes.get('projects delta page'), {
    method: 'GET',
    path: `${API}/project`,
    query: [
      ['page', '2,1000'],
      ['where', "lastUpdated >= '2025-01-15T10:17:31'"],
      ['orderBy', 'lastUpdated asc'],
    ],
    headers: API_HEADERS,
  });
});

test('projects parentOnly: where parentId is null', () => {
  assert.deepEqual(shapes.get('projects parentOnly'), {
    method: 'GET',
    path: `${API}/project`,
    query: [
      ['page', '1,1000'],
      ['where', 'parentId is null'],
      ['orderBy', 'lastUpdated asc'],
    ],
    headers: API_HEADERS,
  });
});

test('projects full page: the page parameter alone', () => {
  assert.deepEqual(shapes.get('projects full page'), { method: 'GET', path: `${API}/project`, query: [['page', '1,1000']], headers: API_HEADERS });
});

test('clients pages: page and orderBy, and the delta where', () => {
  assert.deepEqual(shapes.get('clients page'), {
    method: 'GET',
    path: `${API}/client`,
    query: [
      ['page', '1,1000'],
      ['orderBy', 'lastUpdated asc'],
    ],
    headers: API_HEADERS,
  });
  assert.deepEqual(shapes.get('clients delta page'), {
    method: 'GET',
    path: `${API}/client`,
    query: [
      ['page', '1,1000'],
      ['where', "lastUpdated >= '2025-01-15T10:17:31'"],
      ['orderBy', 'lastUpdated asc'],
    ],
    headers: API_HEADERS,
  });
});

test('activity probe: first page of one activity', () => {
  assert.deepEqual(shapes.get('activity probe'), { method: 'GET', path: `${API}/activity`, query: [['page', '1,1']], headers: API_HEADERS });
});

test('connection probe: first page of five projects', () => {
  assert.deepEqual(shapes.get('connection probe'), { method: 'GET', path: `${API}/project`, query: [['page', '1,5']], headers: API_HEADERS });
});

test('project by id: the id in the path and no query', () => {
  const shape = shapes.get('project by id');
  assert.match(shape?.path ?? '', new RegExp(`^${API}/project/[0-9a-f-]{36}$`));
  assert.deepEqual({ ...shape, path: 'checked above' }, { method: 'GET', path: 'checked above', query: [], headers: API_HEADERS });
});

test('every request went to the simulator the connection names, and the simulator saw the same queries', async () => {
  for (const r of fx.recorded) assert.equal(r.url.origin, fx.sim.url);
  const apiCalls = fx.recorded.filter((r) => r.url.pathname.startsWith(API));
  const seen = (await fx.simState()).requests.filter((r) => r.path.startsWith(API));
  assert.deepEqual(
    seen.map((r) => [r.path, r.query, r.utcOffset, r.status]),
    apiCalls.map((r) => [r.url.pathname, Object.fromEntries(r.url.searchParams), '-300', 200]),
  );
});

test('no query key other than page, where and orderBy was ever sent', async () => {
  const allowed = ['orderBy', 'page', 'where'];
  const sent = new Set<string>();
  for (const r of fx.recorded) for (const key of r.url.searchParams.keys()) sent.add(key);
  assert.ok(fx.recorded.some((r) => r.url.pathname.startsWith('/idp/')), 'the token calls were recorded too');
  for (const r of (await fx.simState()).requests) if (r.path.startsWith(API)) for (const key of Object.keys(r.query)) sent.add(key);
  assert.deepEqual([...sent].sort(), allowed, 'the sequence must use exactly the documented keys');
  const apiCalls = fx.recorded.filter((r) => r.url.pathname.startsWith(API));
  assert.ok(apiCalls.length >= 10);
  for (const r of apiCalls) {
    const keys = [...r.url.searchParams.keys()];
    assert.ok(keys.every((k) => allowed.includes(k)), `${r.url.pathname} sent ${keys.join(', ')}`);
    assert.equal(new Set(keys).size, keys.length, 'no key is repeated');
  }
});

test('a request carrying an undocumented key is refused before anything is sent', async () => {
  const before = fx.recorded.length;
  const api = fx.api.forConnection({ id: fx.connectionId, utcOffsetMinutes: -300 });
  for (const extra of [{ updatedSince: '2025-01-01' }, { limit: 10 }, { offset: 0 }, { fields: 'id' }, { expand: 'client' }]) {
    const request = { resource: 'project', page: 1, pageSize: 10, ...extra } as ListRequest;
    await assert.rejects(api.list(request), /BQE list requests take only page, page size, where and orderBy; refused/);
  }
  assert.equal(fx.recorded.length, before);
});
