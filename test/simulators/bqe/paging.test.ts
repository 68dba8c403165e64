import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePage, slicePage } from '../../../src/simulators/bqe/paging.js';
import { SimError } from '../../../src/simulators/bqe/sim-error.js';

const limits = { defaultPageSize: 25, maxPageSize: 1000 };
const rows = Array.from({ length: 25 }, (_, i) => i);

test('treats page 0 and page 1 alike as the first page', () => {
  assert.deepEqual(parsePage('0,10', limits), { index: 0, size: 10 });
  assert.deepEqual(parsePage('1,10', limits), { index: 0, size: 10 });
  assert.deepEqual(parsePage('3,10', limits), { index: 2, size: 10 });
});

test('uses the default page size when page is left out', () => {
  assert.deepEqual(parsePage(undefined, limits), { index: 0, size: 25 });
});

test('refuses page sizes outside 1..max with 400', () => {
  assert.throws(() => parsePage('1,0', limits), (err: SimError) => err.status === 400 && /between 1 and 1000 \(got 0\)/.test(err.message));
  assert.throws(() => parsePage('1,1001', limits), /between 1 and 1000/);
  assert.deepEqual(parsePage('1,1000', limits), { index: 0, size: 1000 });
  assert.throws(() => parsePage('1,50', { defaultPageSize: 10, maxPageSize: 20 }), /between 1 and 20/);
});

test('refuses anything but two whole numbers separated by a comma', () => {
  for (const raw of ['1', '1,', ',10', '-1,10', '1,10,2', '1;10', '1, 10', 'a,b', '1.5,10', '']) {
    assert.throws(() => parsePage(raw, limits), /page must be "<pageNumber>,<pageSize>"/, raw);
  }
});

test('slices pages and returns an empty page past the end', () => {
  assert.deepEqual(slicePage(rows, { index: 0, size: 10 }, false), rows.slice(0, 10));
  assert.deepEqual(slicePage(rows, { index: 2, size: 10 }, false), rows.slice(20, 25));
  assert.deepEqual(slicePage(rows, { index: 3, size: 10 }, false), []);
});

test('returns the first page for every page number when repeating', () => {
  assert.deepEqual(slicePage(rows, { index: 2, size: 10 }, true), rows.slice(0, 10));
});
