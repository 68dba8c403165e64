import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileConditions, conditionError, conditionErrors } from '../../../../src/plugins/pf-jira/rules/conditions.js';
import { PathReader } from '../../../../src/plugins/pf-jira/rules/jsonpath.js';
import type { Condition, Operator } from '../../../../src/plugins/pf-jira/rules/rule-types.js';

const employee = {
  employment_type: { name: 'Contractor' },
  department: { name: 'IT' },
  hired_on: '2026-02-02',
  tags: ['remote', 'a', 'b', 'c'],
  note: 'x'.repeat(200),
};

const run = (conditions: Condition[], match: 'all' | 'any' = 'all', payload: unknown = employee) => compileConditions(conditions, match)(new PathReader(payload));

const contractor: Condition = { path: '$.employment_type.name', operator: 'equals', value: 'Contractor' };
const inHr: Condition = { path: '$.department.name', operator: 'equals', value: 'HR' };

describe('compileConditions', () => {
  test('explains a match with the value it found', () => {
    assert.deepEqual(run([contractor]), { matched: true, detail: '$.employment_type.name equals "Contractor" (found "Contractor")' });
  });

  test('all: every condition must hold, and the detail names the one that failed', () => {
    const r = run([contractor, inHr]);
    assert.equal(r.matched, false);
    assert.equal(r.detail, '$.department.name equals "HR" did not hold (found "IT")');
    const both = run([contractor, { ...inHr, value: 'IT' }]);
    assert.equal(both.matched, true);
    assert.match(both.detail, /Contractor.* and \$\.department\.name equals "IT"/);
  });

  test('any: one condition is enough, and a miss lists them all', () => {
    const r = run([inHr, contractor], 'any');
    assert.deepEqual(r, { matched: true, detail: '$.employment_type.name equals "Contractor" (found "Contractor")' });
    const miss = run([inHr, { ...contractor, value: 'Intern' }], 'any');
    assert.equal(miss.matched, false);
    assert.match(miss.detail, /^none of: \$\.department\.name equals "HR" did not hold \(found "IT"\); \$\.employment_type\.name/);
  });

  test('a rule without conditions takes every event', () => {
    assert.equal(run([]).matched, true);
    assert.equal(run([], 'any').matched, true);
  });

  test('says when a path found nothing, and shortens long or many values', () => {
    assert.match(run([{ path: '$.missing', operator: 'exists' }]).detail, /\$\.missing exists did not hold \(found nothing\)/);
    assert.match(run([{ path: '$.tags[*]', operator: 'contains', value: 'remote' }]).detail, /found "remote", "a", "b" and 1 more/);
    const long = run([{ path: '$.note', operator: 'exists' }]).detail;
    assert.ok(long.length < 120, long);
    assert.match(long, /…/);
  });

  test('shows list values for in', () => {
    assert.equal(run([{ path: '$.department.name', operator: 'in', value: ['HR', 'IT'] }]).detail, '$.department.name is one of ["HR","IT"] (found "IT")');
  });

  test('reads dates with gt', () => {
    assert.equal(run([{ path: '$.hired_on', operator: 'gt', value: '2026-01-01' }]).matched, true);
  });
});

describe('conditionErrors', () => {
  test('accepts valid conditions', () => {
    assert.deepEqual(conditionErrors([contractor, { path: '$.x', operator: 'exists' }]), {});
  });

  test('keys problems by condition index and part', () => {
    const errors = conditionErrors([
      contractor,
      { path: 'department.name', operator: 'equals', value: 'IT' },
      { path: '$.a', operator: 'matches', value: '(' },
      { path: '$.a', operator: 'equals' },
      { path: '$.a', operator: 'gt', value: 'soon' },
      { path: '$[', operator: 'in', value: [] },
      { path: ' ', operator: 'equals', value: 'x' },
    ]);
    assert.deepEqual(Object.keys(errors).sort(), [
      'conditions.1.path',
      'conditions.2.value',
      'conditions.3.value',
      'conditions.4.value',
      'conditions.5.path',
      'conditions.5.value',
      'conditions.6.path',
    ]);
    assert.match(errors['conditions.1.path'] ?? '', /must start with \$/);
    assert.match(errors['conditions.2.value'] ?? '', /regular expression/);
    assert.match(errors['conditions.4.value'] ?? '', /number, or a date/);
    assert.match(errors['conditions.6.path'] ?? '', /Enter a JSONPath/);
  });

  test('names the choices for an unknown operator', () => {
    assert.match(conditionError({ path: '$.a', operator: 'like' as Operator }).operator ?? '', /Choose one of: equals, does not equal/);
  });
});
