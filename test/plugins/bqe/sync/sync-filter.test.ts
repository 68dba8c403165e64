import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadProvider } from '../../../../src/plugins/bqe/provider.js';
import { whereBuilder } from '../../../../src/plugins/bqe/where-clause.js';
import { syncWhere } from '../../../../src/plugins/bqe/sync/sync-filter.js';

const meta = loadProvider();
const render = whereBuilder({}).render;
const all = { parentOnly: false, maxProjectLevel: null };

const where = (...args: Parameters<typeof syncWhere>): string | undefined => {
  const predicate = syncWhere(...args);
  return predicate === undefined ? undefined : render(predicate);
};

test('a full run of everything sends no filter', () => {
  assert.equal(where(meta, all, 'project', { mode: 'full', cursorFrom: '2025-01-15T10:22:31' }), undefined);
});

test('a delta run reads from the cursor less the overlap window', () => {
  assert.equal(where(meta, all, 'client', { mode: 'delta', cursorFrom: '2025-01-15T00:02:00' }), "lastUpdated >= '2025-01-14T23:57:00'");
});

test('project policies become parentId and level conditions, joined with the delta condition', () => {
  assert.equal(where(meta, { parentOnly: true, maxProjectLevel: null }, 'project', { mode: 'full', cursorFrom: null }), 'parentId is null');
  assert.equal(where(meta, { parentOnly: false, maxProjectLevel: 2 }, 'project', { mode: 'full', cursorFrom: null }), 'level <= 2');
  assert.equal(
    where(meta, { parentOnly: true, maxProjectLevel: 0 }, 'project', { mode: 'delta', cursorFrom: '2025-01-15T10:22:31' }),
    "lastUpdated >= '2025-01-15T10:17:31' and parentId is null and level <= 0",
  );
});

test('project policies do not apply to clients', () => {
  assert.equal(where(meta, { parentOnly: true, maxProjectLevel: 1 }, 'client', { mode: 'full', cursorFrom: null }), undefined);
});
