import { findLeaveType } from './catalogs.js';
import type { HrContext } from './hr-context.js';
import { leaveRequestSchema, type LeaveRequestInput } from './input-schemas.js';
import { toRestLeaveRequest, toWebhookLeaveRequest, type RestLeaveRequest } from './leave-views.js';
import { notFound, parseInput, SimError } from './sim-error.js';
import type { LeaveRequestRecord } from './sim-state.js';

/** A full working day when an hour-based request does not say how many hours. */
const DEFAULT_HOURS_PER_DAY = 8;

export const addLeaveRequest = (ctx: HrContext, input: LeaveRequestInput): RestLeaveRequest => {
  const data = parseInput(leaveRequestSchema, input);
  if (!ctx.state.employees.has(data.employee_id)) throw new SimError(400, `No employee ${data.employee_id}`, { employee_id: 'Unknown employee' });
  const type = findLeaveType(ctx.state.catalogs, data.leave_type);
  if (!type) throw new SimError(400, `No leave type ${data.leave_type}`, { leave_type: 'Unknown leave type' });
  if (type.unit === 'days' && data.hours_per_day !== undefined) {
    throw new SimError(400, `${type.name} is taken in days, not hours`, { hours_per_day: 'Only for hour-based leave types' });
  }
  const now = ctx.now();
  const l: LeaveRequestRecord = {
    id: ctx.state.nextLeaveRequestId++,
    employee_id: data.employee_id,
    leave_type_id: type.id,
    state: 'pending',
    amount_per_day: type.unit === 'hours' ? (data.hours_per_day ?? DEFAULT_HOURS_PER_DAY) : 1,
    starts_on: data.starts_on,
    ends_on: data.ends_on,
    comment: data.comment ?? '',
    approver_id: null,
    created_at: now,
    updated_at: now,
  };
  ctx.state.leaveRequests.set(l.id, l);
  ctx.emit('leave_request_create', toWebhookLeaveRequest(ctx.state, l));
  return toRestLeaveRequest(ctx.state, l);
};

/** Approval by the employee's manager, the single (and so last) approver in the simulated chain. */
export const approveLeaveRequest = (ctx: HrContext, id: number): RestLeaveRequest => {
  const l = ctx.state.leaveRequests.get(id);
  if (!l) throw notFound(`Leave request ${id}`);
  if (l.state !== 'pending') throw new SimError(409, `Leave request ${id} is ${l.state}, not pending`);
  l.state = 'approved';
  l.approver_id = ctx.state.employees.get(l.employee_id)?.reporting_to_id ?? null;
  l.updated_at = ctx.now();
  ctx.emit('leave_request_approve', toWebhookLeaveRequest(ctx.state, l));
  return toRestLeaveRequest(ctx.state, l);
};
