import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyRowOp, formValuesOf, newRuleValues, parseRowOp, readRuleForm, ruleInputOf, withoutBlankRows } from '../../../../src/plugins/pf-jira/rules/rule-form.js';
import { parseRuleInput } from '../../../../src/plugins/pf-jira/rules/rule-input.js';
import { rule } from './rule-fixtures.js';

const none = () => undefined;

test('reads indexed rows in order, closing gaps left by removed rows', () => {
  const values = readRuleForm({
    name: 'X',
    'conditions.3.path': '$.b',
    'conditions.3.operator': 'exists',
    'conditions.0.path': '$.a',
    'conditions.0.operator': 'equals',
    'conditions.0.value': '1',
  });
  assert.deepEqual(values.conditions, [
    { path: '$.a', operator: 'equals', value: '1' },
    { path: '$.b', operator: 'exists', value: '' },
  ]);
});

test('takes the checkbox over its hidden default, and lists from a multi-select', () => {
  const values = readRuleForm({ enabled: ['0', '1'], eventTypes: ['employee_create', 'employee_start'], projectKey: ' it ' });
  assert.equal(values.enabled, true);
  assert.deepEqual(values.eventTypes, ['employee_create', 'employee_start']);
  assert.equal(values.projectKey, 'IT');
  assert.equal(readRuleForm({ enabled: '0' }).enabled, false);
});

test('ignores rows left entirely blank, so error keys match the rows shown', () => {
  const values = withoutBlankRows(readRuleForm({ 'conditions.0.path': '', 'conditions.0.operator': 'equals', 'conditions.1.path': 'bad', 'conditions.1.operator': 'equals', 'conditions.1.value': 'x' }));
  assert.equal(values.conditions.length, 1);
  assert.throws(
    () => parseRuleInput(ruleInputOf({ ...values, name: 'n', priority: '5', action: 'DROP' }), none),
    (err: { fieldErrors: Record<string, string> }) => Object.keys(err.fieldErrors).includes('conditions.0.path'),
  );
});

test('round-trips a saved rule through the form', () => {
  const saved = rule({ conditions: [{ path: '$.x', operator: 'in', value: ['a', 'b'] }], boardId: 12, boardName: 'IT board' });
  const values = formValuesOf(saved);
  assert.equal(values.conditions[0]?.value, 'a, b');
  assert.equal(values.boardId, '12');
  const parsed = parseRuleInput(ruleInputOf(values), none);
  assert.deepEqual(parsed.conditions, saved.conditions);
  assert.equal(parsed.boardId, 12);
  assert.deepEqual(parsed.mappings, saved.mappings);
});

test('adds and removes condition and mapping rows', () => {
  const start = newRuleValues(20);
  assert.equal(start.priority, '20');
  const more = applyRowOp(start, { kind: 'add-condition' });
  assert.equal(more.conditions.length, 2);
  assert.equal(applyRowOp(more, { kind: 'remove-condition', index: 0 }).conditions.length, 1);
  assert.equal(applyRowOp(start, { kind: 'add-mapping' }).mappings.length, 2);
  assert.equal(applyRowOp(start, { kind: 'remove-mapping', index: 0 }).mappings.length, 0);
});

test('adds a mapping for a required field once, replacing blank rows', () => {
  const blank = applyRowOp(newRuleValues(10), { kind: 'add-mapping' });
  const added = applyRowOp(blank, { kind: 'add-field', fieldId: 'customfield_10030' });
  assert.deepEqual(added.mappings.map((m) => m.fieldId), ['summary', 'customfield_10030']);
  assert.equal(applyRowOp(added, { kind: 'add-field', fieldId: 'customfield_10030' }), added);
});

test('reads the row buttons and refuses anything else', () => {
  assert.deepEqual(parseRowOp('remove-condition:2'), { kind: 'remove-condition', index: 2 });
  assert.deepEqual(parseRowOp('add-required:customfield_10030'), { kind: 'add-field', fieldId: 'customfield_10030' });
  assert.deepEqual(parseRowOp('add-mapping'), { kind: 'add-mapping' });
  assert.equal(parseRowOp('remove-mapping:x'), undefined);
  assert.equal(parseRowOp('drop-table'), undefined);
  assert.equal(parseRowOp(''), undefined);
});
