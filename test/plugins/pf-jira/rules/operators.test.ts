import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { looseEquals, MAX_PATTERN_LENGTH, OPERATOR_DEFS } from '../../../../src/plugins/pf-jira/rules/operators.js';
import { OPERATORS } from '../../../../src/plugins/pf-jira/rules/rule-types.js';

const { equals, not_equals, in: isIn, not_in, contains, matches, exists, not_exists, gt, lt } = OPERATOR_DEFS;

describe('operator registry', () => {
  test('has one entry with a label for every operator', () => {
    assert.deepEqual(Object.keys(OPERATOR_DEFS).sort(), [...OPERATORS].sort());
    for (const op of OPERATORS) assert.ok(OPERATOR_DEFS[op].label.length > 0);
  });

  test('only exists and not_exists work without a value', () => {
    assert.deepEqual(
      OPERATORS.filter((op) => !OPERATOR_DEFS[op].needsValue),
      ['exists', 'not_exists'],
    );
  });
});

describe('looseEquals', () => {
  test('compares text exactly, case included', () => {
    assert.equal(looseEquals('Contractor', 'Contractor'), true);
    assert.equal(looseEquals('contractor', 'Contractor'), false);
  });

  test('compares a number with numeric text as numbers', () => {
    assert.equal(looseEquals(10, '10'), true);
    assert.equal(looseEquals('10.0', 10), true);
    assert.equal(looseEquals(10, 'ten'), false);
    assert.equal(looseEquals(10, ''), false);
  });

  test('compares a boolean with true/false text', () => {
    assert.equal(looseEquals(true, 'true'), true);
    assert.equal(looseEquals('false', false), true);
    assert.equal(looseEquals(true, 'yes'), false);
  });

  test('never equates objects, arrays or null with a value', () => {
    assert.equal(looseEquals(null, 'null'), false);
    assert.equal(looseEquals({ name: 'IT' }, 'IT'), false);
    assert.equal(looseEquals(['IT'], 'IT'), false);
  });
});

describe('equals and not_equals', () => {
  test('equals holds when any selected value equals', () => {
    assert.equal(equals.test(['Full-Time', 'Contractor'], 'Contractor'), true);
    assert.equal(equals.test(['Full-Time'], 'Contractor'), false);
    assert.equal(equals.test([], 'Contractor'), false);
    assert.equal(equals.test([5], '5'), true);
  });

  test('not_equals holds when no selected value equals, including when nothing is selected', () => {
    assert.equal(not_equals.test(['Full-Time'], 'Contractor'), true);
    assert.equal(not_equals.test(['Full-Time', 'Contractor'], 'Contractor'), false);
    assert.equal(not_equals.test([], 'Contractor'), true);
  });

  test('refuses a missing value or a list', () => {
    assert.match(equals.valueError(undefined) ?? '', /Enter a value/);
    assert.match(equals.valueError('') ?? '', /Enter a value/);
    assert.match(not_equals.valueError(['a']) ?? '', /is one of/);
    assert.equal(equals.valueError(0), null);
    assert.equal(equals.valueError(false), null);
  });
});

describe('in and not_in', () => {
  test('in holds when any selected value is in the list', () => {
    assert.equal(isIn.test(['IT'], ['HR', 'IT']), true);
    assert.equal(isIn.test(['Sales', 'IT'], ['HR', 'IT']), true);
    assert.equal(isIn.test(['Sales'], ['HR', 'IT']), false);
    assert.equal(isIn.test([42], ['41', '42']), true);
  });

  test('not_in holds when no selected value is in the list', () => {
    assert.equal(not_in.test(['Sales'], ['HR', 'IT']), true);
    assert.equal(not_in.test(['Sales', 'HR'], ['HR', 'IT']), false);
    assert.equal(not_in.test([], ['HR']), true);
  });

  test('needs a non-empty list', () => {
    assert.match(isIn.valueError([]) ?? '', /at least one/);
    assert.match(not_in.valueError('HR') ?? '', /list/);
    assert.equal(isIn.valueError(['HR']), null);
  });
});

