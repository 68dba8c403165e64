import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, test } from 'node:test';
import pino from 'pino';
import { UpstreamError } from '../../../../src/platform/upstream-error.js';
import { OFFSET_CHANGED } from '../../../../src/plugins/bqe/sync/sync-errors.js';
import type { ProjectRecord } from '../../../../src/simulators/bqe/sim-data.js';
import { syncFixture, type SyncFixture, type SyncFixtureOptions } from './sync-fixture.js';

const SECOND = 1000;
const DAY = 86_400_000;

let f: SyncFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const setup = async (options: SyncFixtureOptions = {}): Promise<SyncFixture> => {
  f = await syncFixture(options);
  return f;
};

/** Small pages so a handful of records spans several of them. */
const smallPages = (pageSize: number, pagesPerSlice = 5) => (meta: SyncFixtureOptions['meta'] extends ((m: infer M) => void) | undefined ? M : never) => {
  meta.api.paging.pageSize = pageSize;
  meta.sync.pagesPerSlice = pagesPerSlice;
};

const newestStamp = (records: Iterable<{ lastUpdated: number }>): number => Math.max(...[...records].map((r) => r.lastUpdated));

/** Adds root projects to the simulator with the given UTC instants as lastUpdated. */
const addProjects = (fx: SyncFixture, stamps: number[], prefix = 'Project'): ProjectRecord[] =>
  stamps.map((stamp, i) => fx.sim.addProject({ name: `${prefix} ${i + 1}`, createdOn: new Date(stamp).toISOString(), lastUpdated: new Date(stamp).toISOString() }));

const mirroredIds = (fx: SyncFixture): string[] => fx.mirrors.searchProjects(fx.connectionId, { limit: 10_000, offset: 0 }).rows.map((p) => p.externalId).sort();

test('a first sync is a full sweep that mirrors every seeded project and leaves the newest lastUpdated as cursor', async () => {
  const fx = await setup();
  const { run } = await fx.sync('project');
  const projects = [...fx.sim.data.projects.values()];

  assert.deepEqual([run.status, run.mode, run.trigger, run.pages, run.requests, run.fetched, run.inserted], ['succeeded', 'full', 'manual', 1, 1, projects.length, projects.length]);
  assert.deepEqual(mirroredIds(fx), projects.map((p) => p.id).sort());
  const cursor = fx.syncRepo.getCursor(fx.connectionId, 'project');
  assert.equal(cursor?.cursor, fx.naive(newestStamp(projects)));
  assert.deepEqual([cursor?.fullRequested, cursor?.lastFullSyncAt, cursor?.activeRunId, cursor?.nextPage], [false, fx.clock.now(), null, null]);
  assert.deepEqual(fx.listRequests('project'), [{ page: '1,1000', orderBy: 'lastUpdated asc', status: 200, utcOffset: '-300' }]);

  const sample = projects.find((p) => p.level === 2) as ProjectRecord;
  const mirrored = fx.mirrors.findProject(fx.connectionId, sample.id);
  assert.deepEqual(
    [mirrored?.name, mirrored?.code, mirrored?.level, mirrored?.parentExternalId, mirrored?.rootExternalId, mirrored?.clientExternalId, mirrored?.lastUpdated],
    [sample.name, sample.code, 2, sample.parentId, sample.rootProjectId, sample.clientId, fx.naive(sample.lastUpdated)],
  );
  assert.equal(mirrored?.payload.id, sample.id);
});

test('mirrors clients too, and stores the legacy ids BQE still sends', async () => {
  const fx = await setup();
  const { run } = await fx.sync('client');
  const clients = [...fx.sim.data.clients.values()];
  assert.deepEqual([run.status, run.inserted], ['succeeded', clients.length]);
  const legacy = clients.find((c) => c.legacyId !== null);
  assert.ok(legacy, 'the seed has clients from before the GUID migration');
  assert.equal(fx.mirrors.findClient(fx.connectionId, String(legacy.legacyId))?.externalId, legacy.id);
});

