import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCatalogs } from '../../../src/simulators/bqe/field-catalog.js';
import { parseListQuery, readQueryKeys } from '../../../src/simulators/bqe/list-query.js';
import type { ClientRecord } from '../../../src/simulators/bqe/sim-data.js';

const { project, client } = buildCatalogs('legacyId');
const limits = { defaultPageSize: 25, maxPageSize: 1000 };
const parse = (query: string) => parseListQuery(new URLSearchParams(query), project, 0, limits);

test('accepts exactly the documented keys', () => {
  const parsed = parse("page=1,100&where=parentId is null&orderBy=lastUpdated asc&fields=id,name&expand=client");
  assert.deepEqual(parsed.page, { index: 0, size: 100 });
  assert.deepEqual(parsed.fields, ['id', 'name']);
  assert.deepEqual(parsed.expand, ['client']);
  assert.ok(parsed.where);
  assert.ok(parsed.order);
});

test('accepts orderBy in any case, as official samples write orderby', () => {
  for (const key of ['orderBy', 'orderby', 'ORDERBY']) assert.deepEqual(readQueryKeys(new URLSearchParams(`${key}=name`)), { orderBy: 'name' });
});

test('refuses undocumented paging and filtering keys, naming the key and the documented way', () => {
  for (const [key, hint] of [
    ['pageSize', /page size goes in page=/],
    ['updatedSince', /where=lastUpdated >=/],
    ['limit', /page size goes in page=/],
    ['offset', /paging is page=/],
    ['Page', /Allowed here: page, where, orderBy, fields, expand/],
    ['foo', /"foo" is not supported\. Allowed here/],
  ] as const) {
    assert.throws(() => parse(`page=1,10&${key}=5`), (err: Error & { status?: number }) => err.status === 400 && err.message.includes(`"${key}"`) && hint.test(err.message), key);
  }
});

test('refuses a key given twice', () => {
  assert.throws(() => parse('page=1,10&page=2,10'), /"page" is given more than once/);
  assert.throws(() => parse('orderBy=name&orderby=code'), /"orderBy" is given more than once/);
});

test('reports a bad where with its position', () => {
  assert.throws(() => parse("where=name = 'x"), /^SimError: Invalid where clause at position 8: unterminated string/);
  assert.throws(() => parse('where='), /where is empty/);
});

test('refuses orderBy on unknown or unsortable fields and unknown directions', () => {
  assert.throws(() => parse('orderBy=updated asc'), /orderBy: unknown field "updated" on project/);
  assert.throws(() => parse('orderBy=customFields'), /cannot be sorted/);
  assert.throws(() => parse('orderBy=name ascending'), /orderBy must be "<field> \[asc\|desc\]"/);
});

test('sorts ascending and descending with nulls first, and by several keys', () => {
  const rows: ClientRecord[] = [
    { id: 'b', name: 'beta', company: 'x', number: 'C-2', email: null, phone: null, status: 1, legacyId: 3, createdOn: 0, lastUpdated: 2 },
    { id: 'a', name: 'Alpha', company: 'x', number: 'C-1', email: null, phone: null, status: 0, legacyId: null, createdOn: 0, lastUpdated: 2 },
    { id: 'c', name: 'gamma', company: 'x', number: 'C-3', email: null, phone: null, status: 0, legacyId: 1, createdOn: 0, lastUpdated: 1 },
  ];
  const order = (q: string) => [...rows].sort(parseListQuery(new URLSearchParams(`orderBy=${q}`), client, 0, limits).order).map((r) => r.id);
  assert.deepEqual(order('name'), ['a', 'b', 'c']);
  assert.deepEqual(order('name desc'), ['c', 'b', 'a']);
  assert.deepEqual(order('legacyId asc'), ['a', 'c', 'b']);
  assert.deepEqual(order('lastUpdated asc,name desc'), ['c', 'b', 'a']);
});

test('keeps input order for ties, as a stable sort', () => {
  const rows = [{ lastUpdated: 5, id: '1' }, { lastUpdated: 5, id: '2' }, { lastUpdated: 1, id: '3' }] as unknown as ClientRecord[];
  const sorted = [...rows].sort(parseListQuery(new URLSearchParams('orderBy=lastUpdated asc'), client, 0, limits).order);
  assert.deepEqual(sorted.map((r) => r.id), ['3', '1', '2']);
});

test('checks fields and expand against the resource', () => {
  assert.equal(parse('fields=*').fields, undefined);
  assert.throws(() => parse('fields=id,nope'), /fields: unknown field "nope"/);
  assert.throws(() => parse('fields=id,,name'), /empty entry/);
  assert.throws(() => parse('fields=COUNT(*)'), /COUNT\(\*\) is not simulated/);
  assert.throws(() => parse('expand=manager'), /"manager" is not a nested resource of project \(known: client\)/);
  assert.throws(() => parseListQuery(new URLSearchParams('expand=client'), client, 0, limits), /not a nested resource of client$/);
});
