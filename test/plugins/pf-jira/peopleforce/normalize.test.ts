import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeEmployee, normalizeLeaveRequest } from '../../../../src/plugins/pf-jira/peopleforce/normalize.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');

const restEmployee = {
  id: 133710,
  employee_number: 'IT-1029',
  first_name: 'Olena',
  middle_name: '',
  last_name: 'Koval',
  email: 'olena.koval@example.com',
  personal_email: null,
  mobile_number: '+380501112233',
  work_phone_number: '',
  date_of_birth: '1990-08-29',
  gender: 'female',
  avatar_url: null,
  hired_on: '2022-09-26',
  probation_ends_on: '2022-12-26',
  termination_effective_date: null,
  termination_comment: null,
  position: { id: 114651, name: 'IT Support Engineer' },
  department: { id: 5094, name: 'IT' },
  division: { id: 1819, name: 'Europe' },
  location: { id: 28693, name: 'Vinnytsia', holiday_policy_id: null },
  employment_type: { id: 1899, name: 'Full-Time' },
  reporting_to: { id: 10277, full_name: 'Ivan Petrenko', email: 'ivan@example.com' },
  custom_fields: [{ uuid: 'aaa-1', name: 'Shirt size', value: 'M', group: 'Personal' }],
  created_at: '2022-09-21T13:29:07.894Z',
  updated_at: '2022-09-21T13:29:08.713Z',
};

/** The same employee as an employee_update webhook delivers it (contract §6). */
const webhookEmployee = {
  id: 133710,
  attributes: {
    employee_number: 'IT-1029',
    hired_on: '2022-09-26',
    probation_ends_on: '2022-12-26',
    first_name: 'Olena',
    middle_name: '',
    last_name: 'Koval',
    email: 'olena.koval@example.com',
    personal_email: null,
    gender: 'female',
    mobile_number: '+380501112233',
    work_phone_number: '',
    date_of_birth: '1990-08-29',
    termination_effective_date: null,
    termination_comment: null,
    avatar_url: null,
  },
  reporting_to: { id: 10277, full_name: 'Ivan Petrenko', email: 'ivan@example.com' },
  employment_type: { id: 1899, name: 'Full-Time' },
  position: { id: 114651, name: 'IT Support Engineer' },
  department: { id: 5094, name: 'IT' },
  division: { id: 1819, name: 'Europe' },
  location: { id: 28693, name: 'Vinnytsia', holiday_policy_id: null },
  custom_fields: { 'aaa-1': { name: 'Shirt size', value: 'M', group: 'Personal' } },
  meta: { created_at: '2022-09-21T13:29:07.894Z', updated_at: '2022-09-21T13:29:08.713Z' },
};

describe('normalizeEmployee', () => {
  test('a webhook delivery and the REST record of the same employee give the same payload', () => {
    assert.deepEqual(normalizeEmployee(webhookEmployee, NOW), normalizeEmployee(restEmployee, NOW));
  });

  test('flattens webhook attributes and takes the timestamps from meta', () => {
    const e = normalizeEmployee(webhookEmployee, NOW);
    assert.equal(e.email, 'olena.koval@example.com');
    assert.equal(e.updated_at, '2022-09-21T13:29:08.713Z');
    assert.equal(e.created_at, '2022-09-21T13:29:07.894Z');
    assert.equal('attributes' in e, false);
    assert.equal('meta' in e, false);
  });

  test('turns the webhook custom_fields object into the array, with a lookup by field name', () => {
    const e = normalizeEmployee(webhookEmployee, NOW);
    assert.deepEqual(e.custom_fields, [{ uuid: 'aaa-1', name: 'Shirt size', value: 'M', group: 'Personal' }]);
    assert.deepEqual(e.custom, { 'Shirt size': 'M' });
  });

  test('keeps nested objects and the manager as sent', () => {
    const e = normalizeEmployee(restEmployee, NOW);
    assert.deepEqual(e.location, { id: 28693, name: 'Vinnytsia', holiday_policy_id: null });
    assert.deepEqual(e.reporting_to, { id: 10277, full_name: 'Ivan Petrenko', email: 'ivan@example.com' });
  });

  test('composes the manager name when only first and last names are sent', () => {
    const e = normalizeEmployee({ ...restEmployee, reporting_to: { id: 1, first_name: 'Ivan', last_name: 'Petrenko' } }, NOW);
    assert.equal((e.reporting_to as { full_name: string }).full_name, 'Ivan Petrenko');
  });

  test('derives the status from the termination date when PeopleForce sends none', () => {
    assert.equal(normalizeEmployee(restEmployee, NOW).status, 'employed');
    assert.equal(normalizeEmployee({ ...restEmployee, termination_effective_date: '2026-03-02' }, NOW).status, 'dismissed');
    assert.equal(normalizeEmployee({ ...restEmployee, termination_effective_date: '2026-03-03' }, NOW).status, 'employed');
  });

  test('derives pending_hire before the hire date and probation until it ends', () => {
    assert.equal(normalizeEmployee({ ...restEmployee, hired_on: '2026-03-03', probation_ends_on: '2026-06-03' }, NOW).status, 'pending_hire');
    assert.equal(normalizeEmployee({ ...restEmployee, hired_on: '2026-03-02', probation_ends_on: '2026-06-02' }, NOW).status, 'probation');
    assert.equal(normalizeEmployee({ ...restEmployee, probation_ends_on: '2026-03-02' }, NOW).status, 'probation');
  });

  test('keeps a status and active flag PeopleForce sends', () => {
    const e = normalizeEmployee({ ...restEmployee, status: 'not_hired', active: true }, NOW);
    assert.equal(e.status, 'not_hired');
    assert.equal(e.active, true);
  });

  test('derives active from the status when absent', () => {
    assert.equal(normalizeEmployee(restEmployee, NOW).active, true);
    assert.equal(normalizeEmployee({ ...restEmployee, probation_ends_on: '2026-05-01' }, NOW).active, true);
    assert.equal(normalizeEmployee({ ...restEmployee, termination_effective_date: '2026-01-01' }, NOW).active, false);
  });

  test('composes full_name when absent and keeps it when sent', () => {
    assert.equal(normalizeEmployee(restEmployee, NOW).full_name, 'Olena Koval');
    assert.equal(normalizeEmployee({ ...restEmployee, full_name: 'Olena K.' }, NOW).full_name, 'Olena K.');
  });

  test('documented fields that are left out are null, and nothing else is invented', () => {
    const e = normalizeEmployee({ id: 5, first_name: 'Ann', extra_thing: 1 }, NOW);
    assert.equal(e.email, null);
    assert.equal(e.department, null);
    assert.equal(e.reporting_to, null);
    assert.equal(e.termination_effective_date, null);
    assert.deepEqual(e.custom_fields, []);
    assert.deepEqual(e.custom, {});
    assert.equal(e.extra_thing, 1);
    assert.equal(e.full_name, 'Ann');
  });

  test('a department sent as a bare name becomes { id: null, name }', () => {
    assert.deepEqual(normalizeEmployee({ id: 5, department: 'IT' }, NOW).department, { id: null, name: 'IT' });
  });
});

