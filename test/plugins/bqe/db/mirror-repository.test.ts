import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { afterEach, beforeEach, test } from 'node:test';
import type { DbHandle } from '../../../../src/db/connection.js';
import { createConnectionRepository } from '../../../../src/plugins/bqe/db/connection-repository.js';
import { createMirrorRepository, type ClientInput, type MirrorRepository, type ProjectInput } from '../../../../src/plugins/bqe/db/mirror-repository.js';
import { bqeDb } from '../../../../src/plugins/bqe/db/plugin-db.js';
import { SecretBox } from '../../../../src/platform/secrets.js';
import { migratedDb } from '../../../helpers/db.js';

let handle: DbHandle;
let mirrors: MirrorRepository;
let connectionId: number;
let otherConnectionId: number;

const T0 = Date.UTC(2026, 2, 1);
const GUID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

beforeEach(() => {
  handle = migratedDb();
  const db = bqeDb(handle);
  const repo = createConnectionRepository(db, new SecretBox(crypto.randomBytes(32)));
  const make = (name: string) => repo.create({ name, environment: 'sandbox', identityUrl: 'https://idp.example/idp', clientId: 'app', clientSecret: 's', utcOffsetMinutes: 60 }, T0).id;
  connectionId = make('Acme');
  otherConnectionId = make('Other');
  mirrors = createMirrorRepository(db);
});

afterEach(() => handle.close());

const project = (n: number, overrides: Partial<ProjectInput> = {}): ProjectInput => ({
  externalId: GUID(n),
  legacyExternalId: null,
  name: `Project ${n}`,
  code: `P-${n}`,
  status: 0,
  parentExternalId: null,
  rootExternalId: GUID(n),
  level: 0,
  clientExternalId: null,
  lastUpdated: '2026-01-10T09:00:00',
  payload: JSON.stringify({ id: GUID(n), name: `Project ${n}` }),
  ...overrides,
});

const client = (n: number, overrides: Partial<ClientInput> = {}): ClientInput => ({
  externalId: GUID(900 + n),
  legacyExternalId: null,
  name: `Client ${n}`,
  company: `Client ${n} Ltd`,
  email: null,
  status: 0,
  lastUpdated: '2026-01-10T09:00:00',
  payload: JSON.stringify({ id: GUID(900 + n) }),
  ...overrides,
});

const row = (externalId: string) =>
  handle.sqlite.prepare('SELECT * FROM integration_external_links WHERE external_id = ?').get(externalId) as Record<string, unknown> | undefined;

test('inserts new projects keyed by GUID, with their hierarchy and the run that saw them', () => {
  const result = mirrors.upsertProjects(connectionId, [project(1), project(2, { parentExternalId: GUID(1), rootExternalId: GUID(1), level: 1, clientExternalId: GUID(901) })], { runId: 7, now: T0 });
  assert.deepEqual(result, { outcomes: ['inserted', 'inserted'], promotions: [] });
  const child = mirrors.findProject(connectionId, GUID(2));
  assert.deepEqual(
    [child?.name, child?.code, child?.parentExternalId, child?.rootExternalId, child?.level, child?.clientExternalId, child?.firstSeenAt, child?.deletedAt],
    ['Project 2', 'P-2', GUID(1), GUID(1), 1, GUID(901), T0, null],
  );
  assert.deepEqual(child?.payload, { id: GUID(2), name: 'Project 2' });
  assert.equal(row(GUID(2))?.seen_run_id, 7);
  assert.equal(row(GUID(2))?.provider, 'bqe');
  assert.equal(row(GUID(2))?.object_type, 'project');
});

test('a record with the same lastUpdated and payload is unchanged and only marked seen', () => {
  mirrors.upsertProjects(connectionId, [project(1)], { runId: 1, now: T0 });
  const result = mirrors.upsertProjects(connectionId, [project(1)], { runId: 2, now: T0 + 1000 });
  assert.deepEqual(result.outcomes, ['unchanged']);
  assert.equal(row(GUID(1))?.seen_run_id, 2);
  assert.equal(row(GUID(1))?.synced_at, T0);
});

test('a changed record is updated in place', () => {
  mirrors.upsertProjects(connectionId, [project(1)], { runId: 1, now: T0 });
  const result = mirrors.upsertProjects(connectionId, [project(1, { name: 'Renamed', lastUpdated: '2026-01-11T08:00:00', payload: '{"v":2}' })], { runId: 2, now: T0 + 1000 });
  assert.deepEqual(result.outcomes, ['updated']);
  const stored = mirrors.findProject(connectionId, GUID(1));
  assert.deepEqual([stored?.name, stored?.lastUpdated, stored?.syncedAt, stored?.firstSeenAt], ['Renamed', '2026-01-11T08:00:00', T0 + 1000, T0]);
});

