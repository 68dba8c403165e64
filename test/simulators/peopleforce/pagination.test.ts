import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paginate, parsePageRequest } from '../../../src/simulators/peopleforce/pagination.js';
import { SimError } from '../../../src/simulators/peopleforce/sim-error.js';

test('defaults to page 1 of 50', () => {
  assert.deepEqual(parsePageRequest({}), { page: 1, perPage: 50 });
});

test('clamps the page size to 100', () => {
  assert.deepEqual(parsePageRequest({ page: '3', per_page: '1000' }), { page: 3, perPage: 100 });
});

test('refuses a page size of 0 with 422', () => {
  assert.throws(() => parsePageRequest({ per_page: '0' }), (err: unknown) => err instanceof SimError && err.status === 422 && err.errors?.per_page !== undefined);
});

test('reports zero pages for an empty list', () => {
  assert.deepEqual(paginate([], { page: 1, perPage: 50 }), { data: [], metadata: { pagination: { page: 1, pages: 0, count: 0, items: 50 } } });
});

test('slices the requested page', () => {
  assert.deepEqual(paginate([1, 2, 3, 4, 5], { page: 2, perPage: 2 }).data, [3, 4]);
});
