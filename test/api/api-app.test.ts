import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { API_SCOPE_NAMES } from '../../src/auth/api-credentials/scopes.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { apiClientFor, expectJson, type ApiErrorBody } from './api-client.js';
import { documentOf, operationsOf } from './openapi-helpers.js';

describe('the /api/v1 app', () => {
  let hub: TestHub;
  let doc: Record<string, any>;

  before(async () => {
    hub = await startTestHub({ plugins: ['pf-jira', 'bqe'], startJobs: false });
    doc = await documentOf(hub);
  });
  after(() => hub.close());

  test('serves its OpenAPI 3.1 document without a credential', async () => {
    const res = await hub.app.request('/api/v1/openapi.json');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('Content-Type') ?? '', /application\/json/);
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.title, 'Switchyard API');
    assert.deepEqual(Object.keys(doc['x-scopes']).sort(), [...API_SCOPE_NAMES].sort(), 'every scope is described');
  });

  test('declares the HMAC headers and the Bearer token as security schemes', () => {
    const { hmac, bearer } = doc.components.securitySchemes;
    assert.equal(hmac.type, 'apiKey');
    assert.equal(hmac.in, 'header');
    for (const header of ['X-Client-Id', 'X-Timestamp', 'X-Nonce', 'X-Signature']) assert.match(hmac.description, new RegExp(header));
    assert.deepEqual({ type: bearer.type, scheme: bearer.scheme }, { type: 'http', scheme: 'bearer' });
  });

  test('gives every operation an id, both security schemes, its scope and the error body', () => {
    const ops = operationsOf(doc);
    assert.ok(ops.length >= 30, `only ${ops.length} operations`);
    const ids = new Set<string>();
    for (const { method, path, op } of ops) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.match(path, /^\/api\/v1\//, where);
      assert.ok(op.operationId, `${where} has an operationId`);
      assert.ok(!ids.has(op.operationId), `${op.operationId} is unique`);
      ids.add(op.operationId);
      assert.deepEqual(op.security, [{ hmac: [] }, { bearer: [] }], `${where} lists both schemes`);
      assert.ok('x-required-scope' in op, `${where} lists x-required-scope`);
      const scope = op['x-required-scope'];
      assert.ok(scope === null || API_SCOPE_NAMES.includes(scope), `${where}: ${scope} is a scope`);
      if (scope) assert.match(op.description, new RegExp(`\`${scope}\``), `${where} names its scope in the description`);
      assert.equal(op.responses['401'].content['application/json'].schema.$ref, '#/components/schemas/ApiError', where);
      assert.ok(op.summary, `${where} has a summary`);
    }
    assert.equal(ops.find((o) => o.op.operationId === 'whoAmI')?.op['x-required-scope'], null, 'whoami needs only a valid credential');
  });

  test('every schema in the document is valid JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addKeyword('example');
    for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
    for (const name of Object.keys(doc.components.schemas)) assert.ok(ajv.getSchema(`#/components/schemas/${name}`), `${name} compiles`);
    for (const { method, path, op } of operationsOf(doc)) {
      for (const p of op.parameters ?? []) assert.ok(ajv.compile(p.schema), `${method} ${path} ${p.name}`);
    }
  });

  test('documents every /api/v1 route the app answers, and nothing it does not', () => {
    const documented = new Set(operationsOf(doc).map(({ method, path }) => `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`));
    const served = new Set(
      hub.app.routes
        .filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL' && r.path !== '/api/v1/openapi.json')
        .map((r) => `${r.method} ${r.path}`),
    );
    assert.deepEqual([...served].filter((r) => !documented.has(r)), [], 'served but not documented');
    assert.deepEqual([...documented].filter((r) => !served.has(r)), [], 'documented but not served');
  });

  test('answers an unknown path with the error body and a 404, after authenticating', async () => {
    const client = apiClientFor(hub, { scopes: ['jobs:read'] });
    const anonymous = await expectJson<ApiErrorBody>(await client.get('/api/v1/nothing-here', { anonymous: true }), 401);
    assert.equal(anonymous.error.code, 'auth_missing');
    const res = await client.get('/api/v1/nothing-here');
    const body = await expectJson<ApiErrorBody>(res, 404);
    assert.equal(body.error.code, 'not_found');
    assert.equal(body.error.requestId, res.headers.get('X-Request-Id'));
    assert.match(body.error.message, /\/api\/v1\/nothing-here/);
  });

  test('answers a known path with the wrong method with 405 and the methods it accepts', async () => {
    const client = apiClientFor(hub, { scopes: ['settings:read'] });
    const res = await client.delete('/api/v1/settings/platform');
    const body = await expectJson<ApiErrorBody>(res, 405);
    assert.equal(body.error.code, 'method_not_allowed');
    assert.equal(res.headers.get('Allow'), 'GET, PATCH');
  });

  test('an operation that takes no body refuses one with 422 and does nothing', async () => {
    const client = apiClientFor(hub, { scopes: ['sync:run'] });
    const body = await expectJson<ApiErrorBody>(await client.post('/api/v1/pf-jira/poll', { full: true }), 422);
    assert.equal(body.error.code, 'validation_failed');
    assert.deepEqual(Object.keys(body.error.details!.fields as object), ['body']);
    assert.equal(hub.ctx.jobs.list({ task: 'pf-jira.poll_now' }, 1, 10).total, 0);
  });

  test('needs no session or CSRF token, and a signed-in browser session alone is not enough', async () => {
    const client = apiClientFor(hub, { scopes: ['settings:read'] });
    await expectJson(await client.get('/api/v1/settings'), 200);
    const admin = await hub.signIn('admin');
    const res = await admin.get('/api/v1/settings', { Accept: 'application/json' });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as ApiErrorBody).error.code, 'auth_missing');
  });
});
