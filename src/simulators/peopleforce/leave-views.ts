import { isoTimestamp, workingDays } from './calendar.js';
import { findLeaveType } from './catalogs.js';
import type { LeaveRequestRecord, SimState } from './sim-state.js';

/** PeopleForce sends amounts as decimal strings ("2.0"). */
const decimal = (n: number): string => n.toFixed(1);

const entriesOf = (l: LeaveRequestRecord) => workingDays(l.starts_on, l.ends_on).map((date) => ({ date, amount: l.amount_per_day }));

const totalOf = (l: LeaveRequestRecord): string => decimal(entriesOf(l).length * l.amount_per_day);

/** The v1 list item of contract §5: leave type as a name, entries keyed `date`. */
export const toRestLeaveRequest = (state: SimState, l: LeaveRequestRecord) => {
  const approverId = l.approver_id ?? state.employees.get(l.employee_id)?.reporting_to_id ?? null;
  const approver = approverId === null ? undefined : state.employees.get(approverId);
  return {
    id: l.id,
    employee_id: l.employee_id,
    leave_type: findLeaveType(state.catalogs, l.leave_type_id)?.name ?? null,
    state: l.state,
    amount: totalOf(l),
    starts_on: l.starts_on,
    ends_on: l.ends_on,
    comment: l.comment,
    entries: entriesOf(l).map((x) => ({ date: x.date, amount: decimal(x.amount) })),
    approvals: approver ? [{ state: l.state, assigned_to: { id: approver.id, full_name: `${approver.first_name} ${approver.last_name}` } }] : [],
    created_at: isoTimestamp(l.created_at),
    updated_at: isoTimestamp(l.updated_at),
  };
};

export type RestLeaveRequest = ReturnType<typeof toRestLeaveRequest>;

/** The webhook `data` of contract §6: attributes apart, entries keyed `occurs_on`, unit from the leave type. */
export const toWebhookLeaveRequest = (state: SimState, l: LeaveRequestRecord) => {
  const type = findLeaveType(state.catalogs, l.leave_type_id);
  return {
    id: l.id,
    attributes: {
      employee_id: l.employee_id,
      starts_on: l.starts_on,
      ends_on: l.ends_on,
      amount: totalOf(l),
      description: l.comment,
      unit: type?.unit ?? 'days',
      state: l.state,
    },
    entries: entriesOf(l).map((x) => ({ occurs_on: x.date, amount: decimal(x.amount) })),
    leave_type: type ? { id: type.id, name: type.name } : null,
    meta: { created_at: isoTimestamp(l.created_at), updated_at: isoTimestamp(l.updated_at) },
  };
};
