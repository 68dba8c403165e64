import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCatalogs } from '../../../src/simulators/bqe/field-catalog.js';
import type { ProjectRecord } from '../../../src/simulators/bqe/sim-data.js';
import { compileWhere } from '../../../src/simulators/bqe/where-compiler.js';
import { WhereError } from '../../../src/simulators/bqe/where-lexer.js';

const { project: catalog } = buildCatalogs('legacyId');
const CLIENT = '211303ef-7cb4-401b-a9b7-62c99a7321b8';

const project = (overrides: Partial<ProjectRecord>): ProjectRecord => ({
  id: '21134e3a-ba25-4614-84c3-0d42b9012448',
  name: 'Riverside Clinic',
  code: 'P-1001',
  status: 0,
  type: 0,
  level: 0,
  parentId: null,
  rootProjectId: '21134e3a-ba25-4614-84c3-0d42b9012448',
  clientId: CLIENT,
  managerId: null,
  contractType: 1,
  contractAmount: 15000,
  startDate: '2018-10-08T00:00:00',
  endDate: null,
  legacyId: 20001,
  customFields: [],
  createdOn: Date.UTC(2024, 10, 2, 8),
  lastUpdated: Date.UTC(2025, 0, 15, 15, 22, 31),
  ...overrides,
});

const matches = (where: string, record: ProjectRecord, offset = 0): boolean => compileWhere(where, catalog, offset)(record);

const refusal = (where: string): WhereError => {
  try {
    compileWhere(where, catalog, 0);
  } catch (err) {
    assert.ok(err instanceof WhereError);
    return err;
  }
  assert.fail(`"${where}" was accepted`);
};

test('reads datetime literals in the request offset, so the same instant matches at every offset', () => {
  const record = project({});
  assert.ok(matches("lastUpdated = '2025-01-15T15:22:31'", record, 0));
  assert.ok(matches("lastUpdated = '2025-01-15T10:22:31'", record, -300));
  assert.ok(matches("lastUpdated = '2025-01-15T16:22:31'", record, 60));
  assert.equal(matches("lastUpdated = '2025-01-15T15:22:31'", record, -300), false);
});

test('shifts a >= cursor with the offset: the same text selects different records', () => {
  const record = project({ lastUpdated: Date.UTC(2025, 0, 15, 3, 0, 0) });
  const where = "lastUpdated >= '2025-01-15T00:00:00'";
  assert.ok(matches(where, record, 0));
  assert.equal(matches(where, record, -300), false, '03:00 UTC is 22:00 the day before at UTC-5');
});

test('compares strings case-insensitively and matches like with % and _', () => {
  const record = project({ name: "O'Connell Tower" });
  assert.ok(matches("name = 'o''connell tower'", record));
  assert.ok(matches("name like 'O''Conn%'", record));
  assert.ok(matches("name like '%tower'", record));
  assert.ok(matches("code like 'P-100_'", record));
  assert.equal(matches("name like 'Connell%'", record), false);
});

test('treats regex characters in a like pattern literally', () => {
  assert.ok(matches("name like 'A.B (1)%'", project({ name: 'A.B (1) Phase' })));
  assert.equal(matches("name like 'A.B (1)%'", project({ name: 'AxB (1) Phase' })), false);
});

test('matches GUIDs in any case and numeric enums by value', () => {
  assert.ok(matches(`clientId = '${CLIENT.toUpperCase()}'`, project({})));
  assert.ok(matches('status in (0, 2)', project({ status: 2 })));
  assert.equal(matches('status in (3, 4)', project({ status: 2 })), false);
});

test('finds nulls only with is null; other comparisons with null are false', () => {
  const root = project({ parentId: null });
  assert.ok(matches('parentId is null', root));
  assert.equal(matches('parentId is not null', root), false);
  assert.equal(matches(`parentId != '${CLIENT}'`, root), false);
  assert.ok(matches('legacyId is null', project({ legacyId: null })));
});

test('evaluates and, or and parentheses', () => {
  const child = project({ level: 2, status: 3 });
  assert.ok(matches('(status = 0 or status = 3) and level = 2', child));
  assert.equal(matches('status = 0 or status = 3 and level = 1', child), false);
});

test('compares naive dates without shifting them', () => {
  const record = project({ startDate: '2018-10-08T00:00:00' });
  assert.ok(matches("startDate = '2018-10-08T00:00:00'", record, -300));
  assert.ok(matches("startDate < '2019-01-01T00:00:00'", record));
});

test('refuses an unknown field, suggesting the right case', () => {
  const err = refusal("LastUpdated >= '2025-01-01T00:00:00'");
  assert.equal(err.position, 1);
  assert.match(err.message, /unknown field "LastUpdated" on project \(did you mean "lastUpdated"\?\)/);
  assert.match(refusal('updatedSince = 1').message, /unknown field "updatedSince"/);
});

test('refuses lastUpdated compared to something that is not a date-time', () => {
  assert.match(refusal("lastUpdated >= '2025-01-01'").message, /"lastUpdated" takes a quoted date-time such as '2025-01-15T10:22:31'/);
  assert.equal(refusal('lastUpdated >= 20250101').position, 16);
  assert.match(refusal("lastUpdated >= '2025-02-30T00:00:00'").message, /date-time/);
  assert.match(refusal("lastUpdated >= '2025-01-01T00:00:00Z'").message, /date-time/);
});

test('refuses quoted numbers for enums, numbers for strings and non-GUIDs for id fields', () => {
  assert.match(refusal("status = '0'").message, /enums take their numeric value/);
  assert.match(refusal('name = 5').message, /quoted string/);
  assert.match(refusal("clientId = '42'").message, /quoted GUID/);
  assert.match(refusal(`clientId = ${'1'}`).message, /quoted GUID/);
  assert.equal(refusal("status in (0, '2')").position, 15);
});

test('refuses operators that do not apply to a field type', () => {
  assert.match(refusal("status like '1%'").message, /operator "like" does not apply to "status"/);
  assert.match(refusal(`clientId > '${CLIENT}'`).message, /operator ">" does not apply to "clientId"/);
  assert.match(refusal("customFields = 'x'").message, /cannot be used in where/);
});

test('uses the configured name for the legacy id', () => {
  const renamed = buildCatalogs('projectNumber').project;
  assert.ok(compileWhere('projectNumber = 20001', renamed, 0)(project({})));
  assert.throws(() => compileWhere('legacyId = 20001', renamed, 0), /unknown field "legacyId"/);
});
