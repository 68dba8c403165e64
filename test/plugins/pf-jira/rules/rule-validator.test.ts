import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UpstreamError } from '../../../../src/platform/upstream-error.js';
import type { FieldMeta, IssueTypeMeta } from '../../../../src/plugins/pf-jira/jira/jira-types.js';
import { SYNTHETIC_EMPLOYEE, validateRule, type RuleValidationDeps } from '../../../../src/plugins/pf-jira/rules/rule-validator.js';
import { rule } from './rule-fixtures.js';

const TYPES: IssueTypeMeta[] = [
  { id: '10001', name: 'Task', subtask: false },
  { id: '10002', name: 'Story', subtask: false },
];

const field = (fieldId: string, name: string, over: Partial<FieldMeta> = {}): FieldMeta => ({ fieldId, name, required: false, schema: { type: 'string' }, ...over });

const SCREEN: FieldMeta[] = [
  field('project', 'Project', { required: true, schema: { type: 'project', system: 'project' } }),
  field('issuetype', 'Issue Type', { required: true, schema: { type: 'issuetype', system: 'issuetype' } }),
  field('summary', 'Summary', { required: true }),
  field('reporter', 'Reporter', { required: true, hasDefaultValue: true, schema: { type: 'user' } }),
  field('labels', 'Labels', { schema: { type: 'array', items: 'string' } }),
  field('description', 'Description'),
];

const httpError = (status: number) => new UpstreamError({ service: 'jira', kind: 'http', status, message: `HTTP ${status}` });

/** Jira's answers for project HR, as the createmeta cache would give them. */
const jira = (over: Partial<RuleValidationDeps> = {}): RuleValidationDeps & { payloads: unknown[] } => {
  const payloads: unknown[] = [];
  return {
    payloads,
    issueTypes: async (projectKey) => {
      if (projectKey !== 'HR') throw httpError(404);
      return TYPES;
    },
    fields: async () => SCREEN,
    resolveFields: async ({ payload }) => {
      payloads.push(payload);
      return { fields: { summary: 'x' }, problems: [] };
    },
    recentPayloads: () => [],
    ...over,
  };
};