test('announces progress when a run starts, after each page and when it ends', async () => {
  const fx = await setup({ meta: smallPages(25) });
  const { run } = await fx.sync('project');
  assert.deepEqual(
    fx.progress.map((e) => [e.pages, e.status]),
    [[0, 'running'], [1, 'running'], [2, 'running'], [3, 'running'], [3, 'succeeded']],
  );
  assert.deepEqual(fx.progress.at(-1), { connectionId: fx.connectionId, object: 'project', runId: run.id, pages: 3, fetched: 60, status: 'succeeded' });
});

test('a delta run asks only for what changed since the cursor, less the overlap, and applies the change', async () => {
  const fx = await setup();
  await fx.sync('project');
  const cursor = fx.syncRepo.getCursor(fx.connectionId, 'project')?.cursor as string;
  fx.clock.advance(DAY);
  const changed = [...fx.sim.data.projects.values()][7] as ProjectRecord;
  fx.sim.updateProject(changed.id, { name: 'Riverside Clinic — Phase 2' });

  const { run } = await fx.sync('project', 'schedule');
  const overlapStart = new Date(Date.parse(`${cursor}Z`) - fx.meta.sync.overlapSeconds * SECOND).toISOString().slice(0, 19);
  assert.deepEqual(fx.listRequests('project').at(-1), { page: '1,1000', where: `lastUpdated >= '${overlapStart}'`, orderBy: 'lastUpdated asc', status: 200, utcOffset: '-300' });
  assert.deepEqual([run.mode, run.trigger, run.updated, run.inserted, run.cursorFrom], ['delta', 'schedule', 1, 0, cursor]);
  assert.equal(run.unchanged, run.fetched - 1, 'records in the overlap window are read again and left as they are');
  assert.equal(fx.mirrors.findProject(fx.connectionId, changed.id)?.name, 'Riverside Clinic — Phase 2');
  assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.cursor, fx.naive(changed.lastUpdated));
});

test('a delta run that finds nothing newer keeps the cursor where it was', async () => {
  const fx = await setup();
  await fx.sync('project');
  const before = fx.syncRepo.getCursor(fx.connectionId, 'project')?.cursor;
  const { run } = await fx.sync('project');
  assert.deepEqual([run.mode, run.inserted, run.updated], ['delta', 0, 0]);
  assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.cursor, before);
});

test('records sharing one lastUpdated across page boundaries and across runs are never skipped', async () => {
  const fx = await setup({ sim: { projects: 0, clients: 0 }, meta: smallPages(5) });
  const bulkEdit = fx.clock.now() - 2 * DAY;
  addProjects(fx, Array.from({ length: 12 }, () => bulkEdit), 'Bulk');
  const first = await fx.sync('project');
  assert.deepEqual([first.run.pages, first.run.inserted], [3, 12]);

  // More records saved in the same second after the run read it: a `>` cursor would lose them.
  addProjects(fx, Array.from({ length: 7 }, () => bulkEdit), 'Late');
  const second = await fx.sync('project');
  assert.deepEqual([second.run.mode, second.run.fetched, second.run.unchanged, second.run.inserted], ['delta', 19, 12, 7]);
  assert.equal(mirroredIds(fx).length, 19);
  assert.ok(fx.listRequests('project').slice(3).every((q) => q.where === `lastUpdated >= '${fx.naive(bulkEdit - fx.meta.sync.overlapSeconds * SECOND)}'`));
});

test('a record met twice in one run is stored once and counted as a duplicate; the unsettled run moves no cursor', async () => {
  const fx = await setup({ sim: { projects: 0, clients: 0 }, meta: smallPages(5, 1) });
  const base = fx.clock.now() - DAY;
  addProjects(fx, Array.from({ length: 12 }, (_, i) => base + i * SECOND));
  assert.equal((await fx.slice('project')).done, false);

  // A record dated before all others appears upstream: the rest move one place on, so the last record of page 1 comes again on page 2.
  const [restored] = addProjects(fx, [base - DAY], 'Restored from backup');
  const { run } = await fx.sync('project');
  assert.deepEqual([run.pages, run.fetched, run.inserted, run.duplicates], [3, 13, 12, 1]);
  assert.equal(mirroredIds(fx).length, 12);
  assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.cursor, null, 'the list moved while it was read, so the next run reads it all again');

  const next = await fx.sync('project');
  assert.deepEqual([next.run.mode, next.run.inserted, next.run.duplicates], ['full', 1, 0]);
  assert.ok(mirroredIds(fx).includes(restored!.id));
  assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.cursor, fx.naive(base + 11 * SECOND));
});

