import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileRuleSet, type FallbackTarget } from '../../../../src/plugins/pf-jira/rules/rule-evaluator.js';
import type { Rule } from '../../../../src/plugins/pf-jira/rules/rule-types.js';
import { rule } from './rule-fixtures.js';

const fallback: FallbackTarget = { noMatchAction: 'fallback', fallbackProject: 'TRIAGE', fallbackIssueType: 'Task' };
const contractorEvent = { type: 'employee_create', payload: { employment_type: { name: 'Contractor' }, department: { name: 'IT' } } };

const contractors = rule({ id: 1, name: 'Contractors', priority: 20, version: 3 });
const interns = rule({ id: 2, name: 'Drop interns', priority: 10, action: 'DROP', projectKey: null, issueTypeId: null, issueTypeName: null, mappings: [], conditions: [{ path: '$.employment_type.name', operator: 'equals', value: 'Intern' }] });
const everyIt = rule({ id: 3, name: 'IT', priority: 30, eventTypes: [], conditions: [{ path: '$.department.name', operator: 'equals', value: 'IT' }], projectKey: 'IT', issueTypeId: null, issueTypeName: 'Story' });

describe('compileRuleSet', () => {
  test('the first matching rule decides, and the reason names it, its version and the condition', () => {
    const d = compileRuleSet([everyIt, contractors, interns]).evaluate(contractorEvent, fallback);
    assert.deepEqual(d, {
      action: 'SYNC',
      via: 'rule',
      ruleId: 1,
      ruleVersion: 3,
      ruleName: 'Contractors',
      projectKey: 'HR',
      issueTypeId: '10001',
      issueTypeName: 'Task',
      reason: 'Rule “Contractors” v3 matched: $.employment_type.name equals "Contractor" (found "Contractor")',
    });
  });

  test('rules run in ascending priority, whatever order they come in', () => {
    const first = rule({ ...everyIt, priority: 5 });
    assert.equal(compileRuleSet([contractors, first]).evaluate(contractorEvent, fallback).ruleId, 3);
  });

  test('a matching DROP rule ends evaluation', () => {
    const dropAll = rule({ ...interns, conditions: [] });
    const d = compileRuleSet([contractors, dropAll]).evaluate(contractorEvent, fallback);
    assert.equal(d.action, 'DROP');
    assert.equal(d.via, 'rule');
    assert.equal(d.ruleId, 2);
    assert.equal(d.projectKey, null);
    assert.match(d.reason, /^Rule “Drop interns” v1 matched, so the event is dropped: it has no conditions/);
  });

  test('disabled rules are skipped', () => {
    const d = compileRuleSet([rule({ ...contractors, enabled: false }), everyIt]).evaluate(contractorEvent, fallback);
    assert.equal(d.ruleId, 3);
    assert.equal(compileRuleSet([rule({ ...contractors, enabled: false }), everyIt]).size, 1);
  });

  test('a rule with event types only considers those types', () => {
    const d = compileRuleSet([contractors, everyIt]).evaluate({ ...contractorEvent, type: 'employee_update' }, fallback);
    assert.equal(d.ruleId, 3);
  });

  test('no match goes to the fallback project with the fallback issue type', () => {
    const d = compileRuleSet([contractors]).evaluate({ type: 'employee_create', payload: {} }, fallback);
    assert.deepEqual(d, {
      action: 'SYNC',
      via: 'fallback',
      ruleId: null,
      ruleVersion: null,
      ruleName: null,
      projectKey: 'TRIAGE',
      issueTypeId: null,
      issueTypeName: 'Task',
      reason: 'No rule matched (1 considered this event type), so it goes to the fallback project TRIAGE.',
    });
  });

  test('no match is dropped when no fallback project is set', () => {
    const d = compileRuleSet([contractors]).evaluate({ type: 'employee_update', payload: {} }, { ...fallback, fallbackProject: undefined });
    assert.equal(d.action, 'DROP');
    assert.equal(d.via, 'no_match');
    assert.equal(d.projectKey, null);
    assert.equal(d.reason, 'No rule considers this event type, and no fallback project is set.');
  });

  test('no match is dropped when the settings say drop, even with a fallback project', () => {
    const d = compileRuleSet([]).evaluate(contractorEvent, { ...fallback, noMatchAction: 'drop' });
    assert.equal(d.via, 'no_match');
    assert.equal(d.action, 'DROP');
    assert.match(d.reason, /the settings say to drop unmatched events/);
  });

  test('evaluates 1,000 rules in well under a few milliseconds per event', () => {
    const departments = ['IT', 'HR', 'Sales', 'Finance', 'Legal'];
    const rules: Rule[] = Array.from({ length: 1000 }, (_, i) =>
      rule({
        id: i + 1,
        priority: i + 1,
        name: `Rule ${i}`,
        eventTypes: i % 2 ? ['employee_create', 'employee_update'] : [],
        conditions: [
          { path: '$.department.name', operator: 'equals', value: departments[i % departments.length] as string },
          { path: '$.employment_type.name', operator: 'in', value: ['Intern', `Type ${i}`] },
          { path: `$.custom.f${i % 50}`, operator: 'exists' },
        ],
      }),
    );
    const set = compileRuleSet(rules);
    const events = Array.from({ length: 200 }, (_, i) => ({ type: 'employee_update', payload: { department: { name: departments[i % 5] }, employment_type: { name: 'Full-Time' }, custom: {} } }));
    for (const e of events.slice(0, 20)) set.evaluate(e, fallback);
    const started = performance.now();
    for (const e of events) assert.equal(set.evaluate(e, fallback).via, 'fallback');
    const perEvent = (performance.now() - started) / events.length;
    assert.ok(perEvent < 2, `${perEvent.toFixed(3)} ms per event`);
  });
});