describe('validateRule', () => {
  test('a rule whose target and mappings work is valid, tried on the synthetic employee', async () => {
    const deps = jira();
    assert.deepEqual(await validateRule(rule(), deps), { valid: true, errors: [], sample: 'synthetic' });
    const payload = deps.payloads[0] as Record<string, unknown>;
    assert.equal(payload.full_name, SYNTHETIC_EMPLOYEE.full_name);
    assert.deepEqual(payload._event, { type: 'employee_create', label: 'new employee', source: 'poll', entity: 'employee:100001', subject: SYNTHETIC_EMPLOYEE.full_name, occurredAt: '2026-01-20T09:00:00.000Z' });
  });

  test('uses the newest real payload of the rule’s event types that the rule would take', async () => {
    const seen: string[][] = [];
    const payloads = [
      { id: 8, full_name: 'Contractor Person', employment_type: { name: 'Contractor' } },
      { id: 7, full_name: 'Real Person', employment_type: { name: 'Full-Time' } },
    ];
    const deps = jira({ recentPayloads: (types) => (seen.push(types), payloads) });
    const result = await validateRule(rule({ eventTypes: ['employee_update'], conditions: [{ path: '$.employment_type.name', operator: 'equals', value: 'Full-Time' }] }), deps);
    assert.equal(result.sample, 'recorded');
    assert.deepEqual(seen, [['employee_update']]);
    assert.equal((deps.payloads[0] as Record<string, unknown>).full_name, 'Real Person');
  });

  test('with the synthetic sample, problems with values read from it do not count against the rule', async () => {
    const deps = jira({
      resolveFields: async () => ({
        fields: {},
        problems: [
          { fieldId: 'customfield_10030', fieldName: 'Department', message: '“Sample Department” is not one of the allowed values.' },
          { fieldId: 'priority', fieldName: 'Priority', message: '“Urgent” is not one of the allowed values.' },
        ],
      }),
    });
    const mappings = [
      { fieldId: 'customfield_10030', sourceType: 'PF_PAYLOAD' as const, value: '$.department.name' },
      { fieldId: 'priority', sourceType: 'STATIC' as const, value: 'Urgent' },
    ];
    const result = await validateRule(rule({ mappings }), deps);
    assert.equal(result.sample, 'synthetic');
    assert.deepEqual(result.errors, ['Priority: “Urgent” is not one of the allowed values.']);
  });

  test('a DROP rule is always valid and asks Jira nothing', async () => {
    const deps = jira({
      issueTypes: async () => assert.fail('Jira was asked'),
    });
    assert.equal((await validateRule(rule({ action: 'DROP', projectKey: null }), deps)).valid, true);
  });

  test('a project that is gone or out of reach makes the rule invalid', async () => {
    const gone = await validateRule(rule({ projectKey: 'OLD' }), jira());
    assert.deepEqual(gone.errors, ['Jira project OLD no longer exists, or the Jira account has no access to it.']);
    assert.equal(gone.valid, false);
    const forbidden = await validateRule(rule(), jira({ issueTypes: async () => Promise.reject(httpError(403)) }));
    assert.deepEqual(forbidden.errors, ['Jira project HR no longer exists, or the Jira account has no access to it.']);
  });

  test('another refusal about the project is reported with Jira’s answer', async () => {
    const result = await validateRule(rule(), jira({ issueTypes: async () => Promise.reject(httpError(400)) }));
    assert.deepEqual(result.errors, ['Jira refused to describe project HR (400: HTTP 400).']);
  });

  test('finds the issue type by id when the rule has one, else by name', async () => {
    const byId = await validateRule(rule({ issueTypeId: '10009', issueTypeName: 'Task' }), jira());
    assert.deepEqual(byId.errors, ['Issue type “Task” (id 10009) no longer exists in Jira project HR; choose the issue type again.']);
    assert.equal((await validateRule(rule({ issueTypeId: null, issueTypeName: 'story' }), jira())).valid, true);
    const byName = await validateRule(rule({ issueTypeId: null, issueTypeName: 'Bug' }), jira());
    assert.deepEqual(byName.errors, ['Jira project HR has no issue type “Bug”; choose the issue type again.']);
  });

  test('an issue type whose create screen is gone makes the rule invalid', async () => {
    const result = await validateRule(rule(), jira({ fields: async () => Promise.reject(httpError(404)) }));
    assert.deepEqual(result.errors, ['Issue type “Task” is no longer available in Jira project HR.']);
  });

  test('reports a create screen without Labels, which the engine needs to find its issues', async () => {
    const result = await validateRule(rule(), jira({ fields: async () => SCREEN.filter((f) => f.fieldId !== 'labels') }));
    assert.deepEqual(result.errors, ['The create screen of HR / Task has no Labels field; Switchyard labels its issues to find them again, so add Labels to the screen.']);
  });

  test('reports the field resolver’s problems: a field gone from the screen, newly required, an option no longer allowed', async () => {
    const seen: { mappings: unknown; fields: unknown }[] = [];
    const deps = jira({
      resolveFields: async ({ mappings, fields }) => {
        seen.push({ mappings, fields });
        return {
          fields: {},
          problems: [
            { fieldId: 'customfield_10030', fieldName: 'customfield_10030', message: 'customfield_10030 is not on the create screen of this project and issue type.' },
            { fieldId: 'customfield_10040', fieldName: 'Cost centre', message: 'Jira requires Cost centre, and no mapping provides it.' },
            { fieldId: 'customfield_10050', fieldName: 'Office', message: 'the option “Kyiv” is no longer allowed.' },
          ],
        };
      },
    });
    const result = await validateRule(rule(), deps);
    assert.equal(result.valid, false);
    assert.deepEqual(result.errors, [
      'customfield_10030 is not on the create screen of this project and issue type.',
      'Jira requires Cost centre, and no mapping provides it.',
      'Office: the option “Kyiv” is no longer allowed.',
    ]);
    assert.deepEqual(seen, [{ mappings: rule().mappings, fields: SCREEN }]);
  });

  test('rethrows what says nothing about the rule: network, timeout, rate limit, server errors, refused credentials', async () => {
    const errors = [
      new UpstreamError({ service: 'jira', kind: 'network', message: 'ECONNRESET' }),
      new UpstreamError({ service: 'jira', kind: 'timeout', message: 'timed out' }),
      httpError(429),
      httpError(503),
      httpError(401),
      new Error('bug'),
    ];
    for (const err of errors) {
      await assert.rejects(validateRule(rule(), jira({ issueTypes: async () => Promise.reject(err) })), (e) => e === err);
      await assert.rejects(validateRule(rule(), jira({ fields: async () => Promise.reject(err) })), (e) => e === err);
    }
  });
});

describe('SYNTHETIC_EMPLOYEE', () => {
  test('has the normalized employee shape mappings commonly read', () => {
    for (const key of ['id', 'full_name', 'first_name', 'last_name', 'email', 'hired_on', 'position', 'department', 'employment_type', 'reporting_to', 'custom_fields', 'updated_at']) {
      assert.ok(key in SYNTHETIC_EMPLOYEE, key);
    }
    assert.match(String(SYNTHETIC_EMPLOYEE.hired_on), /^\d{4}-\d{2}-\d{2}$/);
    assert.equal((SYNTHETIC_EMPLOYEE.department as { name: string }).name, 'Sample Department');
  });
});
