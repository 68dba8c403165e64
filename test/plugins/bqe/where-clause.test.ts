import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatNaive, shiftNaive } from '../../../src/plugins/bqe/bqe-time.js';
import { loadProvider } from '../../../src/plugins/bqe/provider.js';
import { MAX_IN_VALUES, MAX_STRING_VALUE_LENGTH, whereBuilder, WhereClauseError, type Predicate } from '../../../src/plugins/bqe/where-clause.js';

const FIELDS = {
  id: 'guid',
  parentId: 'guid',
  name: 'string',
  status: 'enum',
  level: 'integer',
  contractAmount: 'number',
  billable: 'boolean',
  lastUpdated: 'datetime',
} as const;

const w = whereBuilder(FIELDS);
const GUID = '21134e3a-ba25-4614-84c3-0d42b9012448';

/** Asserts a WhereClauseError for `field` whose message matches `pattern`. */
const refused = (fn: () => unknown, field: string | undefined, pattern: RegExp) =>
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof WhereClauseError, `expected WhereClauseError, got ${String(err)}`);
    assert.equal(err.status, 422);
    assert.equal(err.code, 'bqe_where_unsafe');
    assert.equal(err.field, field);
    if (field !== undefined) assert.match(err.message, new RegExp(`"${field}"`));
    assert.match(err.message, pattern);
    return true;
  });

/** Calls a builder function with values TypeScript would refuse, as untyped callers could. */
const loose = w as unknown as Record<string, (...args: unknown[]) => Predicate>;

describe('value encoding by field type', () => {
  test('writes a GUID single-quoted', () => {
    assert.equal(w.render(w.eq('id', GUID)), `id = '${GUID}'`);
    assert.equal(w.render(w.eq('id', GUID.toUpperCase())), `id = '${GUID.toUpperCase()}'`);
  });

  test('writes text single-quoted with embedded quotes doubled', () => {
    assert.equal(w.render(w.eq('name', "O'Brien")), "name = 'O''Brien'");
    assert.equal(w.render(w.eq('name', "''")), "name = ''''''");
    assert.equal(w.render(w.eq('name', 'Riverside Clinic — Phase 2 ü')), "name = 'Riverside Clinic — Phase 2 ü'");
    assert.equal(w.render(w.eq('name', '')), "name = ''");
  });

  test('writes a naive timestamp single-quoted', () => {
    assert.equal(w.render(w.gte('lastUpdated', '2025-01-01T00:00:00')), "lastUpdated >= '2025-01-01T00:00:00'");
  });

  test('accepts timestamps made by bqe-time', () => {
    const cursor = shiftNaive('2025-01-15T10:22:31.5', -300);
    assert.equal(w.render(w.gte('lastUpdated', cursor)), "lastUpdated >= '2025-01-15T10:17:31'");
    assert.equal(w.render(w.lt('lastUpdated', formatNaive(Date.UTC(2025, 5, 1, 12), -300))), "lastUpdated < '2025-06-01T07:00:00'");
  });

  test('writes enums, integers and numbers bare', () => {
    assert.equal(w.render(w.eq('status', 0)), 'status = 0');
    assert.equal(w.render(w.lte('level', 3)), 'level <= 3');
    assert.equal(w.render(w.gt('level', -1)), 'level > -1');
    assert.equal(w.render(w.gt('contractAmount', 15000.25)), 'contractAmount > 15000.25');
    assert.equal(w.render(w.eq('contractAmount', -0)), 'contractAmount = 0');
  });

  test('writes booleans as true and false', () => {
    assert.equal(w.render(w.eq('billable', true)), 'billable = true');
    assert.equal(w.render(w.ne('billable', false)), 'billable != false');
  });

  test('uses each comparison operator', () => {
    const rendered = [w.eq('level', 1), w.ne('level', 1), w.lt('level', 1), w.lte('level', 1), w.gt('level', 1), w.gte('level', 1)].map(w.render);
    assert.deepEqual(rendered, ['level = 1', 'level != 1', 'level < 1', 'level <= 1', 'level > 1', 'level >= 1']);
  });

  test('writes null tests on any field', () => {
    assert.equal(w.render(w.isNull('parentId')), 'parentId is null');
    assert.equal(w.render(w.isNotNull('lastUpdated')), 'lastUpdated is not null');
  });

  test('writes like with the pattern escaped as text', () => {
    assert.equal(w.render(w.like('name', "%O'Brien%")), "name like '%O''Brien%'");
  });

  test('writes in-lists of each type', () => {
    assert.equal(w.render(w.in('status', [0, 2, 3])), 'status in (0, 2, 3)');
    assert.equal(w.render(w.in('id', [GUID])), `id in ('${GUID}')`);
    assert.equal(w.render(w.in('name', ['a', "b'c"])), "name in ('a', 'b''c')");
  });
});

