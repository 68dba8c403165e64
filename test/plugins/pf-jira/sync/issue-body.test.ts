import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldMeta } from '../../../../src/plugins/pf-jira/jira/jira-types.js';
import { buildIssueBody, type IssueBodyInput } from '../../../../src/plugins/pf-jira/sync/issue-body.js';

const screen = (ids: string[]): FieldMeta[] => ids.map((id) => ({ fieldId: id, name: id, required: false, schema: { type: 'string' } }));
const property = { entityKey: 'employee:7', scope: 'rule:3', clientToken: 'tok', source: 'switchyard' as const };

const input = (over: Partial<IssueBodyInput> = {}): IssueBodyInput => ({
  resolved: { fields: { summary: 'Hi' }, problems: [] },
  screen: screen(['summary', 'labels']),
  mode: 'create',
  projectKey: 'IT',
  issueTypeId: '10010',
  engineLabels: ['switchyard', 'pf-employee-7'],
  propertyKey: 'switchyard.sync',
  property,
  ...over,
});

test('a create body names the project, the issue type, the engine labels and the sync property', () => {
  const { body, problems } = buildIssueBody(input());
  assert.deepEqual(problems, []);
  assert.deepEqual(body, {
    fields: { summary: 'Hi', project: { key: 'IT' }, issuetype: { id: '10010' }, labels: ['switchyard', 'pf-employee-7'] },
    properties: [{ key: 'switchyard.sync', value: property }],
  });
});

test('mapped labels are kept and joined with the engine labels once each', () => {
  const { body } = buildIssueBody(input({ resolved: { fields: { labels: ['onboarding', 'switchyard'] }, problems: [] } }));
  assert.deepEqual(body.fields.labels, ['onboarding', 'switchyard', 'pf-employee-7']);
});

test('an edit without mapped labels adds the engine labels and leaves the others alone', () => {
  const { body } = buildIssueBody(input({ mode: 'edit' }));
  assert.equal(body.fields.project, undefined);
  assert.deepEqual(body.update, { labels: [{ add: 'switchyard' }, { add: 'pf-employee-7' }] });
});

test('a screen without Labels is a problem, next to the resolver’s own', () => {
  const resolverProblem = { fieldId: 'duedate', fieldName: 'Due date', message: 'bad date' };
  const { problems } = buildIssueBody(input({ screen: screen(['summary']), resolved: { fields: {}, problems: [resolverProblem] } }));
  assert.deepEqual(problems.map((p) => p.fieldId), ['duedate', 'labels']);
});
