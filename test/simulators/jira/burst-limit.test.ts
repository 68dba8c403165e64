import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { ManualClock } from '../../../src/platform/clock.js';
import type { SimEnv } from '../../../src/simulators/sim-kit.js';
import { burstLimit } from '../../../src/simulators/jira/burst-limit.js';

const limited = (limit: number) => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 10, 0, 0, 250));
  const app = new Hono<SimEnv>();
  app.use(burstLimit(() => limit, () => clock.now()));
  app.get('*', (c) => c.text('ok'));
  return { app, clock };
};

test('answers 429 with Retry-After and the burst reason past the per-second limit', async () => {
  const { app } = limited(2);
  assert.equal((await app.request('/a')).status, 200);
  assert.equal((await app.request('/a')).status, 200);
  const res = await app.request('/a');
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '1');
  assert.equal(res.headers.get('ratelimit-reason'), 'jira-burst-based');
  assert.equal(res.headers.get('x-ratelimit-reset'), '2026-01-01T10:00Z');
  assert.deepEqual(await res.json(), { errorMessages: ['Rate limit exceeded.'], errors: {} });
});

test('starts counting again in the next second', async () => {
  const { app, clock } = limited(1);
  await app.request('/a');
  assert.equal((await app.request('/a')).status, 429);
  clock.advance(1000);
  assert.equal((await app.request('/a')).status, 200);
});

test('a limit of 0 is off, and /__sim is never limited', async () => {
  const off = limited(0);
  for (let i = 0; i < 5; i++) assert.equal((await off.app.request('/a')).status, 200);
  const on = limited(1);
  for (let i = 0; i < 3; i++) assert.equal((await on.app.request('/__sim/state')).status, 200);
});
