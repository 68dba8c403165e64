import { addMonths } from './calendar.js';
import { refIdByName, type RefCatalog } from './catalogs.js';
import { toRestEmployee, toWebhookEmployee, type RestEmployee } from './employee-views.js';
import type { HrContext } from './hr-context.js';
import { employeeChangesSchema, hireSchema, terminateSchema, type EmployeeChanges, type HireInput, type TerminateInput } from './input-schemas.js';
import { notFound, parseInput, SimError } from './sim-error.js';
import { allocateEmployeeNumber, sortedEmployees, type EmployeeRecord } from './sim-state.js';

const REF_FIELDS = [
  ['position', 'positions', 'position_id'],
  ['department', 'departments', 'department_id'],
  ['division', 'divisions', 'division_id'],
  ['location', 'locations', 'location_id'],
  ['employment_type', 'employmentTypes', 'employment_type_id'],
] as const satisfies readonly (readonly [keyof EmployeeChanges, RefCatalog, keyof EmployeeRecord])[];

const PLAIN_FIELDS = [
  'first_name',
  'last_name',
  'email',
  'middle_name',
  'personal_email',
  'mobile_number',
  'work_phone_number',
  'date_of_birth',
  'gender',
  'avatar_url',
  'employee_number',
  'hired_on',
  'probation_ends_on',
] as const;

type PlainField = (typeof PLAIN_FIELDS)[number];

const employeeOf = (ctx: HrContext, id: number): EmployeeRecord => {
  const e = ctx.state.employees.get(id);
  if (!e) throw notFound(`Employee ${id}`);
  return e;
};

const rest = (ctx: HrContext, e: EmployeeRecord): RestEmployee => toRestEmployee(ctx.state, e, ctx.today());

/** PeopleForce refuses a second profile with a work email already in use. */
const assertEmailFree = (ctx: HrContext, email: string, exceptId?: number): void => {
  const taken = [...ctx.state.employees.values()].some((e) => e.id !== exceptId && e.email.toLowerCase() === email.toLowerCase());
  if (taken) throw new SimError(409, `An employee with the email ${email} already exists`);
};

const assertManager = (ctx: HrContext, managerId: number | null | undefined, selfId?: number): void => {
  if (managerId === null || managerId === undefined) return;
  if (managerId === selfId) throw new SimError(400, 'An employee cannot report to themselves', { reporting_to_id: 'Must be another employee' });
  if (!ctx.state.employees.has(managerId)) throw new SimError(400, `No employee ${managerId} to report to`, { reporting_to_id: 'Unknown employee' });
};

/** Custom field values by name or uuid → keyed by uuid. */
const customFieldValues = (ctx: HrContext, values: Record<string, string | null>): Record<string, string | null> => {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(values)) {
    const field = ctx.state.catalogs.customFields.find((f) => f.uuid === key || f.name.toLowerCase() === key.toLowerCase());
    if (!field) throw new SimError(400, `Unknown custom field "${key}"`, { [`custom_fields.${key}`]: 'Unknown custom field' });
    out[field.uuid] = value;
  }
  return out;
};

const setPlain = <K extends PlainField>(e: EmployeeRecord, key: K, value: EmployeeRecord[K]): void => {
  e[key] = value;
};

type RefInput = Partial<Record<(typeof REF_FIELDS)[number][0], string | null>>;

/** Points the record at catalog entries by name; a name the company lacks is added. */
const applyRefs = (ctx: HrContext, e: EmployeeRecord, refs: RefInput): void => {
  for (const [input, catalog, field] of REF_FIELDS) {
    const value = refs[input];
    if (value !== undefined) e[field] = value === null ? null : refIdByName(ctx.state.catalogs, catalog, value);
  }
};

