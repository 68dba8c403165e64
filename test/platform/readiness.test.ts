import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readiness } from '../../src/platform/readiness.js';

test('is ready with no checks registered', () => {
  assert.deepEqual(new Readiness().run(), { ready: true, checks: {} });
});

test('is ready when every check passes', () => {
  const readiness = new Readiness();
  readiness.register('database', () => ({ ok: true }));
  readiness.register('queue', () => ({ ok: true }));
  assert.deepEqual(readiness.run(), { ready: true, checks: { database: 'ok', queue: 'ok' } });
});

test('is not ready when one check fails, reporting its reason', () => {
  const readiness = new Readiness();
  readiness.register('database', () => ({ ok: true }));
  readiness.register('migrations', () => ({ ok: false, reason: 'pending migrations: 0001_x' }));
  assert.deepEqual(readiness.run(), { ready: false, checks: { database: 'ok', migrations: 'pending migrations: 0001_x' } });
});

test('turns a check that throws into a failure with its message', () => {
  const readiness = new Readiness();
  readiness.register('database', () => {
    throw new Error('database is locked');
  });
  assert.deepEqual(readiness.run(), { ready: false, checks: { database: 'database is locked' } });
});

test('replaces a check registered again under the same name', () => {
  const readiness = new Readiness();
  readiness.register('x', () => ({ ok: false, reason: 'old' }));
  readiness.register('x', () => ({ ok: true }));
  assert.deepEqual(readiness.run(), { ready: true, checks: { x: 'ok' } });
});

test('runs the checks again on every call', () => {
  const readiness = new Readiness();
  let up = false;
  readiness.register('worker', () => (up ? { ok: true } : { ok: false, reason: 'starting' }));
  assert.equal(readiness.run().ready, false);
  up = true;
  assert.equal(readiness.run().ready, true);
});
