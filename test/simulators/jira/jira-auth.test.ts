import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import type { SimEnv } from '../../../src/simulators/sim-kit.js';
import { basicAuth } from '../../../src/simulators/jira/jira-auth.js';

const app = new Hono<SimEnv>();
app.use(basicAuth({ email: 'a@example.com', apiToken: 't0ken' }));
app.get('*', (c) => c.text('ok'));

const basic = (user: string) => `Basic ${Buffer.from(user).toString('base64')}`;
const UNAUTHENTICATED = { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} };

test('lets through the configured email and token', async () => {
  assert.equal((await app.request('/rest/api/3/myself', { headers: { Authorization: basic('a@example.com:t0ken') } })).status, 200);
  assert.equal((await app.request('/x', { headers: { Authorization: `basic ${Buffer.from('a@example.com:t0ken').toString('base64')}` } })).status, 200);
});

test("refuses a missing header, a wrong token and a bearer token with Jira's 401 body", async () => {
  for (const headers of [{}, { Authorization: basic('a@example.com:wrong') }, { Authorization: 'Bearer t0ken' }] as Record<string, string>[]) {
    const res = await app.request('/rest/api/3/myself', { headers });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), UNAUTHENTICATED);
  }
});

test('leaves /__sim open', async () => {
  assert.equal((await app.request('/__sim/state')).status, 200);
});
