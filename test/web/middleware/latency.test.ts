import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { LatencyRecorder } from '../../../src/platform/latency.js';
import type { AppEnv } from '../../../src/web/app-env.js';
import { serverLatency, timedAction } from '../../../src/web/middleware/latency.js';

const appWith = (recorder: LatencyRecorder): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();
  app.use('/admin/*', serverLatency(recorder, ['/admin/io/latency']));
  app.get('/admin', (c) => c.text('home'));
  app.get('/admin/jobs/:id', (c) => c.text(`job ${c.req.param('id')}`));
  app.get('/admin/named', timedAction('Named page'), (c) => c.text('named'));
  app.post('/admin/io/latency', (c) => c.body(null, 204));
  app.get('/admin/stream', (c) => streamSSE(c, async (s) => s.writeSSE({ data: 'x' })));
  app.get('/admin/fails', () => {
    throw new Error('broken');
  });
  app.onError((_err, c) => c.text('error', 500));
  // A plugin's routes, merged and mounted the way src/web/app.ts does it.
  const part = new Hono<AppEnv>();
  part.get('/rules/:id/edit', (c) => c.text('edit'));
  const merged = new Hono<AppEnv>();
  merged.route('/', part);
  app.route('/admin/pf-jira', merged);
  return app;
};

const actions = (recorder: LatencyRecorder) => Object.fromEntries(recorder.snapshot().map((r) => [r.action, r.server?.count ?? 0]));

test('names a request by its method and the full pattern of the route that answered', async () => {
  const recorder = new LatencyRecorder();
  const app = appWith(recorder);
  await app.request('/admin/jobs/12');
  await app.request('/admin/jobs/13');
  await app.request('/admin/pf-jira/rules/7/edit');
  await app.request('/admin');
  assert.deepEqual(actions(recorder), { 'GET /admin': 1, 'GET /admin/jobs/:id': 2, 'GET /admin/pf-jira/rules/:id/edit': 1 });
});

test('uses the name a route gives itself with timedAction', async () => {
  const recorder = new LatencyRecorder();
  await appWith(recorder).request('/admin/named');
  assert.deepEqual(actions(recorder), { 'Named page': 1 });
});

test('times the handler until the response is ready', async () => {
  const recorder = new LatencyRecorder();
  const app = new Hono<AppEnv>();
  app.use('*', serverLatency(recorder, []));
  app.get('/slow', async (c) => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    return c.text('done');
  });
  await app.request('/slow');
  const p50 = recorder.snapshot()[0]!.server!.p50;
  assert.ok(p50 >= 25 && p50 < 1000, `p50 ${p50}`);
});

test('skips event streams and the skipped paths, and counts failed requests under their route', async () => {
  const recorder = new LatencyRecorder();
  const app = appWith(recorder);
  const stream = await app.request('/admin/stream');
  await stream.text();
  await app.request('/admin/io/latency', { method: 'POST' });
  assert.equal((await app.request('/admin/fails')).status, 500);
  assert.deepEqual(actions(recorder), { 'GET /admin/fails': 1 });
});

test('names a request no route answered without its path', async () => {
  const recorder = new LatencyRecorder();
  await appWith(recorder).request('/admin/no/such/page/42');
  assert.deepEqual(actions(recorder), { 'GET (no matching route)': 1 });
});
