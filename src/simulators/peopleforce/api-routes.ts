import { Hono } from 'hono';
import type { SimEnv } from '../sim-kit.js';
import { EMPLOYEE_STATUSES, employeeStatus, toRestEmployee, type EmployeeStatus } from './employee-views.js';
import { toRestLeaveRequest } from './leave-views.js';
import { paginate, parsePageRequest } from './pagination.js';
import type { RateLimiter } from './rate-limiter.js';
import { SimError } from './sim-error.js';
import { sortedEmployees, sortedLeaveRequests, type LeaveState, type SimState } from './sim-state.js';

export interface ApiDeps {
  state: SimState;
  apiKey: string;
  today: () => string;
  rateLimiter: RateLimiter;
  counters: { apiRequests: number; unauthorized: number; rateLimited: number };
}

const LEAVE_STATES: readonly LeaveState[] = ['pending', 'approved', 'rejected', 'cancelled'];

const oneOf = <T extends string>(raw: string | undefined, allowed: readonly T[], field: string): T | undefined => {
  if (raw === undefined) return undefined;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new SimError(422, `${field} must be one of ${allowed.join(', ')}`, { [field]: 'is not included in the list' });
};

const idFilter = (raw: string | undefined, field: string): number | undefined => {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new SimError(422, `${field} must be a whole number`, { [field]: 'is not a number' });
  return Number(raw);
};

/** The public API as served under one version prefix: read-only, behind X-API-KEY. */
export const apiRoutes = (deps: ApiDeps): Hono<SimEnv> => {
  const api = new Hono<SimEnv>();
  const { state } = deps;

  api.use('*', async (c, next) => {
    deps.counters.apiRequests++;
    if (c.req.header('X-API-KEY') !== deps.apiKey) {
      deps.counters.unauthorized++;
      return c.json({ message: 'Bad Credentials' }, 401);
    }
    const verdict = deps.rateLimiter.take();
    if (!verdict.ok) {
      deps.counters.rateLimited++;
      c.header('Retry-After', String(verdict.retryAfterSeconds));
      return c.json({ message: 'Too Many Requests' }, 429);
    }
    return next();
  });

  api.get('/employees', (c) => {
    const page = parsePageRequest(c.req.query());
    const status = oneOf<EmployeeStatus>(c.req.query('status'), EMPLOYEE_STATUSES, 'status');
    const today = deps.today();
    const rows = sortedEmployees(state).filter((e) => status === undefined || employeeStatus(e, today) === status);
    return c.json(paginate(rows.map((e) => toRestEmployee(state, e, today)), page));
  });

  api.get('/employees/:id', (c) => {
    const raw = c.req.param('id');
    const employee = /^\d+$/.test(raw) ? state.employees.get(Number(raw)) : undefined;
    if (!employee) return c.json({ message: 'Not Found' }, 404);
    return c.json({ data: toRestEmployee(state, employee, deps.today()) });
  });

  api.get('/leave_requests', (c) => {
    const page = parsePageRequest(c.req.query());
    const employeeId = idFilter(c.req.query('employee_id'), 'employee_id');
    const leaveTypeId = idFilter(c.req.query('leave_type_id'), 'leave_type_id');
    const leaveState = oneOf(c.req.query('state'), LEAVE_STATES, 'state');
    const rows = sortedLeaveRequests(state).filter(
      (l) =>
        (employeeId === undefined || l.employee_id === employeeId) &&
        (leaveTypeId === undefined || l.leave_type_id === leaveTypeId) &&
        (leaveState === undefined || l.state === leaveState),
    );
    return c.json(paginate(rows.map((l) => toRestLeaveRequest(state, l)), page));
  });

  api.get('/leave_types', (c) => c.json(paginate(state.catalogs.leaveTypes.map((t) => ({ ...t })), parsePageRequest(c.req.query()))));

  return api;
};
