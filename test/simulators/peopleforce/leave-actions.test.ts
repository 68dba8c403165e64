import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src/platform/clock.js';
import { isoDay } from '../../../src/simulators/peopleforce/calendar.js';
import type { HrContext } from '../../../src/simulators/peopleforce/hr-context.js';
import { addLeaveRequest, approveLeaveRequest } from '../../../src/simulators/peopleforce/leave-actions.js';
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
  return { ctx, clock, emitted };
};

const refusal = (status: number, message: RegExp) => (err: unknown) => err instanceof SimError && err.status === status && message.test(err.message);

test('files a pending request counting only working days, and fires leave_request_create', () => {
  const { ctx, emitted } = setup();
  // Friday 2026-01-23 to Monday 2026-01-26: two working days.
  const l = addLeaveRequest(ctx, { employee_id: 133703, leave_type: 'Vacation', starts_on: '2026-01-23', ends_on: '2026-01-26', comment: 'Long weekend' });
  assert.equal(l.state, 'pending');
  assert.equal(l.amount, '2.0');
  assert.deepEqual(l.entries, [{ date: '2026-01-23', amount: '1.0' }, { date: '2026-01-26', amount: '1.0' }]);
  assert.deepEqual(l.approvals, [{ state: 'pending', assigned_to: { id: 133701, full_name: 'Olena Koval' } }]);
  const hook = emitted[0];
  assert.equal(hook?.topic, 'leave_request_create');
  assert.deepEqual(hook?.data.attributes, { employee_id: 133703, starts_on: '2026-01-23', ends_on: '2026-01-26', amount: '2.0', description: 'Long weekend', unit: 'days', state: 'pending' });
  assert.deepEqual(hook?.data.entries[0], { occurs_on: '2026-01-23', amount: '1.0' });
  assert.deepEqual(hook?.data.leave_type, { id: 4101, name: 'Vacation' });
});

test('counts hour-based leave in hours', () => {
  const { ctx, emitted } = setup();
  const l = addLeaveRequest(ctx, { employee_id: 133703, leave_type: 4104, starts_on: '2026-01-15', ends_on: '2026-01-15', hours_per_day: 2.5 });
  assert.equal(l.amount, '2.5');
  assert.equal(emitted[0]?.data.attributes.unit, 'hours');
});

test('refuses an unknown employee or leave type, hours on a day-based type and an end before the start', () => {
  const { ctx } = setup();
  const base = { employee_id: 133703, leave_type: 'Vacation', starts_on: '2026-02-02', ends_on: '2026-02-03' };
  assert.throws(() => addLeaveRequest(ctx, { ...base, employee_id: 7 }), refusal(400, /No employee 7/));
  assert.throws(() => addLeaveRequest(ctx, { ...base, leave_type: 'Sabbatical' }), refusal(400, /No leave type/));
  assert.throws(() => addLeaveRequest(ctx, { ...base, hours_per_day: 4 }), refusal(400, /in days/));
  assert.throws(() => addLeaveRequest(ctx, { ...base, ends_on: '2026-02-01' }), refusal(400, /ends_on/));
});

test('approves a pending request by the manager, bumps updated_at and fires leave_request_approve', () => {
  const { ctx, clock, emitted } = setup();
  const filed = addLeaveRequest(ctx, { employee_id: 133711, leave_type: 'Day off', starts_on: '2026-01-19', ends_on: '2026-01-19' });
  clock.advance(3_600_000);
  const approved = approveLeaveRequest(ctx, filed.id);
  assert.equal(approved.state, 'approved');
  assert.deepEqual(approved.approvals, [{ state: 'approved', assigned_to: { id: 133710, full_name: 'Anna Schmidt' } }]);
  assert.ok(approved.updated_at > filed.updated_at);
  assert.deepEqual(emitted.map((e) => e.topic), ['leave_request_create', 'leave_request_approve']);
  assert.equal(emitted[1]?.data.attributes.state, 'approved');
});

test('refuses to approve a request twice or one that does not exist', () => {
  const { ctx } = setup();
  assert.throws(() => approveLeaveRequest(ctx, 9100), refusal(409, /approved, not pending/));
  assert.throws(() => approveLeaveRequest(ctx, 1), refusal(404, /Leave request 1 not found/));
});
