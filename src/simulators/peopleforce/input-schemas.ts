import { z } from 'zod';

/** What the simulator's own write methods accept; PeopleForce's write API is not modelled (contract, uncertain 7). */
const day = z.iso.date();
const name = z.string().trim().min(1).max(200);
const refName = name.nullable().optional();

const employeeFields = {
  first_name: name,
  last_name: name,
  email: z.email(),
  middle_name: z.string().trim().max(200),
  personal_email: z.email().nullable(),
  mobile_number: z.string().trim().max(40),
  work_phone_number: z.string().trim().max(40),
  date_of_birth: day.nullable(),
  gender: z.enum(['male', 'female', 'other']).nullable(),
  avatar_url: z.url().nullable(),
  employee_number: z.string().trim().min(1).max(40),
  hired_on: day,
  probation_ends_on: day.nullable(),
  /** Catalog entries by name; a new name adds an entry. */
  position: refName,
  department: refName,
  division: refName,
  location: refName,
  employment_type: refName,
  reporting_to_id: z.number().int().positive().nullable(),
  /** Values keyed by custom field name or uuid. */
  custom_fields: z.record(z.string(), z.string().max(200).nullable()),
};

export const hireSchema = z
  .object({
    ...employeeFields,
    middle_name: employeeFields.middle_name.optional(),
    personal_email: employeeFields.personal_email.optional(),
    mobile_number: employeeFields.mobile_number.optional(),
    work_phone_number: employeeFields.work_phone_number.optional(),
    date_of_birth: employeeFields.date_of_birth.optional(),
    gender: employeeFields.gender.optional(),
    avatar_url: employeeFields.avatar_url.optional(),
    employee_number: employeeFields.employee_number.optional(),
    hired_on: employeeFields.hired_on.optional(),
    probation_ends_on: employeeFields.probation_ends_on.optional(),
    reporting_to_id: employeeFields.reporting_to_id.optional(),
    custom_fields: employeeFields.custom_fields.optional(),
  })
  .strict();
export type HireInput = z.input<typeof hireSchema>;

export const employeeChangesSchema = z
  .object(employeeFields)
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, { message: 'Give at least one field to change' });
export type EmployeeChanges = z.input<typeof employeeChangesSchema>;

export const terminateSchema = z.object({ on: day.optional(), comment: z.string().trim().max(1000).optional() }).strict();
export type TerminateInput = z.input<typeof terminateSchema>;

export const leaveRequestSchema = z
  .object({
    employee_id: z.number().int().positive(),
    /** A leave type id or name. */
    leave_type: z.union([z.number().int().positive(), name]),
    starts_on: day,
    ends_on: day,
    comment: z.string().trim().max(1000).optional(),
    /** For hour-based leave types: hours taken on each working day. */
    hours_per_day: z.number().positive().max(24).optional(),
  })
  .strict()
  .refine((l) => l.ends_on >= l.starts_on, { message: 'ends_on must not be before starts_on', path: ['ends_on'] });
export type LeaveRequestInput = z.input<typeof leaveRequestSchema>;

export const webhookConfigSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    secret: z.string().min(1).max(500).optional(),
    /** PeopleForce topic names (underscore + verb); none means every topic. */
    topics: z.array(z.string().regex(/^[a-z]+(_[a-z]+)+$/, 'Topics look like employee_create')).optional(),
  })
  .strict();
export type WebhookConfig = z.output<typeof webhookConfigSchema>;

export const simConfigSchema = z.object({ rateLimitPerMinute: z.number().int().min(0).max(1_000_000).optional() }).strict();
