import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { afterEach, beforeEach, test } from 'node:test';
import type { DbHandle } from '../../../../src/db/connection.js';
import { createConnectionRepository } from '../../../../src/plugins/bqe/db/connection-repository.js';
import { bqeDb } from '../../../../src/plugins/bqe/db/plugin-db.js';
import { createSyncRepository, type NewRun, type SyncRepository } from '../../../../src/plugins/bqe/db/sync-repository.js';
import { SecretBox } from '../../../../src/platform/secrets.js';
import { migratedDb } from '../../../helpers/db.js';

let handle: DbHandle;
let repo: SyncRepository;
let connectionId: number;
let otherConnectionId: number;

const T0 = Date.UTC(2026, 2, 1);

beforeEach(() => {
  handle = migratedDb();
  const db = bqeDb(handle);
  const connections = createConnectionRepository(db, new SecretBox(crypto.randomBytes(32)));
  const make = (name: string) => connections.create({ name, environment: 'sandbox', identityUrl: 'https://idp.example/idp', clientId: 'app', clientSecret: 's', utcOffsetMinutes: 0 }, T0).id;
  connectionId = make('Acme');
  otherConnectionId = make('Other');
  repo = createSyncRepository(db);
});

afterEach(() => handle.close());

const newRun = (overrides: Partial<NewRun> = {}): NewRun => ({ connectionId, object: 'project', mode: 'full', trigger: 'manual', cursorFrom: null, correlationId: 'c-1', now: T0, ...overrides });

test('a cursor starts empty and is created once', () => {
  assert.equal(repo.getCursor(connectionId, 'project'), undefined);
  const created = repo.ensureCursor(connectionId, 'project', T0);
  assert.deepEqual(created, { connectionId, object: 'project', cursor: null, fullRequested: false, activeRunId: null, nextPage: null, lastFullSyncAt: null, updatedAt: T0 });
  repo.requestFull(connectionId, 'project', T0 + 1);
  assert.equal(repo.ensureCursor(connectionId, 'project', T0 + 2).fullRequested, true, 'ensuring again keeps what is stored');
});

test('the watermark only moves forward', () => {
  repo.advanceCursor(connectionId, 'client', '2026-01-10T10:00:00', T0);
  repo.advanceCursor(connectionId, 'client', '2026-01-09T10:00:00', T0 + 1);
  assert.equal(repo.getCursor(connectionId, 'client')?.cursor, '2026-01-10T10:00:00');
  repo.advanceCursor(connectionId, 'client', '2026-01-11T00:00:00', T0 + 2);
  assert.equal(repo.getCursor(connectionId, 'client')?.cursor, '2026-01-11T00:00:00');
});

test('records the slice position and a completed full sweep', () => {
  repo.requestFull(connectionId, 'project', T0);
  repo.setPosition(connectionId, 'project', { activeRunId: 5, nextPage: 3 }, T0);
  assert.deepEqual([repo.getCursor(connectionId, 'project')?.activeRunId, repo.getCursor(connectionId, 'project')?.nextPage], [5, 3]);
  repo.completeFull(connectionId, 'project', T0 + 9);
  const cursor = repo.getCursor(connectionId, 'project');
  assert.deepEqual([cursor?.fullRequested, cursor?.lastFullSyncAt], [false, T0 + 9]);
});

test('resetting a connection’s cursors forgets its watermarks and stops its running runs, and nothing else', () => {
  repo.advanceCursor(connectionId, 'project', '2026-01-10T10:00:00', T0);
  repo.advanceCursor(connectionId, 'client', '2026-01-10T10:00:00', T0);
  repo.advanceCursor(otherConnectionId, 'project', '2026-01-10T10:00:00', T0);
  const running = repo.startRun(newRun());
  repo.setPosition(connectionId, 'project', { activeRunId: running.id, nextPage: 2 }, T0);
  const finished = repo.finishRun(repo.startRun(newRun({ object: 'client' })).id, { status: 'succeeded', now: T0 });
  const elsewhere = repo.startRun(newRun({ connectionId: otherConnectionId }));

  assert.equal(repo.resetCursors(connectionId, T0 + 5, 'The UTC offset changed.'), 1);
  assert.deepEqual(repo.cursors(connectionId).map((c) => [c.object, c.cursor, c.activeRunId, c.nextPage]), [['client', null, null, null], ['project', null, null, null]]);
  assert.equal(repo.getCursor(otherConnectionId, 'project')?.cursor, '2026-01-10T10:00:00');
  const stopped = repo.getRun(running.id);
  assert.deepEqual([stopped?.status, stopped?.error, stopped?.finishedAt], ['failed', 'The UTC offset changed.', T0 + 5]);
  assert.equal(repo.getRun(finished.id)?.status, 'succeeded');
  assert.equal(repo.getRun(elsewhere.id)?.status, 'running');
});

