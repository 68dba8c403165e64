import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { applyPragmas, DB_FILE_NAME, openDatabase, prepareDataDir } from '../../src/db/connection.js';
import { StartupError } from '../../src/errors.js';

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-conn-'));

const startupError = (pattern: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof StartupError, `expected a StartupError, got ${String(err)}`);
  assert.match(err.message, pattern);
  return true;
};

describe('openDatabase', () => {
  test('creates a missing data dir and the database file inside it', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const handle = openDatabase(dataDir);
    try {
      assert.equal(handle.file, path.join(dataDir, DB_FILE_NAME));
      assert.ok(fs.existsSync(handle.file));
      assert.ok(fs.statSync(dataDir).isDirectory());
      assert.equal(fs.statSync(dataDir).mode & 0o777, 0o700);
    } finally {
      handle.close();
    }
  });

  test('sets busy_timeout, WAL, synchronous NORMAL, foreign keys and incremental auto_vacuum on a new file', () => {
    const handle = openDatabase(tempDir());
    try {
      const pragma = (name: string) => handle.sqlite.pragma(name, { simple: true });
      assert.equal(pragma('busy_timeout'), 5000);
      assert.equal(pragma('journal_mode'), 'wal');
      assert.equal(pragma('synchronous'), 1);
      assert.equal(pragma('foreign_keys'), 1);
      assert.equal(pragma('auto_vacuum'), 2);
    } finally {
      handle.close();
    }
  });

  test('keeps the pragmas and the data when the file is opened again', () => {
    const dataDir = tempDir();
    const first = openDatabase(dataDir);
    first.sqlite.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);');
    first.close();
    const second = openDatabase(dataDir);
    try {
      assert.equal(second.sqlite.pragma('auto_vacuum', { simple: true }), 2);
      assert.equal(second.sqlite.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(second.sqlite.prepare('SELECT x FROM t').pluck().get(), 7);
    } finally {
      second.close();
    }
  });

  test('gives a drizzle handle over the same connection', () => {
    const handle = openDatabase(tempDir());
    try {
      handle.sqlite.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);');
      const rows = handle.db.all<{ n: number }>('SELECT count(*) AS n FROM t' as never);
      assert.deepEqual(rows, [{ n: 2 }]);
    } finally {
      handle.close();
    }
  });

  test('leaves auto_vacuum alone on an existing database that was made without it', () => {
    const dataDir = tempDir();
    const raw = new Database(path.join(dataDir, DB_FILE_NAME));
    raw.exec('CREATE TABLE t (x INTEGER)');
    raw.close();
    const handle = openDatabase(dataDir);
    try {
      assert.equal(handle.sqlite.pragma('auto_vacuum', { simple: true }), 0);
      assert.equal(handle.sqlite.pragma('foreign_keys', { simple: true }), 1);
    } finally {
      handle.close();
    }
  });

  test('refuses a corrupt database file, naming the file', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, DB_FILE_NAME);
    fs.writeFileSync(file, Buffer.from('this is not a database at all, just some garbage bytes '.repeat(100)));
    assert.throws(
      () => openDatabase(dataDir),
      startupError(new RegExp(`^database ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a readable SQLite database \\(SQLITE_NOTADB\\): restore it from a backup`)),
    );
  });

  test('refuses a data dir path that is a regular file', () => {
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, 'x');
    assert.throws(() => openDatabase(file), startupError(/^data dir \S+\/not-a-folder is not a folder: set HUB_DATA_DIR to a folder$/));
  });

  test('refuses a data dir below a regular file, saying it cannot be created', () => {
    const file = path.join(tempDir(), 'blocker');
    fs.writeFileSync(file, 'x');
    assert.throws(() => openDatabase(path.join(file, 'data')), startupError(/^data dir .*blocker\/data cannot be created \(ENOTDIR\): create it or set HUB_DATA_DIR/));
  });

  test('refuses a database path that is a folder, saying it cannot be opened for writing', () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, DB_FILE_NAME));
    assert.throws(() => openDatabase(dataDir), startupError(/^database \S+switchyard\.db cannot be opened for writing \(SQLITE_CANTOPEN\): check the file's owner and permissions$/));
  });

  test('refuses a read-only data dir', (t) => {
    const dataDir = tempDir();
    fs.chmodSync(dataDir, 0o500);
    try {
      let writable = false;
      try {
        fs.writeFileSync(path.join(dataDir, 'probe'), 'x');
        writable = true;
      } catch {
        writable = false;
      }
      if (writable) {
        t.skip('running as a user (root) whose writes ignore folder permissions, so a read-only folder cannot be simulated');
        return;
      }
      assert.throws(() => openDatabase(dataDir), startupError(/^data dir .* is not writable by this user: fix its permissions or set HUB_DATA_DIR/));
    } finally {
      fs.chmodSync(dataDir, 0o700);
    }
  });
});

describe('prepareDataDir', () => {
  test('accepts an existing writable folder', () => {
    const dataDir = tempDir();
    assert.doesNotThrow(() => prepareDataDir(dataDir));
  });

  test('refuses a path that is a regular file', () => {
    const file = path.join(tempDir(), 'plain');
    fs.writeFileSync(file, 'x');
    assert.throws(() => prepareDataDir(file), startupError(/is not a folder/));
  });

  test('refuses a symlink to a regular file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'target'), 'x');
    fs.symlinkSync(path.join(dir, 'target'), path.join(dir, 'link'));
    assert.throws(() => prepareDataDir(path.join(dir, 'link')), startupError(/link is not a folder/));
  });
});

describe('applyPragmas', () => {
  test('works on an in-memory database', () => {
    const sqlite = new Database(':memory:');
    try {
      applyPragmas(sqlite);
      assert.equal(sqlite.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(sqlite.pragma('busy_timeout', { simple: true }), 5000);
    } finally {
      sqlite.close();
    }
  });
});