describe('contains', () => {
  test('finds text inside text, ignoring case', () => {
    assert.equal(contains.test(['Senior Support Engineer'], 'support'), true);
    assert.equal(contains.test(['Designer'], 'support'), false);
  });

  test('finds an element of a list', () => {
    assert.equal(contains.test([['remote', 'contractor']], 'remote'), true);
    assert.equal(contains.test([[1, 2, 3]], '2'), true);
    assert.equal(contains.test([['Remote']], 'remote'), false);
  });

  test('ignores values that are neither text nor lists', () => {
    assert.equal(contains.test([123, { a: 'x' }, null], '12'), false);
  });
});

describe('matches', () => {
  test('tests text and numbers against the pattern', () => {
    assert.equal(matches.test(['IT-1029'], '^IT-\\d+$'), true);
    assert.equal(matches.test([1029], '^10'), true);
    assert.equal(matches.test(['HR-1'], '^IT-'), false);
    assert.equal(matches.test([{ id: 'IT-1' }], 'IT'), false);
  });

  test('compiles the pattern once and reuses it for every event', () => {
    const test1 = matches.compile('^a');
    assert.equal(test1(['abc']), true);
    assert.equal(test1(['abc']), true);
    assert.equal(test1(['xbc']), false);
  });

  test('refuses an invalid pattern, a missing one and one that is too long', () => {
    assert.match(matches.valueError('([a-z') ?? '', /not a valid regular expression/);
    assert.match(matches.valueError(undefined) ?? '', /Enter a regular expression/);
    assert.match(matches.valueError('a'.repeat(MAX_PATTERN_LENGTH + 1)) ?? '', /at most 500/);
    assert.equal(matches.valueError('a'.repeat(MAX_PATTERN_LENGTH)), null);
  });

  test('an invalid pattern never matches instead of throwing', () => {
    assert.equal(matches.test(['([a-z'], '([a-z'), false);
  });
});

describe('exists and not_exists', () => {
  test('exists needs at least one selected value that is not null', () => {
    assert.equal(exists.test(['x'], undefined), true);
    assert.equal(exists.test([null, 0], undefined), true);
    assert.equal(exists.test([null], undefined), false);
    assert.equal(exists.test([], undefined), false);
  });

  test('not_exists is the opposite', () => {
    assert.equal(not_exists.test([], undefined), true);
    assert.equal(not_exists.test([null], undefined), true);
    assert.equal(not_exists.test([''], undefined), false);
  });

  test('accept no value at all', () => {
    assert.equal(exists.valueError(undefined), null);
    assert.equal(not_exists.valueError(undefined), null);
  });
});

describe('gt and lt', () => {
  test('compare numbers and numeric text', () => {
    assert.equal(gt.test([5], 3), true);
    assert.equal(gt.test(['5'], '3'), true);
    assert.equal(gt.test([3], 3), false);
    assert.equal(lt.test(['2.5'], 3), true);
    assert.equal(lt.test(['abc'], 3), false);
  });

  test('compare dates when the value is a date', () => {
    assert.equal(gt.test(['2026-03-01'], '2026-01-01'), true);
    assert.equal(gt.test(['2025-12-31'], '2026-01-01'), false);
    assert.equal(lt.test(['2025-12-31T23:00:00Z'], '2026-01-01'), true);
    assert.equal(gt.test(['not a date', null], '2026-01-01'), false);
  });

  test('hold when any selected value compares', () => {
    assert.equal(gt.test([1, 9], 5), true);
    assert.equal(lt.test([9, 1], 5), true);
  });

  test('refuse a value that is neither a number nor a date', () => {
    assert.match(gt.valueError('soon') ?? '', /number, or a date/);
    assert.match(lt.valueError(undefined) ?? '', /number or a date/);
    assert.match(gt.valueError('2026-13-45') ?? '', /number, or a date/);
    assert.equal(gt.valueError('2026-01-01'), null);
    assert.equal(lt.valueError('2026-01-01T08:00:00.000+02:00'), null);
    assert.equal(gt.valueError(10), null);
  });
});