test('a record edited while a delta run pages is written with its new values, and the record it pushed past a page boundary comes with the next run', async () => {
  const fx = await setup({ sim: { projects: 0, clients: 0 }, meta: smallPages(5, 1) });
  addProjects(fx, [fx.clock.now() - 10 * DAY], 'Old');
  await fx.sync('project');
  const cursor = fx.syncRepo.getCursor(fx.connectionId, 'project')?.cursor;
  const base = fx.clock.now() - DAY;
  const added = addProjects(fx, Array.from({ length: 12 }, (_, i) => base + i * SECOND));
  assert.equal((await fx.slice('project')).done, false, 'page 1 read');

  // Page 1 held the old record and the first four new ones. The second (already read) is edited and moves to the end, so the fifth slides back onto page 1.
  fx.sim.updateProject(added[1]!.id, { name: 'Edited during the run' });
  const { run } = await fx.sync('project');
  assert.deepEqual([run.mode, run.duplicates, run.status], ['delta', 1, 'succeeded']);
  assert.equal(fx.mirrors.findProject(fx.connectionId, added[1]!.id)?.name, 'Edited during the run');
  assert.equal(fx.mirrors.findProject(fx.connectionId, added[4]!.id), undefined, 'skipped by this run');
  assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.cursor, cursor, 'the watermark stays, so the skipped record is read again');

  await fx.sync('project');
  assert.ok(fx.mirrors.findProject(fx.connectionId, added[4]!.id));
  assert.equal(mirroredIds(fx).length, 13);
});

test('parentOnly asks BQE for root projects only and mirrors only those', async () => {
  const fx = await setup({ connection: { parentOnly: true } });
  const { run } = await fx.sync('project');
  const roots = [...fx.sim.data.projects.values()].filter((p) => p.parentId === null);
  assert.deepEqual(fx.listRequests('project'), [{ page: '1,1000', where: 'parentId is null', orderBy: 'lastUpdated asc', status: 200, utcOffset: '-300' }]);
  assert.equal(run.inserted, roots.length);
  assert.deepEqual(mirroredIds(fx), roots.map((p) => p.id).sort());
});

test('a maximum project level filters children upstream, combined with the delta filter', async () => {
  const fx = await setup({ connection: { maxProjectLevel: 1 } });
  await fx.sync('project');
  const shallow = [...fx.sim.data.projects.values()].filter((p) => p.level <= 1);
  assert.deepEqual(mirroredIds(fx), shallow.map((p) => p.id).sort());
  assert.equal(fx.listRequests('project')[0]?.where, 'level <= 1');

  const cursor = fx.syncRepo.getCursor(fx.connectionId, 'project')?.cursor as string;
  await fx.sync('project');
  assert.equal(fx.listRequests('project')[1]?.where, `lastUpdated >= '${fx.naive(Date.parse(`${cursor}Z`) - fx.meta.sync.overlapSeconds * SECOND, 0)}' and level <= 1`);
});

test('parentOnly and a maximum level are sent together', async () => {
  const fx = await setup({ connection: { parentOnly: true, maxProjectLevel: 2 } });
  await fx.sync('project');
  assert.equal(fx.listRequests('project')[0]?.where, 'parentId is null and level <= 2');
});

test('a full re-sync marks records gone upstream as deleted without removing them', async () => {
  const fx = await setup();
  await fx.sync('project');
  const leaf = [...fx.sim.data.projects.values()].find((p) => p.level === 3) as ProjectRecord;
  fx.sim.deleteProject(leaf.id);

  const delta = await fx.sync('project');
  assert.equal(delta.run.deleted, 0, 'a delta run cannot see deletions');
  fx.syncRepo.requestFull(fx.connectionId, 'project', fx.clock.now());
  const { run } = await fx.sync('project');
  assert.deepEqual([run.mode, run.missing, run.deleted], ['full', 1, 1]);
  assert.equal(fx.mirrors.findProject(fx.connectionId, leaf.id)?.deletedAt, fx.clock.now());
  assert.equal(fx.mirrors.projectCounts(fx.connectionId).deleted, 1);
  assert.equal(fx.rows('integration_external_links').length, fx.sim.data.projects.size + 1);
  assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.fullRequested, false);
});