test('a record already written by the same run is a duplicate and is not written again', () => {
  const result = mirrors.upsertProjects(connectionId, [project(1), project(1, { name: 'Second copy' })], { runId: 3, now: T0 });
  assert.deepEqual(result.outcomes, ['inserted', 'duplicate']);
  assert.equal(mirrors.findProject(connectionId, GUID(1))?.name, 'Project 1');
});

test('a record met again in the same run with a later lastUpdated has moved and is written', () => {
  mirrors.upsertProjects(connectionId, [project(1)], { runId: 3, now: T0 });
  const result = mirrors.upsertProjects(connectionId, [project(1, { name: 'Edited meanwhile', lastUpdated: '2026-01-12T00:00:00', payload: '{"v":3}' })], { runId: 3, now: T0 + 1 });
  assert.deepEqual(result.outcomes, ['moved']);
  assert.equal(mirrors.findProject(connectionId, GUID(1))?.name, 'Edited meanwhile');
});

test('promotes a pre-migration row found by its numeric id to the GUID and keeps the numeric id as legacy id', () => {
  handle.sqlite
    .prepare("INSERT INTO integration_external_links (provider, connection_id, object_type, external_id, legacy_external_id, name, payload, first_seen_at, synced_at) VALUES ('bqe', ?, 'project', '20001', NULL, 'Old', '{}', ?, ?)")
    .run(connectionId, T0 - 1000, T0 - 1000);
  const result = mirrors.upsertProjects(connectionId, [project(1, { legacyExternalId: '20001' })], { runId: 4, now: T0 });
  assert.deepEqual(result, { outcomes: ['promoted'], promotions: [{ legacyId: '20001', externalId: GUID(1) }] });
  const stored = mirrors.findProject(connectionId, GUID(1));
  assert.deepEqual([stored?.externalId, stored?.legacyExternalId, stored?.name, stored?.firstSeenAt], [GUID(1), '20001', 'Project 1', T0 - 1000]);
  assert.equal(mirrors.findProject(connectionId, '20001')?.externalId, GUID(1), 'the old id still resolves');
  assert.equal(mirrors.projectCounts(connectionId).active, 1);
});

test('promotes a row whose legacy id column was filled by the migration', () => {
  handle.sqlite
    .prepare("INSERT INTO integration_clients (provider, connection_id, external_id, legacy_external_id, name, payload, first_seen_at, synced_at) VALUES ('bqe', ?, '701', '701', 'Old client', '{}', ?, ?)")
    .run(connectionId, T0, T0);
  const result = mirrors.upsertClients(connectionId, [client(1, { legacyExternalId: '701' })], { runId: 1, now: T0 });
  assert.deepEqual(result.promotions, [{ legacyId: '701', externalId: GUID(901) }]);
  assert.deepEqual(mirrors.searchClients(connectionId, { limit: 10, offset: 0 }).rows.map((c) => [c.externalId, c.legacyExternalId]), [[GUID(901), '701']]);
});

test('a new record with a legacy id stores it for later lookups', () => {
  mirrors.upsertProjects(connectionId, [project(1, { legacyExternalId: '20005' })], { runId: 1, now: T0 });
  assert.equal(mirrors.findProject(connectionId, '20005')?.externalId, GUID(1));
});

test('a later record without its legacy id keeps the one already stored', () => {
  mirrors.upsertProjects(connectionId, [project(1, { legacyExternalId: '20005' })], { runId: 1, now: T0 });
  mirrors.upsertProjects(connectionId, [project(1, { name: 'X', lastUpdated: '2026-02-01T00:00:00' })], { runId: 2, now: T0 });
  assert.equal(mirrors.findProject(connectionId, GUID(1))?.legacyExternalId, '20005');
});

test('keeps each connection’s mirror apart', () => {
  mirrors.upsertProjects(connectionId, [project(1)], { runId: 1, now: T0 });
  assert.deepEqual(mirrors.upsertProjects(otherConnectionId, [project(1)], { runId: 2, now: T0 }).outcomes, ['inserted']);
  assert.equal(mirrors.projectCounts(connectionId).active, 1);
  assert.equal(mirrors.projectCounts(otherConnectionId).active, 1);
});

