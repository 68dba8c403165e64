import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterQuery, filterRules, isFiltered, parseRuleFilter } from '../../../../src/plugins/pf-jira/rules/rule-filter.js';
import type { Rule } from '../../../../src/plugins/pf-jira/rules/rule-types.js';
import { ruleInput } from './rule-fixtures.js';

const rule = (id: number, overrides: Partial<Rule> = {}): Rule => ({
  ...ruleInput(),
  id,
  version: 1,
  validationStatus: 'pending',
  validationErrors: [],
  validatedAt: null,
  createdAt: 0,
  updatedAt: 0,
  ...overrides,
});

const rules = [
  rule(1, { name: 'Contractors', action: 'DROP', projectKey: null, issueTypeName: null, conditions: [{ path: '$.employment_type.name', operator: 'equals', value: 'Contractor' }] }),
  rule(2, { name: 'New hires', conditions: [{ path: '$.status', operator: 'in', value: ['pending_hire'] }], projectKey: 'IT', issueTypeName: 'Onboarding', boardName: 'IT Kanban', validationStatus: 'valid' }),
  rule(3, { name: 'Leavers', conditions: [], projectKey: 'HR', issueTypeName: 'Offboarding', enabled: false, validationStatus: 'invalid' }),
];
const ids = (list: Rule[]) => list.map((r) => r.id);

test('reads the filter from the query, ignoring values that are not offered', () => {
  assert.deepEqual(parseRuleFilter({ q: '  kanban  ', status: 'valid', action: 'SYNC', enabled: 'off' }), { q: 'kanban', status: 'valid', action: 'SYNC', enabled: 'off' });
  assert.deepEqual(parseRuleFilter({ status: 'broken', action: 'sync', enabled: 'yes' }), { q: '', status: '', action: '', enabled: '' });
  assert.equal(parseRuleFilter({ q: 'x'.repeat(500) }).q.length, 100);
  assert.equal(isFiltered(parseRuleFilter({})), false);
});

test('searches names, targets, boards and condition text, every word, ignoring case', () => {
  const by = (q: string) => ids(filterRules(rules, parseRuleFilter({ q })));
  assert.deepEqual(by('hires'), [2]);
  assert.deepEqual(by('hr'), [3]);
  assert.deepEqual(by('kanban'), [2]);
  assert.deepEqual(by('contractor'), [1]);
  assert.deepEqual(by('employment_type equals'), [1]);
  assert.deepEqual(by('it leavers'), []);
});

test('filters by status, action and on/off, and keeps the order', () => {
  assert.deepEqual(ids(filterRules(rules, parseRuleFilter({ status: 'invalid' }))), [3]);
  assert.deepEqual(ids(filterRules(rules, parseRuleFilter({ action: 'SYNC' }))), [2, 3]);
  assert.deepEqual(ids(filterRules(rules, parseRuleFilter({ enabled: 'on' }))), [1, 2]);
  assert.equal(filterRules(rules, parseRuleFilter({})), rules);
});

test('writes the filter back as a query string without empty fields', () => {
  assert.equal(filterQuery(parseRuleFilter({ q: 'a b', status: 'valid' })), 'q=a+b&status=valid');
  assert.equal(filterQuery(parseRuleFilter({})), '');
});
