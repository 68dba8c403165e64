import { createCatalogs, type Catalogs } from './catalogs.js';
import { seedCompany } from './seed-data.js';

/**
 * An employee as the simulator keeps it: references to catalog entries by id
 * (so renaming a department shows everywhere, as in PeopleForce) and epoch-ms
 * timestamps; the REST and webhook shapes are rendered from this.
 */
export interface EmployeeRecord {
  id: number;
  employee_number: string;
  first_name: string;
  middle_name: string;
  last_name: string;
  email: string;
  personal_email: string | null;
  mobile_number: string;
  work_phone_number: string;
  date_of_birth: string | null;
  gender: string | null;
  avatar_url: string | null;
  hired_on: string;
  probation_ends_on: string | null;
  termination_effective_date: string | null;
  termination_comment: string | null;
  position_id: number | null;
  department_id: number | null;
  division_id: number | null;
  location_id: number | null;
  employment_type_id: number | null;
  reporting_to_id: number | null;
  /** Values keyed by custom field uuid. */
  custom_fields: Record<string, string | null>;
  created_at: number;
  updated_at: number;
  /** Whether employee_start has fired (or the hire predates the webhook), so the nightly run fires it once. */
  startAnnounced: boolean;
  /** Whether employee_terminate has fired for the current termination. */
  terminationAnnounced: boolean;
}

export type LeaveState = 'pending' | 'approved' | 'rejected' | 'cancelled';

export interface LeaveRequestRecord {
  id: number;
  employee_id: number;
  leave_type_id: number;
  state: LeaveState;
  /** Days (1) or hours per working day, depending on the leave type's unit. */
  amount_per_day: number;
  starts_on: string;
  ends_on: string;
  comment: string;
  approver_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface SimState {
  employees: Map<number, EmployeeRecord>;
  leaveRequests: Map<number, LeaveRequestRecord>;
  catalogs: Catalogs;
  nextEmployeeId: number;
  nextLeaveRequestId: number;
  /** Feeds employee numbers, which PeopleForce never reuses. */
  nextEmployeeNumber: number;
}

const FIRST_EMPLOYEE_ID = 133_700;
const FIRST_LEAVE_REQUEST_ID = 9_100;
const FIRST_EMPLOYEE_NUMBER = 1_001;

/** A fresh company: the catalogs always, the seeded people and leave only when asked. */
export const createState = (options: { seed: boolean; now: number }): SimState => {
  const state: SimState = {
    employees: new Map(),
    leaveRequests: new Map(),
    catalogs: createCatalogs(),
    nextEmployeeId: FIRST_EMPLOYEE_ID,
    nextLeaveRequestId: FIRST_LEAVE_REQUEST_ID,
    nextEmployeeNumber: FIRST_EMPLOYEE_NUMBER,
  };
  if (options.seed) seedCompany(state, options.now);
  return state;
};

const NUMBER_PREFIXES: Record<string, string> = { Engineering: 'ENG', IT: 'IT', Sales: 'SAL', Finance: 'FIN', HR: 'HR', Operations: 'OPS' };

/** Employee numbers look like PeopleForce's configurable ones: a department prefix and a running number. */
export const allocateEmployeeNumber = (state: SimState, departmentName: string | undefined): string =>
  `${NUMBER_PREFIXES[departmentName ?? ''] ?? 'EMP'}-${state.nextEmployeeNumber++}`;

export const sortedEmployees = (state: SimState): EmployeeRecord[] => [...state.employees.values()].sort((a, b) => a.id - b.id);

export const sortedLeaveRequests = (state: SimState): LeaveRequestRecord[] => [...state.leaveRequests.values()].sort((a, b) => a.id - b.id);
