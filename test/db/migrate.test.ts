import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { openDatabase, type DbHandle } from '../../src/db/connection.js';
import { MIGRATIONS_DIR, migrationStatus, readJournal, rollbackLastMigration, runMigrations } from '../../src/db/migrate.js';
import { StartupError } from '../../src/errors.js';

const tempDir = (prefix = 'switchyard-migrate-'): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

const tableExists = (handle: DbHandle, name: string): boolean =>
  handle.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

const withDb = (fn: (handle: DbHandle) => void): void => {
  const handle = openDatabase(tempDir());
  try {
    fn(handle);
  } finally {
    handle.close();
  }
};

/** A copy of the real migrations plus one more, as a later release would ship it; returns the folder and the new tag. */
const migrationsWithExtra = (name: string, sql: string): { dir: string; tag: string } => {
  const dir = tempDir('switchyard-migrations-');
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[] };
  const last = journal.entries[journal.entries.length - 1]!;
  const tag = `${String(last.idx + 1).padStart(4, '0')}_${name}`;
  journal.entries.push({ idx: last.idx + 1, version: last.version, when: last.when + 1000, tag, breakpoints: true });
  fs.writeFileSync(journalFile, JSON.stringify(journal, null, 2));
  fs.writeFileSync(path.join(dir, `${tag}.sql`), sql);
  return { dir, tag };
};

describe('runMigrations', () => {
  test('applies every known migration to an empty database', () => {
    withDb((handle) => {
      const known = readJournal().entries.map((e) => e.tag);
      assert.ok(known.length >= 1);
      assert.deepEqual(runMigrations(handle), known);
      for (const table of ['meta', 'users', 'sessions', 'login_failures', 'audit_log', 'domain_configs']) {
        assert.ok(tableExists(handle, table), `${table} should exist`);
      }
      assert.deepEqual(migrationStatus(handle), { known: known.length, applied: known.length, pending: [] });
    });
  });

  test('applies nothing on a second run', () => {
    withDb((handle) => {
      runMigrations(handle);
      assert.deepEqual(runMigrations(handle), []);
      const applied = handle.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get();
      assert.equal(applied, readJournal().entries.length);
    });
  });

  test('applies only the migrations added since the last run', () => {
    withDb((handle) => {
      runMigrations(handle);
      const { dir, tag } = migrationsWithExtra('widgets', 'CREATE TABLE `widgets` (`id` integer PRIMARY KEY NOT NULL);');
      assert.deepEqual(migrationStatus(handle, dir).pending, [tag]);
      assert.deepEqual(runMigrations(handle, dir), [tag]);
      assert.ok(tableExists(handle, 'widgets'));
      assert.deepEqual(migrationStatus(handle, dir).pending, []);
    });
  });

  test('leaves the database as it was when a migration fails', () => {
    withDb((handle) => {
      runMigrations(handle);
      const known = readJournal().entries.length;
      const { dir, tag } = migrationsWithExtra(
        'broken',
        'CREATE TABLE `half_done` (`id` integer PRIMARY KEY NOT NULL);\n--> statement-breakpoint\nALTER TABLE `no_such_table` ADD `x` integer;',
      );
      assert.throws(
        () => runMigrations(handle, dir),
        (err: unknown) => {
          assert.ok(err instanceof StartupError);
          assert.ok(err.message.startsWith(`migration failed (pending: ${tag}): `), err.message);
          assert.match(err.message, /no_such_table/);
          assert.match(err.message, /left as it was/);
          return true;
        },
      );
      assert.equal(tableExists(handle, 'half_done'), false);
      assert.deepEqual(migrationStatus(handle, dir), { known: known + 1, applied: known, pending: [tag] });
    });
  });

  test('refuses a database that has more migrations applied than this build knows', () => {
    withDb((handle) => {
      runMigrations(handle);
      const known = readJournal().entries.length;
      handle.sqlite.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('from-the-future', Date.now() + 1e9);
      assert.throws(
        () => runMigrations(handle),
        (err: unknown) => {
          assert.ok(err instanceof StartupError);
          assert.match(err.message, new RegExp(`^database ${handle.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has ${known + 1} migrations applied but this build knows only ${known}: it was used by a newer Switchyard`));
          return true;
        },
      );
    });
  });
});

describe('rollbackLastMigration', () => {
  const columns = (handle: DbHandle, table: string): string[] => (handle.sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

  test('reverts the latest migrations one at a time with their down files, and the next run applies them again', () => {
    withDb((handle) => {
      runMigrations(handle);
      const tags = readJournal().entries.map((e) => e.tag);
      const [legacyIds, credentials] = [tags.indexOf('0006_bqe_legacy_ids'), tags.indexOf('0007_api_credentials')];
      assert.ok(legacyIds >= 0 && credentials > legacyIds, 'both reversible migrations are shipped');
      const reverted: string[] = [];
      while (reverted.at(-1) !== '0006_bqe_legacy_ids') reverted.push(rollbackLastMigration(handle));
      assert.deepEqual(reverted, tags.slice(legacyIds).reverse());
      assert.deepEqual(migrationStatus(handle).pending, tags.slice(legacyIds));
      assert.ok(!columns(handle, 'integration_clients').includes('legacy_external_id'));
      assert.ok(!tableExists(handle, 'api_credentials'));
      assert.deepEqual(runMigrations(handle), tags.slice(legacyIds));
      assert.ok(columns(handle, 'integration_clients').includes('legacy_external_id'));
      assert.ok(tableExists(handle, 'api_credentials'));
    });
  });

  test('refuses a migration without a down file, naming it, and changes nothing', () => {
    withDb((handle) => {
      const { dir, tag } = migrationsWithExtra('no_way_back', 'CREATE TABLE one_way (id integer);');
      runMigrations(handle, dir);
      assert.throws(() => rollbackLastMigration(handle, dir), (err: unknown) => err instanceof StartupError && err.message.includes(tag) && err.message.includes('down'));
      assert.ok(tableExists(handle, 'one_way'));
      assert.deepEqual(migrationStatus(handle, dir).pending, []);
    });
  });

  test('refuses when nothing is applied', () => {
    withDb((handle) => {
      assert.throws(() => rollbackLastMigration(handle), /nothing to roll back/);
    });
  });
});

describe('migrationStatus', () => {
  test('reports every migration pending on an empty database', () => {
    withDb((handle) => {
      const known = readJournal().entries.map((e) => e.tag);
      assert.deepEqual(migrationStatus(handle), { known: known.length, applied: 0, pending: known });
    });
  });
});

describe('readJournal', () => {
  test('refuses a missing journal, naming the file', () => {
    const dir = tempDir();
    assert.throws(
      () => readJournal(dir),
      (err: unknown) => {
        assert.ok(err instanceof StartupError);
        assert.ok(err.message.startsWith(`migrations journal ${path.join(dir, 'meta', '_journal.json')} cannot be read: reinstall Switchyard`));
        return true;
      },
    );
  });

  test('refuses a journal that is not JSON', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'meta'));
    fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), '{ not json');
    assert.throws(() => readJournal(dir), /^StartupError: migrations journal .* cannot be read/);
  });
});
