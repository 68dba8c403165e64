import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageOfList, pageOfPages } from '../../../src/api/schemas/paging.js';

const rows = Array.from({ length: 23 }, (_, i) => i + 1);

/** A service that reads by page number, recording which pages it was asked for. */
const numbered = () => {
  const asked: [number, number][] = [];
  const read = (page: number, size: number) => {
    asked.push([page, size]);
    return { items: rows.slice((page - 1) * size, page * size), total: rows.length };
  };
  return { asked, read };
};

test('a page of a whole list is the slice at the offset, with the total of the list', () => {
  assert.deepEqual(pageOfList(rows, { limit: 5, offset: 20 }), { items: [21, 22, 23], total: 23, limit: 5, offset: 20 });
  assert.deepEqual(pageOfList(rows, { limit: 5, offset: 40 }).items, []);
});

test('an offset on a page boundary reads that one page', () => {
  const s = numbered();
  assert.deepEqual(pageOfPages({ limit: 5, offset: 10 }, s.read), { items: [11, 12, 13, 14, 15], total: 23, limit: 5, offset: 10 });
  assert.deepEqual(s.asked, [[3, 5]]);
});

test('an offset inside a page joins it with the next one', () => {
  const s = numbered();
  assert.deepEqual(pageOfPages({ limit: 5, offset: 7 }, s.read).items, [8, 9, 10, 11, 12]);
  assert.deepEqual(s.asked, [
    [2, 5],
    [3, 5],
  ]);
});

test('the last, short page needs no second read, and past the end is empty', () => {
  const s = numbered();
  assert.deepEqual(pageOfPages({ limit: 10, offset: 21 }, s.read).items, [22, 23]);
  assert.deepEqual(s.asked, [[3, 10]]);
  assert.deepEqual(pageOfPages({ limit: 10, offset: 50 }, numbered().read), { items: [], total: 23, limit: 10, offset: 50 });
});
