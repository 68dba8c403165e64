import assert from 'node:assert/strict';
import { test } from 'node:test';
import { payloadPaths } from '../../../../src/plugins/pf-jira/rules/payload-paths.js';

test('flattens a record into JSONPaths with example values', () => {
  const paths = payloadPaths([{ id: 7, full_name: 'Ada Lovelace', department: { name: 'IT' }, active: true }]);
  assert.deepEqual(paths, [
    { path: '$.id', example: '7' },
    { path: '$.full_name', example: 'Ada Lovelace' },
    { path: '$.department.name', example: 'IT' },
    { path: '$.active', example: 'true' },
  ]);
});

test('gives list items one path with [*]', () => {
  const paths = payloadPaths([{ skills: [{ name: 'Go' }, { name: 'SQL' }], tags: ['a', 'b'] }]);
  assert.deepEqual(paths, [
    { path: '$.skills[*].name', example: 'Go' },
    { path: '$.tags[*]', example: 'a' },
  ]);
});

test('quotes names that are not identifiers', () => {
  assert.deepEqual(payloadPaths([{ 'start-date': '2026-01-01', "o'k": 1 }]).map((p) => p.path), ["$['start-date']", "$['o\\'k']"]);
});

test('takes each path once, with the example from the newest payload that has it', () => {
  const paths = payloadPaths([{ a: 'new' }, { a: 'old', b: 'only old' }]);
  assert.deepEqual(paths, [
    { path: '$.a', example: 'new' },
    { path: '$.b', example: 'only old' },
  ]);
});

test('skips nulls and empty lists, shortens long examples and stops at the limit', () => {
  const paths = payloadPaths([{ gone: null, none: [], long: 'x'.repeat(100), c: 1, d: 2 }], 2);
  assert.equal(paths.length, 2);
  assert.equal(paths[0]?.path, '$.long');
  assert.equal(paths[0]?.example.length, 40);
  assert.ok(paths[0]?.example.endsWith('…'));
});
