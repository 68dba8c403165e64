import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../../../src/errors.js';
import { parseRuleInput } from '../../../../src/plugins/pf-jira/rules/rule-input.js';
import { ruleInput } from './rule-fixtures.js';

const free = () => undefined;

const fieldErrors = (raw: unknown, holder: (p: number) => { id: number; name: string } | undefined = free): Record<string, string> => {
  try {
    parseRuleInput(raw, holder);
  } catch (err) {
    assert.ok(err instanceof AppError);
    assert.equal(err.status, 422);
    assert.equal(err.code, 'validation_failed');
    return err.fieldErrors ?? {};
  }
  assert.fail('expected field errors');
};

describe('parseRuleInput', () => {
  test('accepts API JSON as it is', () => {
    assert.deepEqual(parseRuleInput(ruleInput(), free), ruleInput());
  });

  test('reads form text: numbers, checkboxes, lists, trimmed and upper-cased keys', () => {
    const parsed = parseRuleInput(
      {
        name: '  Contractors ',
        priority: ' 25 ',
        enabled: 'on',
        action: 'SYNC',
        eventTypes: 'employee_create, employee_update\nemployee_create',
        match: 'any',
        conditions: [
          { path: '$.department.name', operator: 'in', value: 'IT, HR\n Sales ' },
          { path: '$.employment_type.name', operator: 'equals', value: ' Contractor ' },
          { path: '$.email', operator: 'exists', value: 'ignored' },
        ],
        projectKey: ' hr ',
        issueTypeId: '',
        issueTypeName: 'Task',
        mappings: [{ fieldId: 'summary', sourceType: 'STATIC', value: ' Hello ' }],
      },
      free,
    );
    assert.deepEqual(parsed, {
      name: 'Contractors',
      priority: 25,
      enabled: true,
      action: 'SYNC',
      eventTypes: ['employee_create', 'employee_update'],
      match: 'any',
      conditions: [
        { path: '$.department.name', operator: 'in', value: ['IT', 'HR', 'Sales'] },
        { path: '$.employment_type.name', operator: 'equals', value: 'Contractor' },
        { path: '$.email', operator: 'exists' },
      ],
      projectKey: 'HR',
      issueTypeId: null,
      issueTypeName: 'Task',
      boardId: null,
      boardName: null,
      mappings: [{ fieldId: 'summary', sourceType: 'STATIC', value: 'Hello' }],
    });
  });

  test('a rule is on unless the input says otherwise', () => {
    const { enabled: _omitted, ...rest } = ruleInput();
    assert.equal(parseRuleInput(rest, free).enabled, true);
    assert.equal(parseRuleInput({ ...rest, enabled: '0' }, free).enabled, false);
    assert.equal(parseRuleInput({ ...rest, enabled: false }, free).enabled, false);
  });

  test('a minimal rule needs only a name, a priority and an action', () => {
    const parsed = parseRuleInput({ name: 'Everything', priority: 5, action: 'DROP' }, free);
    assert.deepEqual(parsed.eventTypes, []);
    assert.equal(parsed.match, 'all');
    assert.deepEqual(parsed.conditions, []);
  });

  test('a DROP rule ignores its target and mappings, even broken ones', () => {
    const parsed = parseRuleInput({ ...ruleInput(), action: 'DROP', projectKey: 'not a key', mappings: [{ fieldId: '!!', sourceType: 'X', value: '' }] }, free);
    assert.equal(parsed.projectKey, null);
    assert.equal(parsed.issueTypeId, null);
    assert.equal(parsed.issueTypeName, null);
    assert.deepEqual(parsed.mappings, []);
  });

  test('a SYNC rule needs a project key and an issue type', () => {
    const errors = fieldErrors({ ...ruleInput(), projectKey: '', issueTypeId: null, issueTypeName: ' ' });
    assert.match(errors.projectKey ?? '', /Choose the Jira project/);
    assert.match(errors.issueTypeId ?? '', /Choose the issue type/);
    assert.match(fieldErrors({ ...ruleInput(), projectKey: 'H' }).projectKey ?? '', /Jira project key/);
    assert.match(fieldErrors({ ...ruleInput(), projectKey: 'TOOLONGKEY12' }).projectKey ?? '', /Jira project key/);
  });

  test('reports every problem at once, keyed by field', () => {
    const errors = fieldErrors({
      name: '',
      priority: 'first',
      action: 'MAYBE',
      eventTypes: ['Employee Create'],
      match: 'most',
      conditions: [
        { path: '$.a', operator: 'equals', value: 'x' },
        { path: '$.a', operator: 'equals', value: 'x' },
        { path: 'a.b', operator: 'gt', value: 'later' },
      ],
    });
    assert.deepEqual(Object.keys(errors).sort(), ['action', 'conditions.2.path', 'conditions.2.value', 'eventTypes', 'match', 'name', 'priority']);
    assert.match(errors.eventTypes ?? '', /“Employee Create” is not an event type/);
    assert.match(errors.priority ?? '', /whole number/);
  });

  test('limits name length, priority range and list sizes', () => {
    assert.match(fieldErrors({ ...ruleInput(), name: 'x'.repeat(121) }).name ?? '', /120/);
    assert.match(fieldErrors({ ...ruleInput(), priority: 0 }).priority ?? '', /1 to 1,000,000/);
    assert.match(fieldErrors({ ...ruleInput(), priority: 1_000_001 }).priority ?? '', /1 to 1,000,000/);
    assert.match(fieldErrors({ ...ruleInput(), priority: 2.5 }).priority ?? '', /whole number/);
    const condition = { path: '$.a', operator: 'exists' };
    assert.match(fieldErrors({ ...ruleInput(), conditions: Array(51).fill(condition) }).conditions ?? '', /at most 50/);
    const mappings = Array.from({ length: 101 }, (_, i) => ({ fieldId: `customfield_${i}`, sourceType: 'STATIC', value: 'x' }));
    assert.match(fieldErrors({ ...ruleInput(), mappings }).mappings ?? '', /at most 100/);
  });

  test('names the rule that already has the priority', () => {
    const errors = fieldErrors(ruleInput({ priority: 10 }), (p) => (p === 10 ? { id: 4, name: 'Interns' } : undefined));
    assert.equal(errors.priority, 'Rule “Interns” already has priority 10; choose another number.');
  });

  test('checks each mapping: field id, source, JSONPath, template, duplicates', () => {
    const errors = fieldErrors({
      ...ruleInput(),
      mappings: [
        { fieldId: 'summary', sourceType: 'TEMPLATE', value: 'Hi {{#list}}x{{/list}}' },
        { fieldId: 'Due Date', sourceType: 'STATIC', value: 'x' },
        { fieldId: 'duedate', sourceType: 'PF_PAYLOAD', value: 'hired_on' },
        { fieldId: 'customfield_10030', sourceType: 'SQL', value: 'x' },
        { fieldId: 'summary', sourceType: 'STATIC', value: 'again' },
        { fieldId: 'environment', sourceType: 'STATIC', value: '' },
      ],
    });
    assert.deepEqual(Object.keys(errors).sort(), ['mappings.0.value', 'mappings.1.fieldId', 'mappings.2.value', 'mappings.3.sourceType', 'mappings.5.value']);
    assert.match(errors['mappings.0.value'] ?? '', /Only \{\{ path.to.value \}\} placeholders/);
    assert.match(errors['mappings.2.value'] ?? '', /must start with \$/);
    const dup = fieldErrors({ ...ruleInput(), mappings: [ruleInput().mappings[0], { fieldId: 'summary', sourceType: 'STATIC', value: 'again' }] });
    assert.equal(dup['mappings.1.fieldId'], 'summary is already mapped (mapping 1); map each field once.');
  });

  test('accepts the Jira field ids a rule can map', () => {
    const ids = ['summary', 'description', 'labels', 'priority', 'duedate', 'assignee', 'components', 'environment', 'customfield_10030', 'fixVersions'];
    const mappings = ids.map((fieldId) => ({ fieldId, sourceType: 'STATIC' as const, value: 'x' }));
    assert.equal(parseRuleInput(ruleInput({ mappings }), free).mappings.length, ids.length);
  });

  test('refuses input that is not an object', () => {
    assert.ok(Object.keys(fieldErrors('rule')).includes('name'));
  });
});
