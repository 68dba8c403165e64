import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadProvider } from '../../../../src/plugins/bqe/provider.js';
import { toClientInput, toProjectInput } from '../../../../src/plugins/bqe/sync/record-mapping.js';
import { BadRecordError } from '../../../../src/plugins/bqe/sync/sync-errors.js';

const meta = loadProvider();
const ID = '21134e3a-ba25-4614-84c3-0d42b9012448';
const PARENT = '5f0e2f1a-0000-4000-8000-000000000001';
const CLIENT = '211303ef-7cb4-401b-a9b7-62c99a7321b8';

test('reads a project’s columns with the field names from provider metadata', () => {
  const record = { id: ID, name: 'Riverside Clinic — Phase 1', code: 'P-1001.01', status: 3, level: 1, parentId: PARENT, rootProjectId: PARENT, clientId: CLIENT, legacyId: 20_017, lastUpdated: '2025-01-15T10:22:31' };
  assert.deepEqual(toProjectInput(record, meta.objects.project, -300), {
    externalId: ID,
    legacyExternalId: '20017',
    name: 'Riverside Clinic — Phase 1',
    code: 'P-1001.01',
    status: 3,
    parentExternalId: PARENT,
    rootExternalId: PARENT,
    level: 1,
    clientExternalId: CLIENT,
    lastUpdated: '2025-01-15T10:22:31',
    payload: JSON.stringify({ clientId: CLIENT, code: 'P-1001.01', id: ID, lastUpdated: '2025-01-15T10:22:31', legacyId: 20_017, level: 1, name: 'Riverside Clinic — Phase 1', parentId: PARENT, rootProjectId: PARENT, status: 3 }),
  });
});

test('the payload does not depend on the order BQE sends fields in', () => {
  const a = toClientInput({ id: ID, name: 'Northwind', lastUpdated: '2025-01-15T10:22:31' }, meta.objects.client, 0);
  const b = toClientInput({ lastUpdated: '2025-01-15T10:22:31', name: 'Northwind', id: ID }, meta.objects.client, 0);
  assert.equal(a.payload, b.payload);
});

test('brings lastUpdated to the canonical naive form at the connection’s offset', () => {
  assert.equal(toClientInput({ id: ID, name: 'N', lastUpdated: '2025-01-15T10:22:31.987' }, meta.objects.client, 60).lastUpdated, '2025-01-15T10:22:31');
  assert.equal(toClientInput({ id: ID, name: 'N', lastUpdated: '2025-01-15T10:22:31Z' }, meta.objects.client, -300).lastUpdated, '2025-01-15T05:22:31');
});

test('missing optional fields become empty columns, never invented values', () => {
  const input = toClientInput({ id: ID, lastUpdated: '2025-01-15T10:22:31', legacyId: null, status: 'active' }, meta.objects.client, 0);
  assert.deepEqual([input.name, input.company, input.email, input.status, input.legacyExternalId], ['', null, null, null, null]);
});

test('refuses a record without a usable lastUpdated, naming the record and the value', () => {
  assert.throws(() => toProjectInput({ id: ID, name: 'X' }, meta.objects.project, 0), (err: unknown) => err instanceof BadRecordError && err.message.includes(`project ${ID} without a lastUpdated`));
  assert.throws(
    () => toProjectInput({ id: ID, name: 'X', lastUpdated: '2025-02-30T00:00:00' }, meta.objects.project, 0),
    (err: unknown) => err instanceof BadRecordError && err.code === 'bqe_bad_record' && err.message.includes('"2025-02-30T00:00:00", which is not a date and time'),
  );
});
