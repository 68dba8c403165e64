import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createBqeProbes } from '../../../../src/plugins/bqe/api/probes.js';
import { UpstreamError } from '../../../../src/platform/upstream-error.js';
import { startFixture, type BqeFixture } from '../oauth/connection-fixture.js';

let fx: BqeFixture;
const probes = () => createBqeProbes(fx.api.forConnection({ id: fx.connectionId, utcOffsetMinutes: -480 }), fx.meta);

before(async () => {
  fx = await startFixture();
  await fx.connect();
});
after(() => fx.close());

test('the activity probe reads the first page of one activity', async () => {
  const result = await probes().activityProbe();
  assert.equal(result.sampleCount, fx.meta.api.probes.activity.pageSize);
  assert.ok(Number.isInteger(result.ms) && result.ms >= 0);
  const call = fx.recorded.at(-1);
  assert.match(call?.url.pathname ?? '', /\/activity$/);
  assert.equal(call?.url.searchParams.get('page'), `${fx.meta.api.paging.firstPage},${fx.meta.api.probes.activity.pageSize}`);
});

test('the connection probe reports how many projects the sample held', async () => {
  const result = await probes().connectionProbe();
  assert.equal(result.sampleCount, fx.meta.api.probes.connection.pageSize);
  assert.equal(fx.recorded.at(-1)?.url.searchParams.get('page'), `${fx.meta.api.paging.firstPage},${fx.meta.api.probes.connection.pageSize}`);
});

test('the connection probe checks project ids like a sync would', async () => {
  fx.sim.sim.setConfig({ malformedResponse: 'missing_id' });
  try {
    await assert.rejects(probes().connectionProbe(), (err: unknown) => err instanceof UpstreamError && err.kind === 'bad_response' && /record 1 on page 1 of \/project has no id/.test(err.message));
  } finally {
    fx.sim.sim.setConfig({ malformedResponse: 'none' });
  }
});