test('a full sweep marks unseen rows deleted and never removes them', () => {
  mirrors.upsertProjects(connectionId, [project(1), project(2), project(3)], { runId: 1, now: T0 });
  mirrors.upsertProjects(connectionId, [project(1), project(3)], { runId: 2, now: T0 + 10 });
  assert.deepEqual(mirrors.sweepUnseen(connectionId, 'project', 2, 'mark_deleted', T0 + 20), { missing: 1, deleted: 1 });
  assert.equal(mirrors.findProject(connectionId, GUID(2))?.deletedAt, T0 + 20);
  assert.deepEqual(mirrors.projectCounts(connectionId), { active: 2, deleted: 1 });
  assert.deepEqual(mirrors.sweepUnseen(connectionId, 'project', 2, 'mark_deleted', T0 + 30), { missing: 0, deleted: 0 }, 'already deleted rows are not counted again');
  assert.equal((handle.sqlite.prepare('SELECT count(*) AS n FROM integration_external_links').get() as { n: number }).n, 3);
});

test('a filtered sweep leaves rows outside the filter alone: they were not asked for, so they are not missing', () => {
  const child = project(2, { parentExternalId: GUID(1), rootExternalId: GUID(1), level: 1 });
  const grandchild = project(3, { parentExternalId: GUID(2), rootExternalId: GUID(1), level: 2 });
  mirrors.upsertProjects(connectionId, [project(1), child, grandchild, project(4)], { runId: 1, now: T0 });
  mirrors.upsertProjects(connectionId, [project(1)], { runId: 2, now: T0 + 10 });
  assert.deepEqual(mirrors.sweepUnseen(connectionId, 'project', 2, 'mark_deleted', T0 + 20, { parentOnly: true, maxLevel: null }), { missing: 1, deleted: 1 });
  assert.equal(mirrors.findProject(connectionId, GUID(4))?.deletedAt, T0 + 20, 'a top-level project gone upstream');
  assert.equal(mirrors.findProject(connectionId, GUID(2))?.deletedAt, null);
  mirrors.upsertProjects(connectionId, [project(1), child], { runId: 3, now: T0 + 30 });
  assert.deepEqual(mirrors.sweepUnseen(connectionId, 'project', 3, 'report_only', T0 + 40, { parentOnly: false, maxLevel: 1 }), { missing: 0, deleted: 0 }, 'the level-2 phase is below the filter');
});

test('report_only counts rows gone upstream without marking them', () => {
  mirrors.upsertClients(connectionId, [client(1), client(2)], { runId: 1, now: T0 });
  mirrors.upsertClients(connectionId, [client(1)], { runId: 2, now: T0 });
  assert.deepEqual(mirrors.sweepUnseen(connectionId, 'client', 2, 'report_only', T0), { missing: 1, deleted: 0 });
  assert.deepEqual(mirrors.clientCounts(connectionId), { active: 2, deleted: 0 });
});

test('the sweep of one connection leaves other connections alone', () => {
  mirrors.upsertProjects(otherConnectionId, [project(1)], { runId: 1, now: T0 });
  mirrors.upsertProjects(connectionId, [project(2)], { runId: 2, now: T0 });
  mirrors.sweepUnseen(connectionId, 'project', 2, 'mark_deleted', T0);
  assert.deepEqual(mirrors.projectCounts(otherConnectionId), { active: 1, deleted: 0 });
});

test('a deleted row that reappears is restored, even when the record did not change', () => {
  mirrors.upsertProjects(connectionId, [project(1)], { runId: 1, now: T0 });
  mirrors.sweepUnseen(connectionId, 'project', 99, 'mark_deleted', T0 + 5);
  const result = mirrors.upsertProjects(connectionId, [project(1)], { runId: 100, now: T0 + 10 });
  assert.deepEqual(result.outcomes, ['updated']);
  assert.equal(mirrors.findProject(connectionId, GUID(1))?.deletedAt, null);
});

test('a record the policy does not admit is skipped, but one already stored is kept current', () => {
  mirrors.upsertClients(connectionId, [client(1)], { runId: 1, now: T0 });
  const result = mirrors.upsertClients(connectionId, [client(1, { name: 'Renamed', lastUpdated: '2026-02-01T00:00:00' }), client(2)], { runId: 2, now: T0, admit: () => false });
  assert.deepEqual(result.outcomes, ['updated', 'skipped']);
  assert.deepEqual(mirrors.searchClients(connectionId, { limit: 10, offset: 0 }).rows.map((c) => c.name), ['Renamed']);
});

