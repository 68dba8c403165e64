import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Hono } from 'hono';
import { FaultInjector, startSimServer, type FaultInput, type RunningSim, type SimEnv } from '../../src/simulators/sim-kit.js';

const faults = new FaultInjector();
let handled: string[] = [];
let server: RunningSim;

const app = new Hono<SimEnv>();
app.use(faults.middleware());
app.route('/__sim', faults.routes());
app.get('/items', (c) => {
  handled.push('GET /items');
  return c.json({ items: [{ id: 1, name: 'first item' }, { id: 2, name: 'second item' }] });
});
app.post('/items', (c) => {
  handled.push('POST /items');
  return c.json({ id: 3 }, 201);
});

before(async () => {
  server = await startSimServer(app, 0);
});

after(() => server.close());

beforeEach(() => {
  faults.clear();
  handled = [];
});

const call = (method: string, path: string, body?: unknown) =>
  fetch(server.url + path, { method, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }) });

const inject = (fault: FaultInput) => faults.add(fault);

describe('startSimServer', () => {
  test('serves the app on a free port of 127.0.0.1', async () => {
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    const res = await call('GET', '/items');
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { items: unknown[] }).items.length, 2);
  });

  test('close stops accepting connections', async () => {
    const other = await startSimServer(app, 0);
    await other.close();
    await assert.rejects(fetch(`${other.url}/items`));
  });
});

describe('fault middleware', () => {
  test('answers a status fault with that status, a JSON error body and Retry-After, without running the handler', async () => {
    inject({ kind: 'status', status: 429, retryAfterSeconds: 7 });
    const res = await call('GET', '/items');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.deepEqual(await res.json(), { errorMessages: ['Rate limit exceeded.'], errors: {} });
    assert.deepEqual(handled, []);
  });

  test('defaults a status fault to 500 without Retry-After', async () => {
    inject({ kind: 'status' });
    const res = await call('GET', '/items');
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('retry-after'), null);
    assert.deepEqual(await res.json(), { errorMessages: ['Simulated failure (HTTP 500).'], errors: {} });
  });

  test('holds a slow request before handling it', async () => {
    inject({ kind: 'slow', delayMs: 300 });
    const started = Date.now();
    const pending = call('POST', '/items');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(handled, []);
    const res = await pending;
    assert.equal(res.status, 201);
    assert.ok(Date.now() - started >= 280);
    assert.deepEqual(handled, ['POST /items']);
  });

  test('handles a slow_after request at once but holds the answer', async () => {
    inject({ kind: 'slow_after', delayMs: 400 });
    let answered = false;
    const pending = call('POST', '/items').then((res) => ((answered = true), res));
    const deadline = Date.now() + 2000;
    while (handled.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const handledAt = Date.now();
    assert.deepEqual(handled, ['POST /items']);
    assert.equal(answered, false);
    const res = await pending;
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { id: 3 });
    assert.ok(Date.now() - handledAt >= 300);
  });

  test('drops the connection so fetch rejects', async () => {
    inject({ kind: 'drop' });
    await assert.rejects(call('GET', '/items'), TypeError);
    assert.deepEqual(handled, []);
    assert.equal((await call('GET', '/items')).status, 200);
  });

  test('answers an html fault with an HTML page and status 502 by default', async () => {
    inject({ kind: 'html' });
    const res = await call('GET', '/items');
    assert.equal(res.status, 502);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /^<html>.*502 Bad Gateway/);
  });

  test('answers an html fault with the status it names', async () => {
    inject({ kind: 'html', status: 401 });
    const res = await call('GET', '/items');
    assert.equal(res.status, 401);
    assert.match(await res.text(), /401/);
  });

  test('truncates the handler\'s JSON to 20 characters, keeping its status', async () => {
    inject({ kind: 'truncated' });
    const res = await call('GET', '/items');
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.equal(text, '{"items":[{"id":1,"n');
    assert.throws(() => JSON.parse(text));
    assert.deepEqual(handled, ['GET /items']);
  });

  test('applies a fault to as many requests as its count, then lets requests through', async () => {
    inject({ kind: 'status', status: 503, count: 2 });
    assert.equal((await call('GET', '/items')).status, 503);
    assert.equal(faults.list()[0]?.count, 1);
    assert.equal((await call('GET', '/items')).status, 503);
    assert.deepEqual(faults.list(), []);
    assert.equal((await call('GET', '/items')).status, 200);
  });

  test('applies a fault only to requests whose "METHOD /path" matches its pattern', async () => {
    inject({ kind: 'status', status: 500, match: '^POST /items$' });
    assert.equal((await call('GET', '/items')).status, 200);
    assert.equal((await call('POST', '/items')).status, 500);
    assert.equal((await call('POST', '/items')).status, 201);
  });

  test('takes faults in the order they were added', async () => {
    inject({ kind: 'status', status: 502 });
    inject({ kind: 'status', status: 504 });
    assert.equal((await call('GET', '/items')).status, 502);
    assert.equal((await call('GET', '/items')).status, 504);
  });

  test('never applies faults to /__sim requests', async () => {
    inject({ kind: 'status', status: 500 });
    const res = await call('GET', '/__sim/faults');
    assert.equal(res.status, 200);
    assert.equal(faults.list().length, 1);
  });
});