test('with report_only a full re-sync counts records gone upstream but leaves them as they are', async () => {
  const fx = await setup({ connection: { deletionPolicy: 'report_only' } });
  await fx.sync('project');
  const leaf = [...fx.sim.data.projects.values()].find((p) => p.level === 3) as ProjectRecord;
  fx.sim.deleteProject(leaf.id);
  fx.syncRepo.requestFull(fx.connectionId, 'project', fx.clock.now());
  const { run } = await fx.sync('project');
  assert.deepEqual([run.missing, run.deleted], [1, 0]);
  assert.equal(fx.mirrors.findProject(fx.connectionId, leaf.id)?.deletedAt, null);
});

test('a record that reappears upstream is restored in the mirror', async () => {
  const fx = await setup();
  await fx.sync('project');
  const leaf = [...fx.sim.data.projects.values()].find((p) => p.level === 3) as ProjectRecord;
  fx.sim.deleteProject(leaf.id);
  fx.syncRepo.requestFull(fx.connectionId, 'project', fx.clock.now());
  await fx.sync('project');
  assert.notEqual(fx.mirrors.findProject(fx.connectionId, leaf.id)?.deletedAt, null);

  fx.sim.data.projects.set(leaf.id, leaf);
  fx.syncRepo.requestFull(fx.connectionId, 'project', fx.clock.now());
  const { run } = await fx.sync('project');
  assert.deepEqual([run.updated, run.deleted], [1, 0]);
  assert.equal(fx.mirrors.findProject(fx.connectionId, leaf.id)?.deletedAt, null);
});

test('rows from before the GUID migration are promoted to the GUID, counted and logged, and keep their numeric id', async () => {
  const fx = await setup();
  const legacy = [...fx.sim.data.projects.values()].filter((p) => p.legacyId !== null).slice(0, 3);
  assert.equal(legacy.length, 3, 'the seed has projects with legacy ids');
  const insert = fx.handle.sqlite.prepare(
    "INSERT INTO integration_external_links (provider, connection_id, object_type, external_id, legacy_external_id, name, payload, first_seen_at, synced_at) VALUES ('bqe', ?, 'project', ?, ?, ?, '{}', ?, ?)",
  );
  // One row as 0006 leaves it (numeric id copied), two as an older build wrote them after it.
  insert.run(fx.connectionId, String(legacy[0]!.legacyId), String(legacy[0]!.legacyId), 'Pre-GUID 1', 1, 1);
  insert.run(fx.connectionId, String(legacy[1]!.legacyId), null, 'Pre-GUID 2', 1, 1);
  insert.run(fx.connectionId, String(legacy[2]!.legacyId), null, 'Pre-GUID 3', 1, 1);
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) }));

  const result = await fx.objectSync.runSlice({ connection: fx.connection(), object: 'project', trigger: 'manual', signal: new AbortController().signal, log });
  assert.equal(result.run?.promoted, 3);
  assert.equal(result.run?.inserted, fx.sim.data.projects.size - 3);
  assert.equal(fx.rows('integration_external_links').length, fx.sim.data.projects.size);
  for (const p of legacy) {
    const row = fx.mirrors.findProject(fx.connectionId, String(p.legacyId));
    assert.deepEqual([row?.externalId, row?.legacyExternalId, row?.name, row?.firstSeenAt], [p.id, String(p.legacyId), p.name, 1]);
  }
  assert.deepEqual(
    lines.filter((l) => l.msg === 'bqe legacy id promoted').map((l) => [l.connection, l.object, l.legacyId, l.externalId]).sort(),
    legacy.map((p) => [fx.connectionId, 'project', String(p.legacyId), p.id]).sort(),
  );
});

