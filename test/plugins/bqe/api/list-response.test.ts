import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readListPage, readRecord } from '../../../../src/plugins/bqe/api/list-response.js';
import { UpstreamError } from '../../../../src/platform/upstream-error.js';

const ctx = { status: 200, path: '/project', page: 2, idField: 'id' };
const bad = (fn: () => unknown, message: string) =>
  assert.throws(fn, (err: unknown) => err instanceof UpstreamError && err.kind === 'bad_response' && err.message === message);

test('a list of records with text ids passes through unchanged', () => {
  const body = [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }];
  assert.deepEqual(readListPage(body, ctx), body);
});

test('HTTP 204 is an empty page', () => {
  assert.deepEqual(readListPage(undefined, { ...ctx, status: 204 }), []);
});

test('anything but a list names what came instead', () => {
  bad(() => readListPage({ items: [] }, ctx), 'BQE answered GET /project page 2 with an object instead of a list');
  bad(() => readListPage(undefined, ctx), 'BQE answered GET /project page 2 with an empty body instead of a list');
  bad(() => readListPage('[]', ctx), 'BQE answered GET /project page 2 with a string instead of a list');
  bad(() => readListPage(null, ctx), 'BQE answered GET /project page 2 with null instead of a list');
});

test('a record that cannot be keyed names its position and page', () => {
  const ok = Array.from({ length: 6 }, (_, i) => ({ id: `r${i}` }));
  bad(() => readListPage([...ok, { name: 'no id' }], ctx), "BQE's record 7 on page 2 of /project has no id, so it cannot be mirrored");
  bad(() => readListPage([{ id: 1234 }], ctx), "BQE's record 1 on page 2 of /project has a number as its id, not text, so it cannot be mirrored");
  bad(() => readListPage([{ id: '  ' }], ctx), "BQE's record 1 on page 2 of /project has an empty id, so it cannot be mirrored");
  bad(() => readListPage([{ id: 'a' }, 'b'], ctx), "BQE's record 2 on page 2 of /project is a string, not an object");
  bad(() => readListPage([[{ id: 'a' }]], ctx), "BQE's record 1 on page 2 of /project is a list, not an object");
});

test('without an id field records are only checked to be objects', () => {
  assert.equal(readListPage([{ name: 'Design' }], { status: 200, path: '/activity', page: 1 }).length, 1);
});

test('another id field name is read into id', () => {
  assert.deepEqual(readListPage([{ guid: 'g-1', name: 'X' }], { ...ctx, idField: 'guid' }), [{ guid: 'g-1', name: 'X', id: 'g-1' }]);
});

test('a single record must be an object with a text id', () => {
  assert.deepEqual(readRecord({ id: 'a', name: 'A' }, { status: 200, path: '/client/a', idField: 'id' }), { id: 'a', name: 'A' });
  bad(() => readRecord([{ id: 'a' }], { status: 200, path: '/client/a', idField: 'id' }), 'BQE answered GET /client/a with a list instead of a record');
  bad(() => readRecord({ name: 'A' }, { status: 200, path: '/client/a', idField: 'id' }), 'BQE answered GET /client/a with a record that has no id');
});
