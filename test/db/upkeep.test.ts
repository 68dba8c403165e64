import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { checkpointWal, incrementalVacuum } from '../../src/db/upkeep.js';
import { openTestDb } from '../jobs/fixture.js';

const freePages = (sqlite: { pragma(s: string, o: { simple: true }): unknown }) => sqlite.pragma('freelist_count', { simple: true }) as number;

/** Fills a table with about 2 MB, then deletes it, leaving free pages behind. */
const makeFreePages = (sqlite: import('better-sqlite3').Database): void => {
  sqlite.exec('CREATE TABLE filler (x BLOB)');
  const insert = sqlite.prepare('INSERT INTO filler VALUES (randomblob(4000))');
  sqlite.transaction(() => {
    for (let i = 0; i < 500; i++) insert.run();
  })();
  sqlite.exec('DELETE FROM filler');
};

test('incrementalVacuum returns up to the given number of free pages and reports how many', (t) => {
  const handle = openTestDb(t);
  makeFreePages(handle.sqlite);
  const free = freePages(handle.sqlite);
  assert.ok(free > 100, `free pages after the delete: ${free}`);
  assert.equal(incrementalVacuum(handle, 50), 50);
  assert.equal(freePages(handle.sqlite), free - 50);
  assert.equal(incrementalVacuum(handle, 1_000_000), free - 50);
  assert.equal(freePages(handle.sqlite), 0);
  assert.equal(incrementalVacuum(handle, 10), 0, 'nothing left to return');
});

test('incrementalVacuum takes at least one page, never "all" by accident', (t) => {
  const handle = openTestDb(t);
  makeFreePages(handle.sqlite);
  const free = freePages(handle.sqlite);
  // incremental_vacuum(0) would free every page; 0 and fractions are treated as 1.
  assert.equal(incrementalVacuum(handle, 0), 1);
  assert.equal(incrementalVacuum(handle, 0.5), 1);
  assert.equal(freePages(handle.sqlite), free - 2);
});

test('checkpointWal copies the WAL into the database and truncates the -wal file', (t) => {
  const handle = openTestDb(t);
  handle.sqlite.exec('CREATE TABLE t (x TEXT)');
  const insert = handle.sqlite.prepare('INSERT INTO t VALUES (?)');
  for (let i = 0; i < 200; i++) insert.run('x'.repeat(1000));
  const wal = `${handle.file}-wal`;
  assert.ok(fs.statSync(wal).size > 100_000);
  const result = checkpointWal(handle);
  assert.equal(result.busy, 0);
  assert.equal(fs.statSync(wal).size, 0);
  assert.equal(handle.sqlite.prepare('SELECT count(*) FROM t').pluck().get(), 200);
});
