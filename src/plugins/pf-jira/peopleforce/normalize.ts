import type { PfRecord } from './peopleforce-client.js';

/**
 * One canonical payload per entity, whether the record came from the REST API
 * (polling) or a webhook: this is what admins write JSONPath against in rules
 * and mappings, so both sources must give the same paths the same meaning.
 * It is the REST shape (contract §4 and §5), made complete and predictable:
 *
 * Employee
 *   id                                   number
 *   employee_number, full_name, first_name, middle_name, last_name, email,
 *   personal_email, mobile_number, work_phone_number, gender, avatar_url,
 *   termination_comment                  string | null
 *   date_of_birth, hired_on, probation_ends_on,
 *   termination_effective_date           "YYYY-MM-DD" | null
 *   status                               as sent; when absent (webhooks), derived from the
 *                                        dates against today (UTC): dismissed once
 *                                        termination_effective_date is reached, pending_hire
 *                                        before hired_on, probation until probation_ends_on,
 *                                        else employed (the v3 status vocabulary)
 *   active                               as sent; when absent, status is employed or probation
 *   position, department, division,
 *   location, employment_type            { id, name, … } | null
 *   reporting_to                         { id, full_name, email, … } | null (the manager)
 *   custom_fields                        [{ uuid, name, value, group }], always an array
 *                                        (webhooks send an object keyed by uuid)
 *   custom                               { "<field name>": value }, e.g. $.custom['Shirt size']
 *   created_at, updated_at               ISO 8601 | null (webhooks carry them in meta)
 *
 * Leave request
 *   id, employee_id                      number (employee_id null when absent)
 *   state                                pending | approved | rejected | withdrawn | cancelled (as sent)
 *   leave_type                           { id, name, … } | null (REST v1 sends only the name)
 *   unit                                 days | hours | null
 *   amount                               decimal string as sent, e.g. "2.0"
 *   amount_number                        the same as a number, for gt/lt conditions
 *   starts_on, ends_on                   "YYYY-MM-DD" | null
 *   comment                              string | null (the webhook's description)
 *   entries                              [{ date, amount }] (webhooks say occurs_on)
 *   approvals                            as sent, [] when absent
 *   created_at, updated_at               ISO 8601 | null
 *
 * Documented fields PeopleForce leaves out are present as null, so a path never
 * means "missing" in one source and "null" in the other. Keys PeopleForce adds
 * beyond these are kept as sent.
 */
type Json = Record<string, unknown>;

export type NamedRef = { id: number | null; name: string | null; [key: string]: unknown };

export type CustomField = { uuid: string | null; name: string | null; value: unknown; group: string | null };

export type NormalizedEmployee = {
  id: number;
  status: string;
  active: boolean;
  full_name: string | null;
  termination_effective_date: string | null;
  custom_fields: CustomField[];
  custom: Record<string, unknown>;
  created_at: string | null;
  updated_at: string | null;
  [key: string]: unknown;
};

export type NormalizedLeaveRequest = {
  id: number;
  employee_id: number | null;
  state: string | null;
  leave_type: NamedRef | null;
  amount: string | null;
  amount_number: number | null;
  entries: { date: string | null; amount: string | null }[];
  created_at: string | null;
  updated_at: string | null;
  [key: string]: unknown;
};

const EMPLOYEE_FIELDS = [
  'employee_number',
  'first_name',
  'middle_name',
  'last_name',
  'email',
  'personal_email',
  'mobile_number',
  'work_phone_number',
  'date_of_birth',
  'gender',
  'avatar_url',
  'hired_on',
  'probation_ends_on',
  'termination_effective_date',
  'termination_comment',
] as const;

const EMPLOYEE_REFS = ['position', 'department', 'division', 'location', 'employment_type'] as const;

const LEAVE_FIELDS = ['employee_id', 'state', 'unit', 'starts_on', 'ends_on'] as const;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The calendar day PeopleForce dates are compared with. */
export const utcDay = (now: number): string => new Date(now).toISOString().slice(0, 10);