test('searches projects by part of the name or code, or by a whole GUID or legacy id, with paging', () => {
  mirrors.upsertProjects(
    connectionId,
    [
      project(1, { name: 'Riverside Clinic', code: 'RC-100' }),
      project(2, { name: 'Harbour Bridge', code: 'HB-7', legacyExternalId: '20002' }),
      project(3, { name: 'Riverside Depot', code: 'RD-1' }),
      project(4, { name: '100% Done_', code: 'X' }),
    ],
    { runId: 1, now: T0 },
  );
  const names = (text: string) => mirrors.searchProjects(connectionId, { text, limit: 10, offset: 0 }).rows.map((p) => p.name);
  assert.deepEqual(names('riverside'), ['Riverside Clinic', 'Riverside Depot']);
  assert.deepEqual(names('HB-'), ['Harbour Bridge']);
  assert.deepEqual(names(GUID(3)), ['Riverside Depot']);
  assert.deepEqual(names('20002'), ['Harbour Bridge']);
  assert.deepEqual(names('0%'), ['100% Done_'], 'LIKE wildcards in the search text are matched literally');
  assert.deepEqual(names('_'), ['100% Done_']);
  const page = mirrors.searchProjects(connectionId, { limit: 2, offset: 2 });
  assert.deepEqual([page.total, page.rows.map((p) => p.name)], [4, ['Riverside Clinic', 'Riverside Depot']]);
});

test('search leaves out deleted rows unless asked for them', () => {
  mirrors.upsertProjects(connectionId, [project(1), project(2)], { runId: 1, now: T0 });
  mirrors.upsertProjects(connectionId, [project(1)], { runId: 2, now: T0 });
  mirrors.sweepUnseen(connectionId, 'project', 2, 'mark_deleted', T0);
  assert.equal(mirrors.searchProjects(connectionId, { limit: 10, offset: 0 }).total, 1);
  assert.equal(mirrors.searchProjects(connectionId, { limit: 10, offset: 0, includeDeleted: true }).total, 2);
});

test('searches clients by name, company, GUID or legacy id', () => {
  mirrors.upsertClients(connectionId, [client(1, { name: 'Dana Holt', company: 'Northwind' }), client(2, { name: 'Eli Park', company: 'Contoso', legacyExternalId: '702' })], { runId: 1, now: T0 });
  const names = (text: string) => mirrors.searchClients(connectionId, { text, limit: 10, offset: 0 }).rows.map((c) => c.name);
  assert.deepEqual(names('north'), ['Dana Holt']);
  assert.deepEqual(names('702'), ['Eli Park']);
  assert.deepEqual(names(GUID(901)), ['Dana Holt']);
});

test('gives the hierarchy: roots, children and how many children each node has', () => {
  mirrors.upsertProjects(
    connectionId,
    [
      project(1, { name: 'B root' }),
      project(2, { name: 'A root' }),
      project(3, { name: 'Phase 2', parentExternalId: GUID(1), level: 1 }),
      project(4, { name: 'Phase 1', parentExternalId: GUID(1), level: 1 }),
      project(5, { name: 'Task', parentExternalId: GUID(4), level: 2 }),
    ],
    { runId: 1, now: T0 },
  );
  const roots = mirrors.rootProjects(connectionId, { limit: 10, offset: 0 });
  assert.deepEqual([roots.total, roots.rows.map((p) => p.name)], [2, ['A root', 'B root']]);
  assert.deepEqual(mirrors.childProjects(connectionId, GUID(1)).map((p) => p.name), ['Phase 1', 'Phase 2']);
  assert.deepEqual([...mirrors.childCounts(connectionId, [GUID(1), GUID(2), GUID(4)]).entries()].sort(), [[GUID(1), 2], [GUID(4), 1]]);
  assert.deepEqual(mirrors.childCounts(connectionId, []).size, 0);
});

test('lists the clients that mirrored, not deleted projects refer to', () => {
  mirrors.upsertProjects(connectionId, [project(1, { clientExternalId: GUID(901) }), project(2, { clientExternalId: GUID(902) }), project(3)], { runId: 1, now: T0 });
  mirrors.upsertProjects(connectionId, [project(1, { clientExternalId: GUID(901) }), project(3)], { runId: 2, now: T0 });
  mirrors.sweepUnseen(connectionId, 'project', 2, 'mark_deleted', T0);
  assert.deepEqual([...mirrors.referencedClientIds(connectionId)], [GUID(901)]);
});
