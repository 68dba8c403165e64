import assert from 'node:assert/strict';
import { test } from 'node:test';
import { employeeStatus } from '../../../src/simulators/peopleforce/employee-views.js';
import { createState, sortedEmployees } from '../../../src/simulators/peopleforce/sim-state.js';

const now = Date.UTC(2026, 0, 14, 10);

test('seeds 25 employees with ids from 133700 and unique emails', () => {
  const people = sortedEmployees(createState({ seed: true, now }));
  assert.equal(people.length, 25);
  assert.deepEqual(people.map((e) => e.id), Array.from({ length: 25 }, (_, i) => 133700 + i));
  assert.equal(new Set(people.map((e) => e.email)).size, 25);
});

test('builds exactly the same company twice for the same clock', () => {
  assert.deepEqual(createState({ seed: true, now }), createState({ seed: true, now }));
});

test('staffs every department and location and uses all three employment types', () => {
  const state = createState({ seed: true, now });
  const people = [...state.employees.values()];
  for (const catalog of ['departments', 'locations', 'employmentTypes'] as const) {
    const used = new Set(people.map((e) => (catalog === 'departments' ? e.department_id : catalog === 'locations' ? e.location_id : e.employment_type_id)));
    for (const entry of state.catalogs[catalog]) assert.ok(used.has(entry.id), `${catalog}: ${entry.name}`);
  }
});

test('points every manager at a seeded employee, with one person at the top', () => {
  const state = createState({ seed: true, now });
  const people = [...state.employees.values()];
  assert.equal(people.filter((e) => e.reporting_to_id === null).length, 1);
  for (const e of people) if (e.reporting_to_id !== null) assert.ok(state.employees.has(e.reporting_to_id));
});

test('includes a pending hire, someone on probation, a leaver and a scheduled leaver', () => {
  const state = createState({ seed: true, now });
  const statuses = sortedEmployees(state).map((e) => employeeStatus(e, '2026-01-14'));
  assert.equal(statuses.filter((s) => s === 'pending_hire').length, 1);
  assert.equal(statuses.filter((s) => s === 'probation').length, 1);
  assert.equal(statuses.filter((s) => s === 'dismissed').length, 1);
  assert.ok([...state.employees.values()].some((e) => e.termination_effective_date !== null && e.termination_effective_date > '2026-01-14'));
});

test('never dates a record after the clock', () => {
  const state = createState({ seed: true, now });
  for (const r of [...state.employees.values(), ...state.leaveRequests.values()]) {
    assert.ok(r.created_at <= now && r.updated_at <= now && r.created_at <= r.updated_at, `record ${r.id}`);
  }
});

test('seeds leave requests in several states, and none without seeding', () => {
  const seeded = createState({ seed: true, now });
  assert.deepEqual(new Set([...seeded.leaveRequests.values()].map((l) => l.state)), new Set(['approved', 'pending', 'rejected']));
  const empty = createState({ seed: false, now });
  assert.equal(empty.employees.size, 0);
  assert.equal(empty.leaveRequests.size, 0);
  assert.equal(empty.catalogs.leaveTypes.length, 4);
});