test('a page that repeats the previous one fails the run with that reason and keeps what earlier pages mirrored', async () => {
  const fx = await setup({ meta: smallPages(20) });
  await fx.sync('project');
  const cursor = fx.syncRepo.getCursor(fx.connectionId, 'project')?.cursor;
  fx.clock.advance(DAY);
  for (const p of [...fx.sim.data.projects.values()].slice(0, 25)) fx.sim.updateProject(p.id, { status: 3 });
  fx.sim.setConfig({ pageRepeat: true });

  const result = await fx.slice('project');
  assert.equal(result.done, true);
  const run = result.run!;
  assert.equal(run.status, 'failed');
  assert.match(run.error ?? '', /BQE answered project page 2 with the same records as the page before/);
  assert.deepEqual([run.pages, run.requests, run.fetched, run.updated + run.unchanged], [1, 2, 20, 20]);
  assert.equal(fx.mirrors.projectCounts(fx.connectionId).active, fx.sim.data.projects.size);
  assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.cursor, cursor);
  assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.activeRunId, null, 'the next slice starts a new run');
  assert.equal(fx.progress.at(-1)?.status, 'failed');
});

test('a repeat is noticed when it comes as the first page of a later slice', async () => {
  const fx = await setup({ meta: smallPages(20, 1) });
  assert.equal((await fx.slice('project')).done, false);
  fx.sim.setConfig({ pageRepeat: true });
  const result = await fx.slice('project');
  assert.deepEqual([result.done, result.run?.status, result.run?.pages], [true, 'failed', 1]);
  assert.match(result.run?.error ?? '', /same records as the page before/);
});

for (const [mode, reason] of [
  ['object', /instead of a list/],
  ['missing_id', /has no id/],
] as const) {
  test(`a response ${mode === 'object' ? 'that is not a list' : 'with a record lacking id'} fails the run and loses nothing already mirrored`, async () => {
    const fx = await setup({ meta: smallPages(20, 1) });
    await fx.sync('project');
    const before = fx.rows('integration_external_links');
    fx.syncRepo.requestFull(fx.connectionId, 'project', fx.clock.now());
    assert.equal((await fx.slice('project')).done, false);
    fx.sim.setConfig({ malformedResponse: mode });

    await assert.rejects(fx.slice('project'), (err: unknown) => err instanceof UpstreamError && err.kind === 'bad_response' && reason.test(err.message));
    const run = fx.syncRepo.latestRun(fx.connectionId, 'project');
    assert.deepEqual([run?.status, run?.pages, run?.deleted], ['failed', 1, 0]);
    assert.match(run?.error ?? '', reason);
    assert.deepEqual(fx.rows('integration_external_links').map((r) => [r.external_id, r.deleted_at, r.name]), before.map((r) => [r.external_id, r.deleted_at, r.name]));
    assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.fullRequested, true, 'the full re-sync is still to do');
  });
}

test('an upstream server error fails the run and is thrown so the queue retries; committed pages stay', async () => {
  const fx = await setup({ meta: smallPages(20) });
  fx.sim.faults.add({ kind: 'status', status: 503, match: 'GET .*/api/project', count: 1 });
  fx.sim.faults.add({ kind: 'status', status: 503, match: 'GET .*/api/project', count: 1 });
  await assert.rejects(fx.slice('project'), (err: unknown) => err instanceof UpstreamError && err.status === 503);
  const failed = fx.syncRepo.latestRun(fx.connectionId, 'project');
  assert.deepEqual([failed?.status, failed?.pages, failed?.requests], ['failed', 0, 1]);
  await assert.rejects(fx.slice('project'));
  const { run } = await fx.sync('project');
  assert.deepEqual([run.status, run.mode, run.inserted], ['succeeded', 'full', fx.sim.data.projects.size]);
  assert.equal(fx.syncRepo.history(fx.connectionId, { object: 'project', limit: 10 }).length, 3);
});

test('a connection BQE no longer accepts finishes the run as failed without a retry', async () => {
  const fx = await setup();
  fx.sim.expireTokens();
  fx.sim.revokeRefreshTokens();
  const result = await fx.slice('project');
  assert.deepEqual([result.done, result.run?.status], [true, 'failed']);
  assert.match(result.run?.error ?? '', /Reconnect OAuth/);
  assert.equal(fx.connections.get(fx.connectionId)?.status, 'needs_reauth');
  assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.activeRunId, null);
});

test('a connection without a UTC offset records a failed run that says how to fix it', async () => {
  const fx = await setup({ utcOffsetMinutes: null });
  const result = await fx.slice('project');
  assert.deepEqual([result.done, result.run?.status, result.run?.requests], [true, 'failed', 0]);
  assert.match(result.run?.error ?? '', /^Set the UTC offset/);
  assert.deepEqual(fx.listRequests('project'), []);
});

