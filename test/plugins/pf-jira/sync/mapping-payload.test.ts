import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventLabel, mappingPayload } from '../../../../src/plugins/pf-jira/sync/mapping-payload.js';

describe('eventLabel', () => {
  test('names known PeopleForce topics in plain words', () => {
    assert.equal(eventLabel('employee_create'), 'new employee');
    assert.equal(eventLabel('employee_terminate'), 'termination');
    assert.equal(eventLabel('employee_termination_revert'), 'termination reverted');
    assert.equal(eventLabel('leave_request_approve'), 'leave approved');
  });

  test('turns an unknown topic\'s underscores into spaces', () => {
    assert.equal(eventLabel('position_change_request'), 'position change request');
    assert.equal(eventLabel('custom'), 'custom');
  });
});

describe('mappingPayload', () => {
  const event = {
    source: 'webhook',
    type: 'employee_terminate',
    entityType: 'employee' as const,
    entityId: '42',
    occurredAt: Date.UTC(2026, 2, 1, 9, 30),
    payload: { id: 42, full_name: 'Ada Lovelace', department: { name: 'Ops' } },
  };

  test('adds _event with type, label, source, entity, subject and time beside the record', () => {
    assert.deepEqual(mappingPayload(event), {
      id: 42,
      full_name: 'Ada Lovelace',
      department: { name: 'Ops' },
      _event: {
        type: 'employee_terminate',
        label: 'termination',
        source: 'webhook',
        entity: 'employee:42',
        subject: 'Ada Lovelace',
        occurredAt: '2026-03-01T09:30:00.000Z',
      },
    });
  });

  test('names the record as the subject when there is no full name', () => {
    const leave = mappingPayload({ ...event, type: 'leave_request_create', entityType: 'leave_request', entityId: '9', payload: { full_name: '' } });
    assert.equal((leave._event as { subject: string }).subject, 'leave request 9');
    assert.equal((leave._event as { label: string }).label, 'leave request');
  });

  test('leaves occurredAt empty for a time that is not a number', () => {
    assert.equal((mappingPayload({ ...event, occurredAt: Number.NaN })._event as { occurredAt: string }).occurredAt, '');
  });

  test('replaces a _event key that the record itself carries', () => {
    const out = mappingPayload({ ...event, payload: { _event: 'spoofed' } });
    assert.equal((out._event as { type: string }).type, 'employee_terminate');
  });

  test('does not change the event it was given', () => {
    const payload = { full_name: 'Ada' };
    mappingPayload({ ...event, payload });
    assert.deepEqual(payload, { full_name: 'Ada' });
  });
});