describe('refusing values it cannot encode safely', () => {
  test('refuses control characters in text, naming the character', () => {
    refused(() => w.eq('name', 'line one\nline two'), 'name', /control character U\+000A/);
    refused(() => w.eq('name', 'nul\u0000'), 'name', /U\+0000/);
    refused(() => w.eq('name', 'del\u007f'), 'name', /U\+007F/);
    refused(() => w.like('name', 'tab\there'), 'name', /U\+0009/);
  });

  test('refuses broken Unicode and over-long text', () => {
    refused(() => w.eq('name', 'half \ud800 a pair'), 'name', /broken Unicode/);
    assert.equal(w.render(w.eq('name', 'x'.repeat(MAX_STRING_VALUE_LENGTH))).length, `name = ''`.length + MAX_STRING_VALUE_LENGTH);
    refused(() => w.eq('name', 'x'.repeat(MAX_STRING_VALUE_LENGTH + 1)), 'name', new RegExp(`${MAX_STRING_VALUE_LENGTH + 1} characters long; at most ${MAX_STRING_VALUE_LENGTH}`));
  });

  test('refuses a quote or control character in a GUID with a specific message', () => {
    refused(() => w.eq('id', "21134e3a-ba25-4614-84c3-0d42b901244'"), 'id', /contains a quote \('\), which is never part of a GUID/);
    refused(() => w.eq('id', `${GUID}' or '1'='1`), 'id', /contains a quote/);
    refused(() => w.eq('parentId', `${GUID}\r`), 'parentId', /control character U\+000D, which is never part of a GUID/);
  });

  test('refuses text that is not a canonical GUID', () => {
    refused(() => w.eq('id', '21134e3a-ba25-4614-84c3-0d42b901244'), 'id', /not a GUID \(expected 8-4-4-4-12/);
    refused(() => w.eq('id', `{${GUID}}`), 'id', /not a GUID/);
    refused(() => w.eq('id', '21134e3aba25461484c30d42b9012448'), 'id', /not a GUID/);
    refused(() => loose.eq?.('id', 42), 'id', /number was given, but the field holds a GUID/);
  });

  test('refuses dates that do not exist and other date shapes', () => {
    refused(() => w.gte('lastUpdated', '2025-02-30T00:00:00'), 'lastUpdated', /"2025-02-30T00:00:00" is not a real calendar date and time/);
    refused(() => w.gte('lastUpdated', '2025-01-01T24:00:00'), 'lastUpdated', /not a real calendar date/);
    refused(() => w.gte('lastUpdated', '2025-01-01'), 'lastUpdated', /not written YYYY-MM-DDThh:mm:ss/);
    refused(() => w.gte('lastUpdated', '2025-01-01T00:00:00Z'), 'lastUpdated', /no fraction of a second or time zone/);
    refused(() => w.gte('lastUpdated', '2025-01-01T00:00:00.5'), 'lastUpdated', /not written/);
    refused(() => w.gte('lastUpdated', "2025-01-01T00:00:00' or '1'='1"), 'lastUpdated', /contains a quote \('\), which is never part of a date and time/);
    refused(() => w.gte('lastUpdated', '2025-01-01T00:00:00\n'), 'lastUpdated', /control character U\+000A/);
    refused(() => loose.gte?.('lastUpdated', new Date()), 'lastUpdated', /object was given/);
  });

  test('refuses NaN, infinities and exponent-sized numbers', () => {
    refused(() => w.eq('contractAmount', Number.NaN), 'contractAmount', /NaN/);
    refused(() => w.eq('level', Number.NaN), 'level', /NaN/);
    refused(() => w.gt('contractAmount', Number.POSITIVE_INFINITY), 'contractAmount', /not a finite number/);
    refused(() => w.gt('contractAmount', 1e21), 'contractAmount', /without an exponent/);
    refused(() => w.gt('contractAmount', 1e-7), 'contractAmount', /without an exponent/);
  });

  test('refuses fractions for integers and enums', () => {
    refused(() => w.eq('status', 1.5), 'status', /not a whole number/);
    refused(() => w.eq('level', 2 ** 53), 'level', /not a whole number/);
  });

  test('refuses text given for number, enum and boolean fields, quotes first', () => {
    refused(() => loose.eq?.('status', '0'), 'status', /"0" is text, but the field holds an enum number/);
    refused(() => loose.eq?.('status', "0' or 1=1 or '"), 'status', /contains a quote/);
    refused(() => loose.eq?.('level', '1\u0000'), 'level', /control character U\+0000/);
    refused(() => loose.eq?.('billable', 'true'), 'billable', /not true or false/);
    refused(() => loose.eq?.('billable', 1), 'billable', /not true or false/);
  });

  test('refuses a missing value and points to the null tests', () => {
    refused(() => loose.eq?.('parentId', null), 'parentId', /use isNull or isNotNull/);
    refused(() => loose.eq?.('name', undefined), 'name', /use isNull or isNotNull/);
  });

  test('refuses a field the object does not have, listing the known ones', () => {
    refused(() => loose.eq?.('updatedSince', '2025-01-01T00:00:00'), 'updatedSince', /not a field of this object \(known fields: id, parentId, name/);
    refused(() => loose.isNull?.('toString'), 'toString', /not a field of this object/);
    refused(() => loose.eq?.('lastUpdated; drop', 'x'), 'lastUpdated; drop', /not a field/);
  });

  test('refuses like on anything but text', () => {
    refused(() => loose.like?.('level', '1%'), 'level', /"like" only applies to text fields, and this field holds a whole number/);
    refused(() => loose.like?.('id', '2113%'), 'id', /only applies to text fields/);
  });

  test('refuses ordering on true/false fields', () => {
    refused(() => loose.gt?.('billable', false), 'billable', /does not apply to a true\/false field/);
  });

  test('refuses empty and over-long in-lists and checks every value', () => {
    refused(() => w.in('status', []), 'status', /at least one value/);
    refused(() => w.in('status', Array.from({ length: MAX_IN_VALUES + 1 }, (_, i) => i)), 'status', new RegExp(`at most ${MAX_IN_VALUES}`));
    refused(() => w.in('id', [GUID, 'nope']), 'id', /"nope" is not a GUID/);
    refused(() => loose.in?.('status', 0), 'status', /needs a list/);
  });

  test('refuses field maps whose names could not be written safely', () => {
    refused(() => whereBuilder({ 'name or 1=1': 'string' }), 'name or 1=1', /not a plain identifier/);
  });
});

describe('grouping with and / or', () => {
  const a = w.gte('lastUpdated', '2025-01-01T00:00:00');
  const b = w.isNull('parentId');
  const c = w.eq('status', 0);
  const d = w.eq('status', 2);

  test('joins with lowercase and', () => {
    assert.equal(w.render(w.and(a, b)), "lastUpdated >= '2025-01-01T00:00:00' and parentId is null");
  });

  test('a group of one renders as its only child', () => {
    assert.equal(w.render(w.and(b)), 'parentId is null');
    assert.equal(w.render(w.or(w.and(c))), 'status = 0');
  });

  test('puts parentheses around a nested group with the other operator', () => {
    assert.equal(w.render(w.and(a, w.or(c, d))), "lastUpdated >= '2025-01-01T00:00:00' and (status = 0 or status = 2)");
    assert.equal(w.render(w.or(w.and(a, b), c)), "(lastUpdated >= '2025-01-01T00:00:00' and parentId is null) or status = 0");
  });

  test('flattens a nested group with the same operator', () => {
    assert.equal(w.render(w.and(a, w.and(b, c))), "lastUpdated >= '2025-01-01T00:00:00' and parentId is null and status = 0");
  });

  test('nests several levels deep', () => {
    const p = w.and(b, w.or(c, w.and(d, w.gt('level', 1))));
    assert.equal(w.render(p), 'parentId is null and (status = 0 or (status = 2 and level > 1))');
  });

  test('refuses an empty group', () => {
    refused(() => w.and(), undefined, /"and" needs at least one condition/);
    refused(() => w.or(), undefined, /"or" needs at least one condition/);
  });

  test('refuses anything that was not built by a where builder', () => {
    const fake = { text: '1=1' } as unknown as Predicate;
    refused(() => w.render(fake), undefined, /not made by the where-clause builder/);
    refused(() => w.and(a, fake), undefined, /not made by the where-clause builder/);
  });

  test('predicates from one builder combine with those of another', () => {
    const other = whereBuilder({ company: 'string' });
    assert.equal(w.render(w.and(b, other.eq('company', 'Acme'))), "parentId is null and company = 'Acme'");
  });
});

describe('with the shipped provider metadata', () => {
  const meta = loadProvider();
  const projects = whereBuilder(meta.objects.project.fields);

  test('makes the delta filter the sync sends', () => {
    const cursor = meta.objects.project.cursorField;
    const since = shiftNaive('2025-01-15T10:22:31', -meta.sync.overlapSeconds);
    assert.equal(projects.render(projects.gte(cursor, since)), "lastUpdated >= '2025-01-15T10:17:31'");
  });

  test('makes the parent-only filter', () => {
    const p = projects.and(projects.gte('lastUpdated', '2025-01-01T00:00:00'), projects.isNull(meta.objects.project.parentField));
    assert.equal(projects.render(p), "lastUpdated >= '2025-01-01T00:00:00' and parentId is null");
  });

  test('still refuses wrong value types for fields typed only at run time', () => {
    refused(() => projects.eq('level', '1'), 'level', /is text, but the field holds a whole number/);
    refused(() => projects.eq('pageSize', 10), 'pageSize', /not a field of this object/);
  });
});
