import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { parseWebhook } from '../../../../src/plugins/pf-jira/peopleforce/webhook-parser.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');

const employeeBody = (action = 'employee_update', data: Record<string, unknown> = {}) =>
  JSON.stringify({
    action,
    data: {
      id: 133710,
      attributes: { first_name: 'Olena', last_name: 'Koval', email: 'olena@example.com', hired_on: '2022-09-26', termination_effective_date: null },
      department: { id: 5094, name: 'IT' },
      custom_fields: { 'aaa-1': { name: 'Shirt size', value: 'M', group: 'Personal' } },
      meta: { created_at: '2022-09-21T13:29:07.894Z', updated_at: '2026-03-02T08:59:00.000Z' },
      ...data,
    },
  });

const failure = (raw: string) => {
  const result = parseWebhook(raw, NOW);
  assert.equal(result.ok, false, 'expected a refusal');
  return result.ok ? { code: '', message: '' } : result;
};

describe('parseWebhook', () => {
  test('turns an employee delivery into a webhook event with the normalized payload', () => {
    const raw = employeeBody();
    const result = parseWebhook(raw, NOW);
    assert.ok(result.ok);
    assert.equal(result.envelope.source, 'webhook');
    assert.equal(result.envelope.type, 'employee_update');
    assert.equal(result.envelope.entityType, 'employee');
    assert.equal(result.envelope.entityId, '133710');
    assert.equal(result.envelope.occurredAt, Date.parse('2026-03-02T08:59:00.000Z'));
    assert.equal(result.envelope.payload.full_name, 'Olena Koval');
    assert.deepEqual(result.envelope.payload.custom, { 'Shirt size': 'M' });
    assert.equal(result.dedupeKey, `webhook:${createHash('sha256').update(raw).digest('hex')}`);
  });

  test('turns a leave request delivery into a leave_request event', () => {
    const raw = JSON.stringify({
      action: 'leave_request_approve',
      data: { id: 16, attributes: { employee_id: 13, amount: '1.0', state: 'approved', starts_on: '2026-03-09', ends_on: '2026-03-09' }, entries: [{ occurs_on: '2026-03-09', amount: '1.0' }], leave_type: { id: 1, name: 'Vacation' } },
    });
    const result = parseWebhook(raw, NOW);
    assert.ok(result.ok);
    assert.equal(result.envelope.entityType, 'leave_request');
    assert.equal(result.envelope.entityId, '16');
    assert.equal(result.envelope.payload.amount_number, 1);
  });

  test('without meta.updated_at the event happened when it arrived', () => {
    const result = parseWebhook(employeeBody('employee_create', { meta: undefined }), NOW);
    assert.ok(result.ok);
    assert.equal(result.envelope.occurredAt, NOW);
  });

  test('the same body gives the same dedupe key, another body another one', () => {
    const a = parseWebhook(employeeBody(), NOW);
    const b = parseWebhook(employeeBody(), NOW);
    const c = parseWebhook(employeeBody('employee_terminate'), NOW);
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.dedupeKey, b.dedupeKey);
    assert.notEqual(a.dedupeKey, c.dedupeKey);
  });

  test('refuses a body that is not JSON', () => {
    assert.deepEqual(failure('{"action": '), { ok: false, code: 'invalid_payload', message: 'The body is not valid JSON.' });
  });

  test('refuses JSON that is not an object', () => {
    assert.match(failure('[1]').message, /must be a JSON object/);
  });

  test('refuses a body without an action', () => {
    assert.match(failure('{"data":{"id":1}}').message, /no "action"/);
  });

  test('refuses topics it does not handle, naming the ones it does', () => {
    for (const action of ['employee_salary_create', 'vacancy_create', 'constructor']) {
      const refused = failure(employeeBody(action));
      assert.equal(refused.code, 'unsupported_action');
      assert.match(refused.message, new RegExp(`"${action}" is not handled.*employee_create`));
    }
  });

  test('refuses a missing or non-integer data.id', () => {
    for (const id of [undefined, '133710', 1.5, -3]) {
      const refused = failure(JSON.stringify({ action: 'employee_update', data: { id, attributes: {} } }));
      assert.equal(refused.code, 'invalid_payload');
      assert.match(refused.message, /data\.id must be the record's integer id/);
    }
    assert.match(failure('{"action":"employee_update"}').message, /^data:/);
  });

  test('refuses payload fields of the wrong type, naming the field', () => {
    assert.match(failure(employeeBody('employee_update', { attributes: { email: 42 } })).message, /^data\.attributes\.email: /);
    assert.match(failure(employeeBody('employee_update', { attributes: { hired_on: '26/09/2022' } })).message, /^data\.attributes\.hired_on: expected a date as YYYY-MM-DD/);
    assert.match(failure(employeeBody('employee_update', { department: 'IT' })).message, /^data\.department: /);
    assert.match(failure(employeeBody('employee_update', { attributes: undefined })).message, /^data\.attributes: /);
    assert.match(failure(employeeBody('employee_update', { meta: { updated_at: 'yesterday' } })).message, /^data\.meta\.updated_at: expected an ISO 8601 timestamp/);
    assert.match(failure(JSON.stringify({ action: 'leave_request_create', data: { id: 1, attributes: { amount: 2 } } })).message, /^data\.attributes\.amount: /);
  });
});
