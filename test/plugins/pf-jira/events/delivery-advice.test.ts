import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredEvent } from '../../../../src/plugins/pf-jira/db/event-repository.js';
import { adviseDelivery, type AdviceLinks } from '../../../../src/plugins/pf-jira/events/delivery-advice.js';
import type { Decision, FieldMapping } from '../../../../src/plugins/pf-jira/rules/rule-types.js';

const links: AdviceLinks = { ruleEdit: (id) => `/rules/${id}/edit`, fallbackSettings: '/settings#domain-pf-jira', connections: '/connections' };

const ruleDecision: Decision = { action: 'SYNC', via: 'rule', ruleId: 4, ruleVersion: 2, ruleName: 'Onboarding', projectKey: 'IT', issueTypeId: '10010', issueTypeName: 'Onboarding', reason: 'matched' };

const event = (overrides: Partial<StoredEvent>): StoredEvent => ({
  id: 1,
  source: 'webhook',
  type: 'employee_create',
  entityType: 'employee',
  entityId: '9',
  occurredAt: 0,
  payload: {},
  receivedAt: 0,
  status: 'dead',
  decision: ruleDecision,
  scope: 'rule:4',
  issueKey: null,
  error: 'refused',
  problems: null,
  correlationId: null,
  updatedAt: 0,
  ...overrides,
});

const mapping = (fieldId: string): FieldMapping => ({ fieldId, sourceType: 'STATIC', value: 'x' });
const rule = (mappings: FieldMapping[] | undefined) => ({ id: 4, name: 'Onboarding', mappings });

test('a required field no mapping fills asks for a mapping in the rule', () => {
  const advice = adviseDelivery(event({ problems: [{ fieldId: 'customfield_1', fieldName: 'Badge number', message: 'Jira requires Badge number, and no mapping provides it.' }] }), rule([mapping('summary')]), links);
  assert.deepEqual(advice.problems.map((p) => [p.fix, p.link?.href]), [['Map Badge number in rule “Onboarding”: Jira requires it.', '/rules/4/edit']]);
  assert.equal(advice.general, null);
});

test('a mapped field missing from the screen suggests removing the mapping or asking a Jira admin', () => {
  const advice = adviseDelivery(
    event({ problems: [{ fieldId: 'customfield_2', fieldName: 'customfield_2', message: 'customfield_2 is not on the create screen of this project and issue type.' }] }),
    rule([mapping('customfield_2')]),
    links,
  );
  assert.match(advice.problems[0]?.fix ?? '', /not on the create screen of IT \/ Onboarding\. Remove the mapping, or ask a Jira admin/);
});

test('options that are gone are named, and any other mapped field is sent to its mapping', () => {
  const advice = adviseDelivery(
    event({
      problems: [
        { fieldId: 'customfield_3', fieldName: 'Equipment', message: '“Pager”, “Fax” are not among the allowed values for Equipment: Laptop.' },
        { fieldId: 'duedate', fieldName: 'Due date', message: 'Due date takes a date like 2025-01-31, and “soon” is not one.' },
      ],
    }),
    rule([mapping('customfield_3'), mapping('duedate')]),
    links,
  );
  assert.deepEqual(advice.problems.map((p) => p.fix), ['“Pager”, “Fax” no longer exist in Equipment; edit the mapping.', 'Edit the Due date mapping in rule “Onboarding”.']);
});

test('a missing Labels field is a job for a Jira admin, with no rule link', () => {
  const advice = adviseDelivery(event({ problems: [{ fieldId: 'labels', fieldName: 'Labels', message: 'the IT create screen has no Labels field; add Labels to the screen.' }] }), rule([]), links);
  assert.match(advice.problems[0]?.fix ?? '', /Ask a Jira admin to add Labels/);
  assert.equal(advice.problems[0]?.link, null);
});

test('a deleted rule suggests a replay or a discard', () => {
  const advice = adviseDelivery(event({ problems: [{ fieldId: 'x', fieldName: 'X', message: 'bad' }] }), rule(undefined), links);
  assert.match(advice.problems[0]?.fix ?? '', /has been deleted since\. Replay the event/);
});

test('fallback deliveries point to the fallback settings', () => {
  const fallback: Decision = { ...ruleDecision, via: 'fallback', ruleId: null, ruleVersion: null, ruleName: null, projectKey: 'OPS' };
  const advice = adviseDelivery(event({ decision: fallback, scope: 'fallback', problems: [{ fieldId: 'priority', fieldName: 'Priority', message: 'Jira requires Priority, and no mapping provides it.' }] }), undefined, links);
  assert.equal(advice.problems[0]?.link?.href, '/settings#domain-pf-jira');
});

test('errors without per-field reasons get a general fix: the connection, the issue type, or reading the error', () => {
  assert.equal(adviseDelivery(event({ error: 'The Jira connection is not configured (site URL, email and API token on the Connections page).' }), rule([]), links).general?.link?.href, '/connections');
  assert.equal(adviseDelivery(event({ error: 'Jira answered 401 Unauthorized' }), rule([]), links).general?.link?.href, '/connections');
  assert.equal(adviseDelivery(event({ error: 'Jira project IT has no issue type "Onboarding".' }), rule([]), links).general?.link?.href, '/rules/4/edit');
  const unknown = adviseDelivery(event({ error: 'something odd' }), rule([]), links);
  assert.match(unknown.general?.fix ?? '', /Read the error below/);
  assert.equal(unknown.general?.link, null);
});
