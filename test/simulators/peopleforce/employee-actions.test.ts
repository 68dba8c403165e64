import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src/platform/clock.js';
import { isoDay } from '../../../src/simulators/peopleforce/calendar.js';
import {
  hireEmployee,
  revertTermination,
  runNightly,
  terminateEmployee,
  updateEmployee,
} from '../../../src/simulators/peopleforce/employee-actions.js';
import type { HrContext } from '../../../src/simulators/peopleforce/hr-context.js';
import { SimError } from '../../../src/simulators/peopleforce/sim-error.js';
import { createState } from '../../../src/simulators/peopleforce/sim-state.js';

const setup = () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 14, 10));
  const emitted: { topic: string; data: any }[] = [];
  const ctx: HrContext = {
    state: createState({ seed: true, now: clock.now() }),
    now: () => clock.now(),
    today: () => isoDay(clock.now()),
    emit: (topic, data) => emitted.push({ topic, data }),
  };
  return { ctx, clock, emitted, topics: () => emitted.map((e) => e.topic) };
};

const refusal = (status: number, message: RegExp) => (err: unknown) => err instanceof SimError && err.status === status && message.test(err.message);

test('hires with the next id, catalog entries by name and a three-month probation', () => {
  const { ctx, emitted } = setup();
  const e = hireEmployee(ctx, { first_name: 'Olha', last_name: 'Marchenko', email: 'olha.marchenko@example.com', department: 'Engineering', position: 'Backend Engineer', hired_on: '2026-01-20' });
  assert.equal(e.id, 133725);
  assert.equal(e.employee_number, 'ENG-1026');
  assert.deepEqual(e.department, { id: 5090, name: 'Engineering' });
  assert.deepEqual(e.employment_type, { id: 1899, name: 'Full-Time' });
  assert.equal(e.probation_ends_on, '2026-04-20');
  assert.equal(e.status, 'pending_hire');
  assert.equal(e.active, false);
  assert.deepEqual(emitted.map((x) => x.topic), ['employee_create']);
  assert.equal(emitted[0]?.data.attributes.email, 'olha.marchenko@example.com');
});

test('announces the start at once when the hire date is today', () => {
  const { ctx, topics } = setup();
  const e = hireEmployee(ctx, { first_name: 'Max', last_name: 'Klein', email: 'max.klein@example.com', employment_type: 'Contractor' });
  assert.equal(e.hired_on, '2026-01-14');
  assert.equal(e.probation_ends_on, null, 'contractors have no probation');
  assert.equal(e.status, 'employed');
  assert.deepEqual(topics(), ['employee_create', 'employee_start']);
});

test('does not announce the start of a back-dated hire', () => {
  const { ctx, topics } = setup();
  hireEmployee(ctx, { first_name: 'Paul', last_name: 'Lehmann', email: 'paul.lehmann@example.com', hired_on: '2025-12-01' });
  runNightly(ctx);
  assert.deepEqual(topics(), ['employee_create']);
});

test('adds a department the company does not have yet', () => {
  const { ctx } = setup();
  const e = hireEmployee(ctx, { first_name: 'Zofia', last_name: 'Nowak', email: 'zofia.nowak@example.com', department: 'Legal' });
  assert.deepEqual(e.department, { id: 5096, name: 'Legal' });
  assert.ok(ctx.state.catalogs.departments.some((d) => d.name === 'Legal'));
});

test('stores custom fields given by name and shows them by uuid in the webhook', () => {
  const { ctx, emitted } = setup();
  const e = hireEmployee(ctx, { first_name: 'Clara', last_name: 'Wagner', email: 'clara.wagner@example.com', custom_fields: { 'Shirt size': 'S' } });
  assert.deepEqual(e.custom_fields.find((f) => f.name === 'Shirt size')?.value, 'S');
  const fields = emitted[0]?.data.custom_fields;
  assert.deepEqual(fields['6f1c2a8e-4b7d-4e0a-9c31-5d2e8f7a1b01'], { name: 'Shirt size', value: 'S', group: 'Personal' });
});

test('refuses a hire without the required fields, naming them', () => {
  const { ctx } = setup();
  assert.throws(
    () => hireEmployee(ctx, { first_name: 'X' } as never),
    (err: unknown) => err instanceof SimError && err.status === 400 && err.errors?.last_name !== undefined && err.errors?.email !== undefined,
  );
});

test('refuses a second employee with the same work email', () => {
  const { ctx } = setup();
  assert.throws(() => hireEmployee(ctx, { first_name: 'Olena', last_name: 'Koval', email: 'OLENA.KOVAL@example.com' }), refusal(409, /already exists/));
});