export const hireEmployee = (ctx: HrContext, input: HireInput): RestEmployee => {
  const data = parseInput(hireSchema, input);
  const today = ctx.today();
  assertEmailFree(ctx, data.email);
  assertManager(ctx, data.reporting_to_id);
  const customFields = customFieldValues(ctx, data.custom_fields ?? {});
  const hiredOn = data.hired_on ?? today;
  const employmentType = data.employment_type === undefined ? 'Full-Time' : data.employment_type;
  const now = ctx.now();
  const e: EmployeeRecord = {
    id: ctx.state.nextEmployeeId++,
    employee_number: data.employee_number ?? allocateEmployeeNumber(ctx.state, data.department ?? undefined),
    first_name: data.first_name,
    middle_name: data.middle_name ?? '',
    last_name: data.last_name,
    email: data.email,
    personal_email: data.personal_email ?? null,
    mobile_number: data.mobile_number ?? '',
    work_phone_number: data.work_phone_number ?? '',
    date_of_birth: data.date_of_birth ?? null,
    gender: data.gender ?? null,
    avatar_url: data.avatar_url ?? null,
    hired_on: hiredOn,
    // A three-month probation is the usual policy; contractors have none.
    probation_ends_on: data.probation_ends_on !== undefined ? data.probation_ends_on : employmentType === 'Contractor' ? null : addMonths(hiredOn, 3),
    termination_effective_date: null,
    termination_comment: null,
    position_id: null,
    department_id: null,
    division_id: null,
    location_id: null,
    employment_type_id: null,
    reporting_to_id: data.reporting_to_id ?? null,
    custom_fields: customFields,
    created_at: now,
    updated_at: now,
    // A back-dated hire has already started; PeopleForce does not announce that start.
    startAnnounced: hiredOn < today,
    terminationAnnounced: false,
  };
  applyRefs(ctx, e, { ...data, employment_type: employmentType });
  ctx.state.employees.set(e.id, e);
  ctx.emit('employee_create', toWebhookEmployee(ctx.state, e));
  if (hiredOn === today) {
    e.startAnnounced = true;
    ctx.emit('employee_start', toWebhookEmployee(ctx.state, e));
  }
  return rest(ctx, e);
};

export const updateEmployee = (ctx: HrContext, id: number, changes: EmployeeChanges): RestEmployee => {
  const e = employeeOf(ctx, id);
  const data = parseInput(employeeChangesSchema, changes);
  if (data.email !== undefined) assertEmailFree(ctx, data.email, id);
  assertManager(ctx, data.reporting_to_id, id);
  const customFields = data.custom_fields ? customFieldValues(ctx, data.custom_fields) : {};
  for (const key of PLAIN_FIELDS) {
    const value = data[key];
    if (value !== undefined) setPlain(e, key, value);
  }
  applyRefs(ctx, e, data);
  if (data.reporting_to_id !== undefined) e.reporting_to_id = data.reporting_to_id;
  Object.assign(e.custom_fields, customFields);
  e.updated_at = ctx.now();
  ctx.emit('employee_update', toWebhookEmployee(ctx.state, e));
  return rest(ctx, e);
};

/**
 * A termination on or before today takes effect (and is announced) at once;
 * a later one is recorded as an update and announced by the nightly run, as PeopleForce does.
 */
export const terminateEmployee = (ctx: HrContext, id: number, input: TerminateInput = {}): RestEmployee => {
  const e = employeeOf(ctx, id);
  const data = parseInput(terminateSchema, input);
  if (e.termination_effective_date !== null) throw new SimError(409, `Employee ${id} already has a termination on ${e.termination_effective_date}; revert it first`);
  const on = data.on ?? ctx.today();
  if (on < e.hired_on) throw new SimError(400, `The termination date ${on} is before the hire date ${e.hired_on}`, { on: 'Must not be before the hire date' });
  e.termination_effective_date = on;
  e.termination_comment = data.comment ?? null;
  e.updated_at = ctx.now();
  e.terminationAnnounced = on <= ctx.today();
  ctx.emit(e.terminationAnnounced ? 'employee_terminate' : 'employee_update', toWebhookEmployee(ctx.state, e));
  return rest(ctx, e);
};

export const revertTermination = (ctx: HrContext, id: number): RestEmployee => {
  const e = employeeOf(ctx, id);
  if (e.termination_effective_date === null) throw new SimError(409, `Employee ${id} has no termination to revert`);
  e.termination_effective_date = null;
  e.termination_comment = null;
  e.terminationAnnounced = false;
  e.updated_at = ctx.now();
  ctx.emit('employee_termination_revert', toWebhookEmployee(ctx.state, e));
  return rest(ctx, e);
};

export interface NightlyEvent {
  topic: 'employee_start' | 'employee_terminate';
  employeeId: number;
}

/** PeopleForce's nightly run: announces hire dates and termination dates that have arrived. */
export const runNightly = (ctx: HrContext): NightlyEvent[] => {
  const today = ctx.today();
  const fired: NightlyEvent[] = [];
  for (const e of sortedEmployees(ctx.state)) {
    const leaving = e.termination_effective_date !== null && e.termination_effective_date <= today;
    if (!e.startAnnounced && e.hired_on <= today && !leaving) {
      e.startAnnounced = true;
      fired.push({ topic: 'employee_start', employeeId: e.id });
      ctx.emit('employee_start', toWebhookEmployee(ctx.state, e));
    }
    if (leaving && !e.terminationAnnounced) {
      e.terminationAnnounced = true;
      fired.push({ topic: 'employee_terminate', employeeId: e.id });
      ctx.emit('employee_terminate', toWebhookEmployee(ctx.state, e));
    }
  }
  return fired;
};
