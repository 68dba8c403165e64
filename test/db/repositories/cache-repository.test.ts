import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createCacheRepository, type CacheRepository } from '../../../src/db/repositories/cache-repository.js';
import { migratedDb } from '../../helpers/db.js';

let handle: ReturnType<typeof migratedDb>;
let repo: CacheRepository;

beforeEach(() => {
  handle = migratedDb();
  repo = createCacheRepository(handle.db);
});

afterEach(() => handle.close());

const keys = () => repo.list().map((r) => r.key);

test('stores an entry and reads it back by key', () => {
  repo.put({ key: 'jira:projects', value: '["OPS"]', fetchedAt: 1000 });
  assert.deepEqual(repo.get('jira:projects'), { key: 'jira:projects', value: '["OPS"]', fetchedAt: 1000 });
  assert.equal(repo.get('jira:other'), undefined);
});

test('overwrites the value and time when a key is put again', () => {
  repo.put({ key: 'k', value: '1', fetchedAt: 1000 });
  repo.put({ key: 'k', value: '2', fetchedAt: 2000 });
  assert.deepEqual(repo.get('k'), { key: 'k', value: '2', fetchedAt: 2000 });
  assert.equal(repo.list().length, 1);
});

test('deletes one key and says how many rows went', () => {
  repo.put({ key: 'a', value: '1', fetchedAt: 1 });
  repo.put({ key: 'b', value: '1', fetchedAt: 1 });
  assert.equal(repo.delete('a'), 1);
  assert.equal(repo.delete('a'), 0);
  assert.deepEqual(keys(), ['b']);
});

test('purges every key starting with a prefix and nothing else', () => {
  for (const key of ['jira:meta:OPS', 'jira:meta:HR', 'jira:projects', 'pf:jira:meta']) repo.put({ key, value: '1', fetchedAt: 1 });
  assert.equal(repo.purgePrefix('jira:meta:'), 2);
  assert.deepEqual(keys(), ['jira:projects', 'pf:jira:meta']);
});

test('treats % and _ in a purge prefix literally', () => {
  for (const key of ['100%:a', '100x:a', 'a_b:1', 'axb:1', 'back\\slash:1', 'backxslash:1']) repo.put({ key, value: '1', fetchedAt: 1 });
  assert.equal(repo.purgePrefix('100%'), 1);
  assert.equal(repo.purgePrefix('a_b'), 1);
  assert.equal(repo.purgePrefix('back\\'), 1);
  assert.deepEqual(keys(), ['100x:a', 'axb:1', 'backxslash:1']);
});

test('purges with an empty prefix removes everything', () => {
  repo.put({ key: 'a', value: '1', fetchedAt: 1 });
  repo.put({ key: 'b', value: '1', fetchedAt: 1 });
  assert.equal(repo.purgePrefix(''), 2);
  assert.deepEqual(keys(), []);
});

test('lists entries sorted by key with their time and size in bytes', () => {
  repo.put({ key: 'b', value: '"hello"', fetchedAt: 2000 });
  repo.put({ key: 'a', value: '[1,2,3]', fetchedAt: 1000 });
  assert.deepEqual(repo.list(), [
    { key: 'a', fetchedAt: 1000, bytes: 7 },
    { key: 'b', fetchedAt: 2000, bytes: 7 },
  ]);
});

test('lists only the keys under a prefix', () => {
  for (const key of ['jira:meta:OPS', 'jira:projects', 'pf:x']) repo.put({ key, value: '1', fetchedAt: 1 });
  assert.deepEqual(repo.list('jira:').map((r) => r.key), ['jira:meta:OPS', 'jira:projects']);
  assert.deepEqual(repo.list('none:'), []);
});

test('treats % and _ in a list prefix literally', () => {
  for (const key of ['a_b:1', 'axb:1', '100%:a', '100x:a']) repo.put({ key, value: '1', fetchedAt: 1 });
  assert.deepEqual(repo.list('a_b').map((r) => r.key), ['a_b:1']);
  assert.deepEqual(repo.list('100%').map((r) => r.key), ['100%:a']);
});

test('purges only keys whose letter case matches the prefix', () => {
  repo.put({ key: 'jira:projects', value: '1', fetchedAt: 1 });
  repo.put({ key: 'JIRA:projects', value: '1', fetchedAt: 1 });
  assert.equal(repo.purgePrefix('JIRA:'), 1);
  assert.deepEqual(keys(), ['jira:projects']);
});