test('refuses a manager who does not exist, an unknown custom field and unknown keys', () => {
  const { ctx } = setup();
  const base = { first_name: 'A', last_name: 'B', email: 'a.b@example.com' };
  assert.throws(() => hireEmployee(ctx, { ...base, reporting_to_id: 42 }), refusal(400, /report to/));
  assert.throws(() => hireEmployee(ctx, { ...base, custom_fields: { 'Favourite colour': 'red' } }), refusal(400, /Unknown custom field/));
  assert.throws(() => hireEmployee(ctx, { ...base, salary: 1 } as never), refusal(400, /salary|Unrecognized/));
});

test('updates fields, bumps updated_at and fires employee_update', () => {
  const { ctx, clock, emitted } = setup();
  clock.advance(5 * 60_000);
  const e = updateEmployee(ctx, 133703, { last_name: 'Melnyk-Koval', department: 'IT', reporting_to_id: 133707, custom_fields: { 'Laptop preference': 'ThinkPad X1 Carbon' } });
  assert.equal(e.full_name, 'Iryna Melnyk-Koval');
  assert.equal(e.department?.name, 'IT');
  assert.equal(e.reporting_to?.full_name, 'Maksym Kravchenko');
  assert.equal(e.updated_at, new Date(Date.UTC(2026, 0, 14, 10, 5)).toISOString());
  assert.equal(e.custom_fields.find((f) => f.name === 'Shirt size')?.value, 'XL', 'other custom fields are kept');
  assert.equal(emitted[0]?.topic, 'employee_update');
  assert.equal(emitted[0]?.data.meta.updated_at, e.updated_at);
});

test('refuses an empty change, an unknown employee and reporting to oneself', () => {
  const { ctx } = setup();
  assert.throws(() => updateEmployee(ctx, 133703, {}), refusal(400, /at least one field/));
  assert.throws(() => updateEmployee(ctx, 1, { first_name: 'X' }), refusal(404, /Employee 1 not found/));
  assert.throws(() => updateEmployee(ctx, 133703, { reporting_to_id: 133703 }), refusal(400, /themselves/));
});

test('terminates today: dismissed at once and announced as employee_terminate', () => {
  const { ctx, emitted } = setup();
  const e = terminateEmployee(ctx, 133704, { comment: 'Resigned' });
  assert.equal(e.termination_effective_date, '2026-01-14');
  assert.equal(e.termination_comment, 'Resigned');
  assert.equal(e.status, 'dismissed');
  assert.equal(e.active, false);
  assert.equal(emitted[0]?.topic, 'employee_terminate');
  assert.equal(emitted[0]?.data.attributes.termination_effective_date, '2026-01-14');
});

test('records a future termination as an update and announces it on the night it arrives', () => {
  const { ctx, clock, topics } = setup();
  const e = terminateEmployee(ctx, 133704, { on: '2026-01-16' });
  assert.equal(e.status, 'employed');
  assert.deepEqual(topics(), ['employee_update']);
  clock.advance(86_400_000);
  assert.deepEqual(runNightly(ctx), []);
  clock.advance(86_400_000);
  assert.deepEqual(runNightly(ctx), [{ topic: 'employee_terminate', employeeId: 133704 }]);
  assert.deepEqual(runNightly(ctx), [], 'announced once');
});

test('refuses a second termination and a termination before the hire date', () => {
  const { ctx } = setup();
  assert.throws(() => terminateEmployee(ctx, 133720), refusal(409, /already has a termination/));
  assert.throws(() => terminateEmployee(ctx, 133709, { on: '2020-01-01' }), refusal(400, /before the hire date/));
});

test('reverts a termination back to an active employee and fires employee_termination_revert', () => {
  const { ctx, topics } = setup();
  const e = revertTermination(ctx, 133720);
  assert.equal(e.termination_effective_date, null);
  assert.equal(e.termination_comment, null);
  assert.equal(e.status, 'employed');
  assert.deepEqual(topics(), ['employee_termination_revert']);
  assert.throws(() => revertTermination(ctx, 133720), refusal(409, /no termination/));
});

test('announces a pending hire on the night the start date arrives', () => {
  const { ctx, clock } = setup();
  clock.advance(6 * 86_400_000);
  assert.deepEqual(runNightly(ctx), []);
  clock.advance(86_400_000);
  assert.deepEqual(runNightly(ctx), [{ topic: 'employee_start', employeeId: 133722 }]);
});
