import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { openDatabase, type DbHandle } from '../../../../src/db/connection.js';
import { MIGRATIONS_DIR, migrationStatus, readJournal, rollbackLastMigration, runMigrations } from '../../../../src/db/migrate.js';

const LEGACY_TAG = '0006_bqe_legacy_ids';
const GUID_A = '21134e3a-ba25-4614-84c3-0d42b9012448';
const GUID_B = '211303ef-7cb4-401b-a9b7-62c99a7321b8';

let handle: DbHandle;
let dirs: string[];
/** The shipped migrations up to and including 0006, as the release that brought it shipped them. */
let throughLegacyIds: string;

/** The shipped migrations with the journal cut `after` entries past 0006 (-1: before it, 0: with it). */
const migrationsAround = (after: number): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-migrations-'));
  dirs.push(dir);
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journal = readJournal(dir);
  const cut = journal.entries.findIndex((e) => e.tag === LEGACY_TAG);
  assert.ok(cut > 0, `${LEGACY_TAG} is in the journal`);
  fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut + 1 + after) }));
  return dir;
};

const columns = (table: string): string[] => (handle.sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

const links = () =>
  handle.sqlite.prepare('SELECT name, external_id AS externalId, legacy_external_id AS legacyId FROM integration_external_links ORDER BY name').all() as { name: string; externalId: string; legacyId: string | null }[];
const clients = () =>
  handle.sqlite.prepare('SELECT name, external_id AS externalId, legacy_external_id AS legacyId FROM integration_clients ORDER BY name').all() as { name: string; externalId: string; legacyId: string | null }[];

beforeEach(() => {
  dirs = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-db-'));
  dirs.push(dataDir);
  handle = openDatabase(dataDir);
  runMigrations(handle, migrationsAround(-1));
  throughLegacyIds = migrationsAround(0);
  assert.deepEqual(migrationStatus(handle, throughLegacyIds).pending, [LEGACY_TAG]);
  assert.ok(!columns('integration_external_links').includes('legacy_external_id'));

  const now = Date.UTC(2025, 5, 1);
  handle.sqlite
    .prepare("INSERT INTO bqe_connections (name, environment, identity_url, client_id, client_secret_sealed, status, sync_enabled, parent_only, client_sync, deletion_policy, created_at, updated_at) VALUES ('Acme', 'sandbox', 'https://idp.example/idp', 'app', 'sealed', 'connected', 1, 0, 'all', 'mark_deleted', ?, ?)")
    .run(now, now);
  const link = handle.sqlite.prepare("INSERT INTO integration_external_links (provider, connection_id, object_type, external_id, name, payload, first_seen_at, synced_at) VALUES ('bqe', 1, 'project', ?, ?, '{}', ?, ?)");
  link.run('20001', 'Old numeric project', now, now);
  link.run(GUID_A, 'GUID project', now, now);
  const client = handle.sqlite.prepare("INSERT INTO integration_clients (provider, connection_id, external_id, name, payload, first_seen_at, synced_at) VALUES ('bqe', 1, ?, ?, '{}', ?, ?)");
  client.run('701', 'Old numeric client', now, now);
  client.run(GUID_B, 'GUID client', now, now);
});

afterEach(() => {
  handle.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

test('0006 copies numeric external ids to legacy_external_id and leaves GUID rows alone', () => {
  assert.deepEqual(runMigrations(handle, throughLegacyIds), [LEGACY_TAG]);
  assert.deepEqual(links(), [
    { name: 'GUID project', externalId: GUID_A, legacyId: null },
    { name: 'Old numeric project', externalId: '20001', legacyId: '20001' },
  ]);
  assert.deepEqual(clients(), [
    { name: 'GUID client', externalId: GUID_B, legacyId: null },
    { name: 'Old numeric client', externalId: '701', legacyId: '701' },
  ]);
});

test('rolling 0006 back gives promoted rows their numeric id back and drops the column', () => {
  runMigrations(handle, throughLegacyIds);
  // What sync does when BQE sends the GUID for the old record.
  handle.sqlite.prepare("UPDATE integration_external_links SET external_id = '00000000-0000-4000-8000-000000020001' WHERE external_id = '20001'").run();

  assert.equal(rollbackLastMigration(handle, throughLegacyIds), LEGACY_TAG);
  assert.ok(!columns('integration_external_links').includes('legacy_external_id'));
  assert.ok(!columns('integration_clients').includes('legacy_external_id'));
  const ids = (table: string) => (handle.sqlite.prepare(`SELECT external_id AS id FROM ${table} ORDER BY name`).all() as { id: string }[]).map((r) => r.id);
  assert.deepEqual(ids('integration_external_links'), [GUID_A, '20001']);
  assert.deepEqual(ids('integration_clients'), [GUID_B, '701']);
  assert.deepEqual(migrationStatus(handle, throughLegacyIds).pending, [LEGACY_TAG]);
});

test('migrating again after a rollback works and copies the ids again', () => {
  runMigrations(handle, throughLegacyIds);
  rollbackLastMigration(handle, throughLegacyIds);
  assert.deepEqual(runMigrations(handle, throughLegacyIds), [LEGACY_TAG]);
  assert.deepEqual(migrationStatus(handle, throughLegacyIds).pending, []);
  assert.deepEqual(
    links().map((l) => l.legacyId),
    [null, '20001'],
  );
});
