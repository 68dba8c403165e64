import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { apiError, apiErrorHandler, apiNotFoundHandler } from '../../src/api/api-errors.js';
import { AppError, conflict, notFound, tooManyRequests, validationError } from '../../src/errors.js';
import { createLogger } from '../../src/platform/logger.js';
import type { AppEnv } from '../../src/web/app-env.js';
import { requestIdMiddleware, requestLogger } from '../../src/web/middleware/request-context.js';

const appThrowing = (err: unknown, lines: string[] = []) => {
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = new Hono<AppEnv>();
  app.use(requestIdMiddleware());
  app.use(requestLogger(createLogger({ level: 'info', format: 'json', destination })));
  app.onError(apiErrorHandler);
  app.notFound(apiNotFoundHandler);
  app.get('/boom', () => {
    throw err;
  });
  app.get('/direct', (c) => apiError(c, 409, 'conflict', 'Someone changed it.', { version: 3 }));
  return app;
};

const body = async (res: Response) => ((await res.json()) as { error: Record<string, unknown> }).error;

describe('API error bodies', () => {
  test('apiError writes {error: {code, message, details, requestId}}', async () => {
    const res = await appThrowing(null).request('/direct', { headers: { 'X-Request-Id': 'req-9' } });
    assert.equal(res.status, 409);
    assert.deepEqual(await body(res), { code: 'conflict', message: 'Someone changed it.', details: { version: 3 }, requestId: 'req-9' });
  });

  test('a validation error keeps its field messages under details.fields', async () => {
    const res = await appThrowing(validationError('Check the fields.', { name: 'Required.' })).request('/boom', { headers: { 'X-Request-Id': 'r1' } });
    assert.equal(res.status, 422);
    assert.deepEqual(await body(res), { code: 'validation_failed', message: 'Check the fields.', details: { fields: { name: 'Required.' } }, requestId: 'r1' });
  });

  test('other AppErrors keep status, code and message, with null details when they have none', async () => {
    for (const [err, status, code] of [
      [notFound('No such rule.'), 404, 'not_found'],
      [conflict('Changed meanwhile.'), 409, 'conflict'],
      [new AppError(400, 'bad_cursor', 'The cursor is stale.'), 400, 'bad_cursor'],
    ] as const) {
      const res = await appThrowing(err).request('/boom');
      assert.equal(res.status, status);
      const error = await body(res);
      assert.deepEqual([error.code, error.message, error.details], [code, err.message, null]);
    }
  });

  test('a 429 is rate_limited with Retry-After; a platform body_too_large is payload_too_large', async () => {
    const limited = await appThrowing(tooManyRequests('Slow down.', 42)).request('/boom');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('Retry-After'), '42');
    assert.deepEqual([(await body(limited)).code, (await body(await appThrowing(new AppError(413, 'body_too_large', 'Too big.')).request('/boom'))).code], ['rate_limited', 'payload_too_large']);
  });

  test("Hono's HTTP exceptions get a code by status", async () => {
    const res = await appThrowing(new HTTPException(405, { message: 'Nope.' })).request('/boom');
    assert.equal(res.status, 405);
    assert.deepEqual([(await body(res)).code, (await body(await appThrowing(new HTTPException(400)).request('/boom'))).code], ['method_not_allowed', 'bad_request']);
  });

  test('an unexpected error is a 500 internal_error that reveals nothing and is logged with its stack', async () => {
    const lines: string[] = [];
    const res = await appThrowing(new Error('database password is hunter2'), lines).request('/boom', { headers: { 'X-Request-Id': 'oops-1' } });
    assert.equal(res.status, 500);
    const error = await body(res);
    assert.equal(error.code, 'internal_error');
    assert.equal(error.requestId, 'oops-1');
    assert.ok(!JSON.stringify(error).includes('hunter2'));
    assert.ok(lines.some((l) => l.includes('unhandled error') && l.includes('oops-1') && l.includes('hunter2')));
  });

  test('an unknown path is a 404 not_found in the same body', async () => {
    const res = await appThrowing(null).request('/api/v1/nothing-here');
    assert.equal(res.status, 404);
    const error = await body(res);
    assert.equal(error.code, 'not_found');
    assert.match(String(error.message), /GET \/api\/v1\/nothing-here/);
  });
});