test('slices continue the same run from the next page', async () => {
  const fx = await setup({ meta: smallPages(10, 2) });
  const first = await fx.slice('project');
  assert.deepEqual([first.done, first.run?.pages], [false, 2]);
  assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.nextPage, 3);
  const { run, slices } = await fx.sync('project');
  assert.equal(run.id, first.run?.id);
  assert.deepEqual([slices, run.pages, run.fetched, run.inserted], [3, 7, 60, 60]);
  assert.deepEqual(fx.listRequests('project').map((q) => q.page), ['1,10', '2,10', '3,10', '4,10', '5,10', '6,10', '7,10']);
});

test('an offset change while a page is being read stops the run; that page is not saved and the next run is full', async () => {
  const fx = await setup({ meta: smallPages(20, 1) });
  assert.equal((await fx.slice('project')).done, false);
  fx.sim.faults.add({ kind: 'slow', delayMs: 300, match: 'GET .*/api/project' });
  const pending = fx.slice('project');
  while (fx.limiter.stats(fx.connectionId).inFlight === 0) await new Promise((resolve) => setImmediate(resolve));
  fx.syncRepo.resetCursors(fx.connectionId, fx.clock.now(), OFFSET_CHANGED);

  const result = await pending;
  assert.deepEqual([result.done, result.run?.status, result.run?.error, result.run?.pages], [true, 'failed', OFFSET_CHANGED, 1]);
  assert.equal(fx.rows('integration_external_links').length, 20);
  const next = await fx.sync('project');
  assert.deepEqual([next.run.mode, next.run.inserted, next.run.unchanged], ['full', 40, 20]);
});

test('a slice stopped by shutdown leaves the run to continue later', async () => {
  const fx = await setup({ meta: smallPages(10, 5) });
  const stop = new AbortController();
  stop.abort();
  const stopped = await fx.objectSync.runSlice({ connection: fx.connection(), object: 'project', trigger: 'manual', signal: stop.signal });
  assert.deepEqual([stopped.done, stopped.run?.status, stopped.run?.pages], [false, 'running', 0]);
  const { run } = await fx.sync('project');
  assert.deepEqual([run.id, run.status, run.inserted], [stopped.run?.id, 'succeeded', 60]);
});

test('with client sync `referenced` only clients that mirrored projects use are stored', async () => {
  const fx = await setup({ connection: { clientSync: 'referenced', parentOnly: true } });
  await fx.sync('project');
  const used = new Set([...fx.sim.data.projects.values()].filter((p) => p.parentId === null && p.clientId).map((p) => p.clientId as string));
  const { run } = await fx.sync('client');
  assert.deepEqual([run.inserted, run.skipped], [used.size, fx.sim.data.clients.size - used.size]);
  assert.deepEqual(fx.mirrors.searchClients(fx.connectionId, { limit: 100, offset: 0 }).rows.map((c) => c.externalId).sort(), [...used].sort());
});

test('with client sync `off` clients are never asked for', async () => {
  const fx = await setup({ connection: { clientSync: 'off' } });
  const result = await fx.slice('client');
  assert.deepEqual(result, { done: true, run: null });
  assert.deepEqual(fx.listRequests('client'), []);
});

test('time spent waiting on the rate limiter is recorded on the run', async () => {
  const fx = await setup({
    meta: (meta) => {
      smallPages(25)(meta);
      meta.rateLimits.perConnection = { requestsPerMinute: 300, maxConcurrency: 1 };
    },
  });
  const { run } = await fx.sync('project');
  assert.equal(run.pages, 3);
  assert.ok(run.rateWaits >= 1, `waits ${run.rateWaits}`);
  assert.ok(run.rateWaitMs > 0);
  assert.equal(run.rateWaits, fx.limiter.stats(fx.connectionId).waits);
});

test('history is pruned to the number of runs provider.json keeps', async () => {
  const fx = await setup({ meta: (meta) => void (meta.sync.historyKept = 2) });
  for (let i = 0; i < 4; i++) await fx.sync('project');
  assert.deepEqual(fx.syncRepo.history(fx.connectionId, { object: 'project', limit: 10 }).map((r) => r.mode), ['delta', 'delta']);
});
