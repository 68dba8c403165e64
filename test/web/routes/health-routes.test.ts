import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHub } from '../../helpers/hub.js';

test('/healthz answers 200 {status:"ok"} without sign-in, even before setup, and is never cached', async () => {
  const hub = await startTestHub();
  try {
    const res = await hub.agent().get('/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('Content-Type') ?? '', /^application\/json/);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    assert.deepEqual(await res.json(), { status: 'ok' });
  } finally {
    await hub.close();
  }
});

test('/readyz answers 200 with every check when all pass', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await hub.agent().get('/readyz');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    const body = (await res.json()) as { status: string; checks: Record<string, string>; failing?: string[] };
    assert.equal(body.status, 'ready');
    assert.equal(body.checks.database, 'ok');
    assert.equal(body.checks.migrations, 'ok');
    assert.ok(Object.values(body.checks).every((v) => v === 'ok'));
    assert.equal(body.failing, undefined);
  } finally {
    await hub.close();
  }
});

test('/readyz answers 503 naming the failing check and its reason', async () => {
  const hub = await startTestHub();
  try {
    hub.ctx.readiness.register('queue', () => ({ ok: false, reason: 'worker stopped' }));
    const res = await hub.agent().get('/readyz');
    assert.equal(res.status, 503);
    const body = (await res.json()) as { status: string; checks: Record<string, string>; failing: string[] };
    assert.equal(body.status, 'not_ready');
    assert.deepEqual(body.failing, ['queue']);
    assert.equal(body.checks.queue, 'worker stopped');
    assert.equal(body.checks.database, 'ok');
  } finally {
    await hub.close();
  }
});

test('/readyz reports a check that throws as failing, with the error message', async () => {
  const hub = await startTestHub();
  try {
    hub.ctx.readiness.register('disk', () => {
      throw new Error('ENOSPC: no space left');
    });
    const res = await hub.agent().get('/readyz');
    assert.equal(res.status, 503);
    const body = (await res.json()) as { checks: Record<string, string>; failing: string[] };
    assert.deepEqual(body.failing, ['disk']);
    assert.equal(body.checks.disk, 'ENOSPC: no space left');
  } finally {
    await hub.close();
  }
});