describe('normalizeLeaveRequest', () => {
  test('reads a webhook delivery: attributes, entries on occurs_on, leave type, description as comment', () => {
    const l = normalizeLeaveRequest({
      id: 16,
      attributes: { employee_id: 13, starts_on: '2026-03-09', ends_on: '2026-03-10', amount: '2.0', description: 'Trip', unit: 'days', state: 'pending' },
      entries: [
        { occurs_on: '2026-03-09', amount: '1.0' },
        { occurs_on: '2026-03-10', amount: '1.0' },
      ],
      leave_type: { id: 3, name: 'Vacation' },
      meta: { created_at: '2026-03-01T08:20:16.466Z', updated_at: '2026-03-01T10:32:50.845Z' },
    });
    assert.deepEqual(l, {
      id: 16,
      employee_id: 13,
      state: 'pending',
      leave_type: { id: 3, name: 'Vacation' },
      unit: 'days',
      amount: '2.0',
      amount_number: 2,
      starts_on: '2026-03-09',
      ends_on: '2026-03-10',
      comment: 'Trip',
      entries: [
        { date: '2026-03-09', amount: '1.0' },
        { date: '2026-03-10', amount: '1.0' },
      ],
      approvals: [],
      created_at: '2026-03-01T08:20:16.466Z',
      updated_at: '2026-03-01T10:32:50.845Z',
    });
  });

  test('reads the REST shape: leave type by name, entries on date, approvals kept', () => {
    const approvals = [{ state: 'approved', assigned_to: { id: 19, full_name: 'Ivan' } }];
    const l = normalizeLeaveRequest({
      id: 16,
      employee_id: 13,
      leave_type: 'Day off',
      state: 'approved',
      amount: '0.5',
      starts_on: '2000-01-09',
      ends_on: '2000-01-09',
      comment: '',
      entries: [{ date: '2000-01-09', amount: '0.5' }],
      approvals,
      created_at: '2000-01-01T08:20:16.466Z',
      updated_at: '2000-01-01T10:32:50.845Z',
    });
    assert.deepEqual(l.leave_type, { id: null, name: 'Day off' });
    assert.equal(l.amount_number, 0.5);
    assert.equal(l.unit, null);
    assert.equal(l.comment, '');
    assert.deepEqual(l.entries, [{ date: '2000-01-09', amount: '0.5' }]);
    assert.deepEqual(l.approvals, approvals);
  });

  test('an amount that is not a number keeps its text and has no amount_number', () => {
    const l = normalizeLeaveRequest({ id: 1, amount: 'n/a' });
    assert.equal(l.amount, 'n/a');
    assert.equal(l.amount_number, null);
  });

  test('takes the unit from the leave type when the request has none', () => {
    assert.equal(normalizeLeaveRequest({ id: 1, leave_type: { id: 2, name: 'Sick', unit: 'hours' } }).unit, 'hours');
  });
});