test('a run starts with zero counts and adds to them page by page', () => {
  const run = repo.startRun(newRun({ mode: 'delta', trigger: 'schedule', cursorFrom: '2026-01-01T00:00:00' }));
  assert.deepEqual([run.status, run.mode, run.trigger, run.pages, run.fetched, run.cursorFrom, run.cursorTo, run.finishedAt], ['running', 'delta', 'schedule', 0, 0, '2026-01-01T00:00:00', null, null]);
  repo.addToRun(run.id, { pages: 1, fetched: 10, inserted: 9, duplicates: 1 }, '2026-01-05T00:00:00');
  const after = repo.addToRun(run.id, { pages: 1, fetched: 4, updated: 4, rateWaits: 2, rateWaitMs: 350 }, '2026-01-04T00:00:00');
  assert.deepEqual(
    [after.pages, after.fetched, after.inserted, after.updated, after.duplicates, after.rateWaits, after.rateWaitMs, after.cursorTo],
    [2, 14, 9, 4, 1, 2, 350, '2026-01-05T00:00:00'],
  );
  assert.deepEqual(repo.addToRun(run.id, {}), after);
});

test('finishing a run records its outcome once', () => {
  const run = repo.startRun(newRun());
  const failed = repo.finishRun(run.id, { status: 'failed', error: 'HTTP 500', now: T0 + 3 });
  assert.deepEqual([failed.status, failed.error, failed.finishedAt], ['failed', 'HTTP 500', T0 + 3]);
  const again = repo.finishRun(run.id, { status: 'succeeded', now: T0 + 4 });
  assert.deepEqual([again.status, again.error, again.finishedAt], ['failed', 'HTTP 500', T0 + 3]);
});

test('history lists a connection’s runs newest first, per object when asked', () => {
  const ids = [repo.startRun(newRun()).id, repo.startRun(newRun({ object: 'client' })).id, repo.startRun(newRun()).id];
  repo.startRun(newRun({ connectionId: otherConnectionId }));
  assert.deepEqual(repo.history(connectionId, { limit: 10 }).map((r) => r.id), [...ids].reverse());
  assert.deepEqual(repo.history(connectionId, { object: 'project', limit: 1 }).map((r) => r.id), [ids[2]]);
  assert.equal(repo.latestRun(connectionId, 'client')?.id, ids[1]);
  assert.equal(repo.latestRun(otherConnectionId, 'client'), undefined);
});

test('pruning keeps the newest runs of one connection and object', () => {
  const ids = Array.from({ length: 5 }, () => repo.finishRun(repo.startRun(newRun()).id, { status: 'succeeded', now: T0 }).id);
  const client = repo.startRun(newRun({ object: 'client' }));
  assert.equal(repo.pruneRuns(connectionId, 'project', 3), 2);
  assert.deepEqual(repo.history(connectionId, { object: 'project', limit: 10 }).map((r) => r.id), ids.slice(2).reverse());
  assert.equal(repo.getRun(client.id)?.id, client.id);
  assert.equal(repo.pruneRuns(connectionId, 'project', 3), 0);
});

test('pruning never removes a run that is still running', () => {
  const oldest = repo.startRun(newRun());
  repo.finishRun(repo.startRun(newRun()).id, { status: 'succeeded', now: T0 });
  repo.finishRun(repo.startRun(newRun()).id, { status: 'succeeded', now: T0 });
  assert.equal(repo.pruneRuns(connectionId, 'project', 1), 1);
  assert.equal(repo.getRun(oldest.id)?.status, 'running');
});