describe('/__sim/faults', () => {
  test('POST adds one fault with its defaults and GET lists it with the injected count', async () => {
    const before = faults.injected;
    const added = await call('POST', '/__sim/faults', { kind: 'status', status: 429, retryAfterSeconds: 2, match: 'GET ' });
    assert.equal(added.status, 201);
    assert.deepEqual(await added.json(), { faults: [{ kind: 'status', status: 429, retryAfterSeconds: 2, count: 1, match: 'GET ' }] });
    assert.equal((await call('GET', '/items')).status, 429);
    const listed = (await (await call('GET', '/__sim/faults')).json()) as { faults: unknown[]; injected: number };
    assert.deepEqual(listed, { faults: [], injected: before + 1 });
  });

  test('POST adds a list of faults', async () => {
    const res = await call('POST', '/__sim/faults', [{ kind: 'drop' }, { kind: 'html', count: 3 }]);
    assert.equal(res.status, 201);
    assert.deepEqual(faults.list().map((f) => [f.kind, f.count]), [['drop', 1], ['html', 3]]);
  });

  test('POST refuses a bad fault with 400 and adds nothing', async () => {
    for (const body of [{ kind: 'explode' }, { kind: 'status', status: 200 }, { kind: 'slow', count: 0 }, '{not json', [{ kind: 'drop' }, { kind: 'nope' }]]) {
      const res = await call('POST', '/__sim/faults', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(((await res.json()) as { error: string }).error, 'invalid fault');
    }
    assert.deepEqual(faults.list(), []);
  });

  test('DELETE clears every fault', async () => {
    inject({ kind: 'status' });
    inject({ kind: 'drop' });
    const res = await call('DELETE', '/__sim/faults');
    assert.equal(res.status, 204);
    assert.deepEqual(faults.list(), []);
    assert.equal((await call('GET', '/items')).status, 200);
  });
});

describe('FaultInjector', () => {
  test('refuses a fault outside the schema', () => {
    const injector = new FaultInjector();
    assert.throws(() => injector.add({ kind: 'status', status: 302 }));
    assert.throws(() => injector.add({ kind: 'slow', delayMs: -1 }));
    assert.deepEqual(injector.list(), []);
  });

  test('take counts injected faults and returns undefined when none match', () => {
    const injector = new FaultInjector();
    injector.add({ kind: 'status', match: '^DELETE ' });
    assert.equal(injector.take('GET', '/x'), undefined);
    assert.equal(injector.take('DELETE', '/x')?.kind, 'status');
    assert.equal(injector.take('DELETE', '/x'), undefined);
    assert.equal(injector.injected, 1);
  });
});
