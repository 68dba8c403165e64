import assert from 'node:assert/strict';
import { test } from 'node:test';
import { employeeStatus, toWebhookEmployee } from '../../../src/simulators/peopleforce/employee-views.js';
import { createState, type EmployeeRecord } from '../../../src/simulators/peopleforce/sim-state.js';

const state = createState({ seed: true, now: Date.UTC(2026, 0, 14, 10) });
const olena = state.employees.get(133701) as EmployeeRecord;
const at = (changes: Partial<EmployeeRecord>): EmployeeRecord => ({ ...olena, ...changes });

test('derives the status from the hire, probation and termination dates', () => {
  const today = '2026-01-14';
  assert.equal(employeeStatus(at({ hired_on: '2026-01-15' }), today), 'pending_hire');
  assert.equal(employeeStatus(at({ hired_on: '2026-01-01', probation_ends_on: '2026-01-14' }), today), 'probation');
  assert.equal(employeeStatus(at({ hired_on: '2025-01-01', probation_ends_on: '2025-04-01' }), today), 'employed');
  assert.equal(employeeStatus(at({ termination_effective_date: '2026-01-14' }), today), 'dismissed');
  assert.equal(employeeStatus(at({ termination_effective_date: '2026-02-01' }), today), 'employed');
});

test('renders the webhook payload with attributes apart and custom fields keyed by uuid', () => {
  const data = toWebhookEmployee(state, olena);
  assert.deepEqual(Object.keys(data), ['id', 'attributes', 'reporting_to', 'employment_type', 'position', 'department', 'division', 'location', 'custom_fields', 'meta']);
  assert.deepEqual(Object.keys(data.attributes).sort(), [
    'avatar_url', 'date_of_birth', 'email', 'employee_number', 'first_name', 'gender', 'hired_on', 'last_name', 'mobile_number',
    'personal_email', 'probation_ends_on', 'termination_comment', 'termination_effective_date', 'work_phone_number',
  ]);
  assert.deepEqual(data.reporting_to, { id: 133700, full_name: 'Taras Shevchuk', email: 'taras.shevchuk@example.com' });
  assert.deepEqual(data.location, { id: 28690, name: 'Kyiv' });
  assert.equal(Array.isArray(data.custom_fields), false);
  assert.deepEqual(data.custom_fields['0b9e7d44-2c1f-4a6b-8e5d-3f4a9c2b7e02'], { name: 'Laptop preference', value: 'ThinkPad X1 Carbon', group: 'Equipment' });
  assert.deepEqual(Object.keys(data.meta), ['created_at', 'updated_at']);
});

test('renders a missing manager and missing references as null', () => {
  const data = toWebhookEmployee(state, at({ reporting_to_id: null, department_id: null }));
  assert.equal(data.reporting_to, null);
  assert.equal(data.department, null);
});
