import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedQueryKeys, buildListQuery, ListRequestError, type ListRequest } from '../../../../src/plugins/bqe/api/list-query.js';
import { loadProvider } from '../../../../src/plugins/bqe/provider.js';
import { whereBuilder, WhereClauseError, type Predicate } from '../../../../src/plugins/bqe/where-clause.js';

const meta = loadProvider();
const where = whereBuilder(meta.objects.project.fields);

test('writes page, where and orderBy in that order and nothing else', () => {
  const query = buildListQuery(meta, { resource: 'project', page: 3, pageSize: 1000, where: where.gte('lastUpdated', '2025-01-15T10:17:31'), orderBy: 'lastUpdated' });
  assert.deepEqual(Object.entries(query), [
    ['page', '3,1000'],
    ['where', "lastUpdated >= '2025-01-15T10:17:31'"],
    ['orderBy', 'lastUpdated asc'],
  ]);
  assert.deepEqual(buildListQuery(meta, { resource: 'client', page: 1, pageSize: 5 }), { page: '1,5' });
});

test('takes the parameter names from provider metadata', () => {
  const renamed = structuredClone(meta);
  renamed.api.orderByParam = 'orderby';
  assert.deepEqual(buildListQuery(renamed, { resource: 'project', page: 1, pageSize: 2, orderBy: 'name' }), { page: '1,2', orderby: 'name asc' });
  assert.deepEqual([...allowedQueryKeys(renamed)], ['page', 'where', 'orderby']);
});

test('refuses any other request key, such as pageSize or updatedSince smuggled in', () => {
  const smuggled = { resource: 'project', page: 1, pageSize: 10, updatedSince: '2025-01-01' } as ListRequest;
  assert.throws(() => buildListQuery(meta, smuggled), (err: unknown) => err instanceof ListRequestError && /refused: updatedSince/.test(err.message));
  const limit = { resource: 'project', page: 1, pageSize: 10, limit: 5, offset: 0 } as ListRequest;
  assert.throws(() => buildListQuery(meta, limit), /refused: limit, offset/);
});

test('a where clause must come from the builder', () => {
  const forged = { text: "1=1' or ''='" } as unknown as Predicate;
  assert.throws(() => buildListQuery(meta, { resource: 'project', page: 1, pageSize: 10, where: forged }), WhereClauseError);
  const asString = "parentId is null" as unknown as Predicate;
  assert.throws(() => buildListQuery(meta, { resource: 'project', page: 1, pageSize: 10, where: asString }), WhereClauseError);
});

test('refuses pages before the first, sizes outside 1 to the configured size, and odd names', () => {
  const first = meta.api.paging.firstPage;
  assert.throws(() => buildListQuery(meta, { resource: 'project', page: first - 1, pageSize: 10 }), /BQE's first page is 1/);
  assert.throws(() => buildListQuery(meta, { resource: 'project', page: 1.5, pageSize: 10 }), ListRequestError);
  assert.throws(() => buildListQuery(meta, { resource: 'project', page: 1, pageSize: 0 }), /page size 0 is not a whole number from 1 to 1000/);
  assert.throws(() => buildListQuery(meta, { resource: 'project', page: 1, pageSize: 1001 }), /from 1 to 1000/);
  assert.throws(() => buildListQuery(meta, { resource: 'project?x=1', page: 1, pageSize: 1 }), /not a BQE resource name/);
  assert.throws(() => buildListQuery(meta, { resource: 'project', page: 1, pageSize: 1, orderBy: 'lastUpdated desc' }), /not a field name BQE can order by/);
});
