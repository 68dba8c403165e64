import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { apiErrorHandler } from '../../../src/api/api-errors.js';
import { bodyGuard, readApiBody } from '../../../src/api/middleware/body-guard.js';
import type { AppEnv } from '../../../src/web/app-env.js';
import { requestIdMiddleware } from '../../../src/web/middleware/request-context.js';

const LIMIT = 64;

/** A route behind the guard that reads the body again, as an operation's schema validator does. */
const guarded = () => {
  const app = new Hono<AppEnv>();
  app.use(requestIdMiddleware());
  app.onError(apiErrorHandler);
  app.use('*', bodyGuard({ limitBytes: LIMIT }));
  app.all('/echo', async (c) => {
    const text = await c.req.text();
    return c.json({ received: text ? await c.req.json() : null });
  });
  return app;
};

const code = async (res: Response): Promise<[number, string]> => [res.status, ((await res.json()) as { error: { code: string } }).error.code];

describe('API body guard', () => {
  test('lets a JSON body through, with or without a charset, and later readers see the same bytes', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON']) {
      const res = await guarded().request('/echo', { method: 'POST', headers: { 'Content-Type': type }, body: '{"a":[1,2]}' });
      assert.equal(res.status, 200, type);
      assert.deepEqual(await res.json(), { received: { a: [1, 2] } });
    }
  });

  test('lets requests without a body through, whatever their content type', async () => {
    assert.equal((await guarded().request('/echo')).status, 200);
    assert.equal((await guarded().request('/echo', { method: 'DELETE', headers: { 'Content-Type': 'text/plain' } })).status, 200);
  });

  test('refuses a body that is not declared as JSON with 415 unsupported_media_type', async () => {
    assert.deepEqual(await code(await guarded().request('/echo', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' })), [415, 'unsupported_media_type']);
    assert.deepEqual(await code(await guarded().request('/echo', { method: 'POST', headers: { 'Content-Type': 'application/json-patch+json' }, body: '[]' })), [415, 'unsupported_media_type']);
    assert.deepEqual(await code(await guarded().request('/echo', { method: 'POST', body: new Uint8Array([123, 125]) })), [415, 'unsupported_media_type']);
  });

  test('refuses a body that does not parse, or is not UTF-8, with 422 invalid_json', async () => {
    for (const body of ['{"a":', 'not json', new Uint8Array([0x22, 0xff, 0x22])]) {
      assert.deepEqual(await code(await guarded().request('/echo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })), [422, 'invalid_json']);
    }
  });

  test('refuses a body over the limit with 413 payload_too_large, by its length header or while streaming', async () => {
    const big = JSON.stringify({ a: 'x'.repeat(LIMIT) });
    const declared = await guarded().request('/echo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    assert.deepEqual(await code(declared), [413, 'payload_too_large']);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(16)));
        controller.close();
      },
    });
    const streamed = await guarded().request('/echo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    assert.deepEqual(await code(streamed), [413, 'payload_too_large']);
    assert.equal((await guarded().request('/echo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ a: 'x'.repeat(LIMIT - 10) }) })).status, 200, 'exactly the limit is fine');
  });

  test('readApiBody reads once and gives the same bytes to a second reader', async () => {
    const app = new Hono<AppEnv>();
    app.post('/twice', async (c) => {
      const first = await readApiBody(c, LIMIT);
      const second = await readApiBody(c, LIMIT);
      return c.json({ same: first.ok && second.ok && first.body.equals(second.body), text: first.ok ? first.body.toString() : null });
    });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"a"'));
        controller.enqueue(new TextEncoder().encode(':1}'));
        controller.close();
      },
    });
    const res = await app.request('/twice', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    assert.deepEqual(await res.json(), { same: true, text: '{"a":1}' });
  });
});
