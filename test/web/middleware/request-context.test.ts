import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWebApp } from '../../../src/web/app.js';
import { Agent, startTestHub, TEST_PASSWORD } from '../../helpers/hub.js';
import { createUser, startLoggedHub, type LoggedHub } from '../web-helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  method?: string;
  path?: string;
  status?: number;
  ms?: number;
  user?: string | null;
  ip?: string;
  err?: { message: string; stack: string };
}

const parsed = (hub: LoggedHub): LogLine[] => hub.lines.map((l) => JSON.parse(l) as LogLine);
const requestLines = (hub: LoggedHub): LogLine[] => parsed(hub).filter((l) => l.msg === 'request' || l.msg === 'request failed');

/** Signs in through the logged hub's app; the logger sees that request too. */
const signIn = async (hub: LoggedHub, email: string): Promise<Agent> => {
  await createUser(hub.ctx, email, 'admin');
  const agent = hub.agent();
  assert.equal((await agent.request('POST', '/login', { form: { email, password: TEST_PASSWORD } })).status, 303);
  await agent.refreshCsrf();
  return agent;
};

test('makes a request id when the caller sends none, and returns it', async () => {
  const hub = await startTestHub();
  try {
    const a = (await hub.agent().get('/healthz')).headers.get('X-Request-Id');
    const b = (await hub.agent().get('/healthz')).headers.get('X-Request-Id');
    assert.match(a ?? '', UUID);
    assert.match(b ?? '', UUID);
    assert.notEqual(a, b);
  } finally {
    await hub.close();
  }
});

test("echoes a sane incoming X-Request-Id and replaces one that isn't", async () => {
  const hub = await startTestHub();
  try {
    const agent = hub.agent();
    assert.equal((await agent.get('/healthz', { 'X-Request-Id': 'edge-1234_abc' })).headers.get('X-Request-Id'), 'edge-1234_abc');
    for (const bad of ['has spaces in it', 'a'.repeat(129), '<script>', 'new\\line']) {
      const echoed = (await agent.get('/healthz', { 'X-Request-Id': bad })).headers.get('X-Request-Id');
      assert.match(echoed ?? '', UUID, bad);
    }
  } finally {
    await hub.close();
  }
});

test('writes one JSON access line per request with method, path, status, ms, reqId and user', async () => {
  const hub = await startLoggedHub();
  try {
    await hub.agent().get('/healthz', { 'X-Request-Id': 'probe-1' });
    const lines = requestLines(hub);
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line!.msg, 'request');
    assert.equal(line!.level, 30);
    assert.equal(line!.method, 'GET');
    assert.equal(line!.path, '/healthz');
    assert.equal(line!.status, 200);
    assert.equal(typeof line!.ms, 'number');
    assert.ok(line!.ms! >= 0);
    assert.equal(line!.reqId, 'probe-1');
    assert.equal(line!.user, null);
    assert.equal(line!.ip, 'local');
  } finally {
    hub.close();
  }
});

test('names the signed-in user on their requests, and logs redirects and 404s with their status', async () => {
  const hub = await startLoggedHub();
  try {
    const admin = await signIn(hub, 'logged@example.com');
    hub.lines.length = 0;
    await admin.get('/admin/settings');
    await hub.agent().get('/admin/settings');
    await admin.get('/no-such-page');
    const lines = requestLines(hub);
    assert.deepEqual(
      lines.map((l) => [l.path, l.status, l.user]),
      [
        ['/admin/settings', 200, 'logged@example.com'],
        ['/admin/settings', 303, null],
        ['/no-such-page', 404, 'logged@example.com'],
      ],
    );
  } finally {
    hub.close();
  }
});

test('every log line is valid JSON and none holds "[object Object]"', async () => {
  const hub = await startLoggedHub();
  try {
    const admin = await signIn(hub, 'lines@example.com');
    await admin.post('/admin/settings/platform', { 'settings.sessionHours': '0' });
    await admin.post('/admin/settings/platform', { 'settings.instanceName': 'Logged' });
    await hub.agent().request('POST', '/login', { form: { email: 'lines@example.com', password: 'wrong-password-here' } });
    await admin.request('POST', '/logout', { form: { _csrf: admin.csrfToken } });
    assert.ok(hub.lines.length >= 6);
    for (const line of hub.lines) {
      assert.doesNotThrow(() => JSON.parse(line), line);
      assert.ok(!line.includes('[object Object]'), line);
      assert.ok(!line.includes(TEST_PASSWORD), 'no password in the log');
    }
  } finally {
    hub.close();
  }
});

test('a request that fails unexpectedly is logged at error level with the error, under the same request id', async () => {
  const hub = await startLoggedHub();
  try {
    await createUser(hub.ctx, 'boom@example.com', 'admin');
    const app = createWebApp(hub.ctx);
    app.get('/boom', () => {
      throw new Error('kaboom detail');
    });
    const res = await app.request('/boom', { headers: { 'X-Request-Id': 'boom-1' } });
    assert.equal(res.status, 500);
    const lines = parsed(hub).filter((l) => l.reqId === 'boom-1');
    const unhandled = lines.find((l) => l.msg === 'unhandled error');
    assert.ok(unhandled, 'the error itself is logged');
    assert.equal(unhandled.level, 50);
    assert.equal(unhandled.err?.message, 'kaboom detail');
    assert.match(unhandled.err?.stack ?? '', /request-context\.test\.ts/);
    const access = lines.find((l) => l.msg === 'request failed');
    assert.ok(access, 'the access line marks the failure');
    assert.equal(access.level, 50);
    assert.equal(access.status, 500);
  } finally {
    hub.close();
  }
});

test('the id a caller sends is the id in the log, even with characters like "="', async () => {
  const hub = await startLoggedHub();
  try {
    const res = await hub.agent().get('/healthz', { 'X-Request-Id': 'trace=abc123' });
    assert.equal(res.headers.get('X-Request-Id'), 'trace=abc123');
    assert.equal(requestLines(hub)[0]?.reqId, 'trace=abc123');
  } finally {
    hub.close();
  }
});