/** Webhook data nests the record under `attributes` and its timestamps under `meta`; REST has both at the top. */
const flatten = (input: PfRecord): Json => {
  if (!isObject(input.attributes)) return { ...input };
  const { attributes, meta, ...rest } = input;
  const times = isObject(meta) ? meta : {};
  return { ...rest, ...attributes, id: input.id, created_at: times.created_at ?? rest.created_at, updated_at: times.updated_at ?? rest.updated_at };
};

const namedRef = (value: unknown): NamedRef | null => {
  if (isObject(value)) return { ...value, id: typeof value.id === 'number' ? value.id : null, name: text(value.name) };
  return typeof value === 'string' ? { id: null, name: value } : null;
};

const composeName = (record: Json): string | null => {
  const parts = [record.first_name, record.middle_name, record.last_name].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return parts.length ? parts.join(' ') : null;
};

const customFields = (value: unknown): CustomField[] => {
  const entries: [string | null, unknown][] = Array.isArray(value) ? value.map((f) => [null, f]) : isObject(value) ? Object.entries(value) : [];
  return entries.flatMap(([key, field]) =>
    isObject(field) ? [{ uuid: text(field.uuid) ?? key, name: text(field.name), value: field.value ?? null, group: text(field.group) }] : [],
  );
};

const derivedStatus = (record: Json, today: string): string => {
  const [termination, hired, probationEnds] = [text(record.termination_effective_date), text(record.hired_on), text(record.probation_ends_on)];
  if (termination !== null && termination <= today) return 'dismissed';
  if (hired !== null && hired > today) return 'pending_hire';
  if (probationEnds !== null && today <= probationEnds) return 'probation';
  return 'employed';
};

const fillNulls = (record: Json, keys: readonly string[]): void => {
  for (const key of keys) record[key] = record[key] ?? null;
};

export const normalizeEmployee = (input: PfRecord, now: number): NormalizedEmployee => {
  const record = flatten(input);
  fillNulls(record, EMPLOYEE_FIELDS);
  for (const key of EMPLOYEE_REFS) record[key] = namedRef(record[key]);
  const manager = isObject(record.reporting_to) ? record.reporting_to : null;
  record.reporting_to = manager && { ...manager, full_name: text(manager.full_name) ?? composeName(manager) };
  const fields = customFields(record.custom_fields);
  const termination = text(record.termination_effective_date);
  const status = typeof record.status === 'string' && record.status !== '' ? record.status : derivedStatus(record, utcDay(now));
  return {
    ...record,
    id: input.id,
    status,
    active: typeof record.active === 'boolean' ? record.active : status === 'employed' || status === 'probation',
    full_name: text(record.full_name) || composeName(record),
    termination_effective_date: termination,
    custom_fields: fields,
    custom: Object.fromEntries(fields.flatMap((f) => (f.name === null ? [] : [[f.name, f.value]]))),
    created_at: text(record.created_at),
    updated_at: text(record.updated_at),
  };
};

const decimalText = (value: unknown): string | null => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);

export const normalizeLeaveRequest = (input: PfRecord): NormalizedLeaveRequest => {
  const { description, ...record } = flatten(input);
  fillNulls(record, LEAVE_FIELDS);
  const leaveType = namedRef(record.leave_type);
  const amount = decimalText(record.amount);
  const amountNumber = amount === null ? NaN : Number.parseFloat(amount);
  const entries = Array.isArray(record.entries) ? record.entries.filter(isObject) : [];
  return {
    ...record,
    id: input.id,
    employee_id: typeof record.employee_id === 'number' ? record.employee_id : null,
    state: text(record.state),
    leave_type: leaveType,
    unit: text(record.unit) ?? text(leaveType?.unit),
    amount,
    amount_number: Number.isFinite(amountNumber) ? amountNumber : null,
    comment: text(record.comment) ?? text(description),
    entries: entries.map((e) => ({ date: text(e.date) ?? text(e.occurs_on), amount: decimalText(e.amount) })),
    approvals: Array.isArray(record.approvals) ? record.approvals : [],
    created_at: text(record.created_at),
    updated_at: text(record.updated_at),
  };
};
