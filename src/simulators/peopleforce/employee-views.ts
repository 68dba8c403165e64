import { isoTimestamp } from './calendar.js';
import { findRef, type Ref } from './catalogs.js';
import type { EmployeeRecord, SimState } from './sim-state.js';

/**
 * `status` on REST objects is an assumption: the contract lists these values
 * only as a v3 list filter and is unsure whether objects carry the field.
 */
export const EMPLOYEE_STATUSES = ['employed', 'probation', 'dismissed', 'not_hired', 'pending_hire'] as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUSES)[number];

/** Derived from the dates against "today", so a scheduled start or leave takes effect without a write. */
export const employeeStatus = (e: EmployeeRecord, today: string): EmployeeStatus => {
  if (e.termination_effective_date !== null && e.termination_effective_date <= today) return 'dismissed';
  if (e.hired_on > today) return 'pending_hire';
  if (e.probation_ends_on !== null && today <= e.probation_ends_on) return 'probation';
  return 'employed';
};

export const isActive = (status: EmployeeStatus): boolean => status === 'employed' || status === 'probation';

const fullName = (e: { first_name: string; last_name: string }): string => `${e.first_name} ${e.last_name}`;

const plainRef = (r: Ref | null): Ref | null => (r ? { id: r.id, name: r.name } : null);

/** The REST object of contract §4 (v1 SDK mock ∪ v2 integration), plus `status`. */
export const toRestEmployee = (state: SimState, e: EmployeeRecord, today: string) => {
  const { catalogs } = state;
  const manager = e.reporting_to_id === null ? undefined : state.employees.get(e.reporting_to_id);
  const status = employeeStatus(e, today);
  return {
    id: e.id,
    active: isActive(status),
    status,
    employee_number: e.employee_number,
    full_name: fullName(e),
    first_name: e.first_name,
    middle_name: e.middle_name,
    last_name: e.last_name,
    email: e.email,
    personal_email: e.personal_email,
    mobile_number: e.mobile_number,
    work_phone_number: e.work_phone_number,
    date_of_birth: e.date_of_birth,
    gender: e.gender,
    avatar_url: e.avatar_url,
    hired_on: e.hired_on,
    probation_ends_on: e.probation_ends_on,
    termination_effective_date: e.termination_effective_date,
    termination_comment: e.termination_comment,
    position: plainRef(findRef(catalogs.positions, e.position_id)),
    department: plainRef(findRef(catalogs.departments, e.department_id)),
    division: plainRef(findRef(catalogs.divisions, e.division_id)),
    location: findRef(catalogs.locations, e.location_id),
    employment_type: plainRef(findRef(catalogs.employmentTypes, e.employment_type_id)),
    reporting_to: manager
      ? { id: manager.id, first_name: manager.first_name, last_name: manager.last_name, full_name: fullName(manager), email: manager.email }
      : null,
    custom_fields: catalogs.customFields.map((f) => ({ uuid: f.uuid, name: f.name, value: e.custom_fields[f.uuid] ?? null, group: f.group })),
    created_at: isoTimestamp(e.created_at),
    updated_at: isoTimestamp(e.updated_at),
  };
};

export type RestEmployee = ReturnType<typeof toRestEmployee>;

/** The webhook `data` of contract §6: attributes apart, refs as {id,name}, custom fields keyed by uuid. */
export const toWebhookEmployee = (state: SimState, e: EmployeeRecord) => {
  const { catalogs } = state;
  const manager = e.reporting_to_id === null ? undefined : state.employees.get(e.reporting_to_id);
  return {
    id: e.id,
    attributes: {
      employee_number: e.employee_number,
      hired_on: e.hired_on,
      probation_ends_on: e.probation_ends_on,
      first_name: e.first_name,
      last_name: e.last_name,
      email: e.email,
      personal_email: e.personal_email,
      gender: e.gender,
      mobile_number: e.mobile_number,
      work_phone_number: e.work_phone_number,
      date_of_birth: e.date_of_birth,
      termination_effective_date: e.termination_effective_date,
      termination_comment: e.termination_comment,
      avatar_url: e.avatar_url,
    },
    reporting_to: manager ? { id: manager.id, full_name: fullName(manager), email: manager.email } : null,
    employment_type: plainRef(findRef(catalogs.employmentTypes, e.employment_type_id)),
    position: plainRef(findRef(catalogs.positions, e.position_id)),
    department: plainRef(findRef(catalogs.departments, e.department_id)),
    division: plainRef(findRef(catalogs.divisions, e.division_id)),
    location: plainRef(findRef(catalogs.locations, e.location_id)),
    custom_fields: Object.fromEntries(catalogs.customFields.map((f) => [f.uuid, { name: f.name, value: e.custom_fields[f.uuid] ?? null, group: f.group }])),
    meta: { created_at: isoTimestamp(e.created_at), updated_at: isoTimestamp(e.updated_at) },
  };
};

export type WebhookEmployee = ReturnType<typeof toWebhookEmployee>;
