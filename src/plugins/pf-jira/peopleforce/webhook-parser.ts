import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EntityType, EventEnvelope } from '../events/envelope.js';
import { normalizeEmployee, normalizeLeaveRequest } from './normalize.js';

/**
 * Topics whose payload is the employee profile or the leave request itself
 * (contract §6). Sub-record topics (employee_position_*, employee_salary_*, …)
 * carry another record whose shape is not documented, so they are refused
 * rather than mistaken for an employee.
 */
export const WEBHOOK_TOPICS: ReadonlyMap<string, EntityType> = new Map([
  ['employee_create', 'employee'],
  ['employee_update', 'employee'],
  ['employee_start', 'employee'],
  ['employee_terminate', 'employee'],
  ['employee_termination_revert', 'employee'],
  ['leave_request_create', 'leave_request'],
  ['leave_request_approve', 'leave_request'],
  ['leave_request_reject', 'leave_request'],
  ['leave_request_withdraw', 'leave_request'],
]);

export type ParseResult =
  | { ok: true; envelope: EventEnvelope; dedupeKey: string }
  | { ok: false; code: 'invalid_payload' | 'unsupported_action'; message: string };

const text = z.string().nullable().optional();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD').nullable().optional();
const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 timestamp').nullable().optional();
const ref = z.looseObject({ id: z.int().nullable().optional(), name: text }).nullable().optional();
const meta = z.looseObject({ created_at: timestamp, updated_at: timestamp }).optional();

const employeeData = z.looseObject({
  attributes: z.looseObject({
    employee_number: text,
    first_name: text,
    middle_name: text,
    last_name: text,
    email: text,
    personal_email: text,
    gender: text,
    mobile_number: text,
    work_phone_number: text,
    avatar_url: text,
    termination_comment: text,
    hired_on: day,
    probation_ends_on: day,
    date_of_birth: day,
    termination_effective_date: day,
  }),
  reporting_to: z.looseObject({ id: z.int().nullable().optional(), full_name: text, email: text }).nullable().optional(),
  employment_type: ref,
  position: ref,
  department: ref,
  division: ref,
  location: ref,
  custom_fields: z.union([z.record(z.string(), z.looseObject({ name: text, group: text })), z.array(z.looseObject({ uuid: text, name: text, group: text }))]).nullable().optional(),
  meta,
});

const leaveRequestData = z.looseObject({
  attributes: z.looseObject({
    employee_id: z.int().nullable().optional(),
    starts_on: day,
    ends_on: day,
    amount: text,
    description: text,
    unit: text,
    state: text,
  }),
  entries: z.array(z.looseObject({ occurs_on: day, amount: text })).nullable().optional(),
  leave_type: ref,
  meta,
});

const envelope = z.object({ action: z.string().min(1), data: z.looseObject({ id: z.int().positive() }) });

const invalid = (message: string): ParseResult => ({ ok: false, code: 'invalid_payload', message });

const describeIssue = (error: z.ZodError, prefix: string): string => {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return `${path || 'The body'}: ${issue?.message ?? 'invalid'}`;
};

/**
 * Turns a (verified) delivery into an event. The dedupe key is the body's
 * hash: PeopleForce re-sends the same bytes when it retries, and a different
 * change of the same record has a different body.
 */
export const parseWebhook = (rawBody: string, now: number): ParseResult => {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return invalid('The body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('The body must be a JSON object with "action" and "data".');
  if (!('action' in body) || typeof body.action !== 'string' || body.action === '') return invalid('The body has no "action" naming the PeopleForce topic.');
  const entityType = WEBHOOK_TOPICS.get(body.action);
  if (!entityType) {
    return { ok: false, code: 'unsupported_action', message: `The topic "${body.action}" is not handled here. Supported topics: ${[...WEBHOOK_TOPICS.keys()].join(', ')}.` };
  }
  const top = envelope.safeParse(body);
  if (!top.success) {
    return invalid(top.error.issues.some((i) => i.path[0] === 'data' && i.path[1] === 'id') ? 'data.id must be the record\'s integer id.' : describeIssue(top.error, ''));
  }
  const data = top.data.data;
  const checked = (entityType === 'employee' ? employeeData : leaveRequestData).safeParse(data);
  if (!checked.success) return invalid(describeIssue(checked.error, 'data'));
  const updatedAt = checked.data.meta?.updated_at;
  return {
    ok: true,
    envelope: {
      source: 'webhook',
      type: top.data.action,
      entityType,
      entityId: String(data.id),
      occurredAt: updatedAt ? Date.parse(updatedAt) : now,
      payload: entityType === 'employee' ? normalizeEmployee(data, now) : normalizeLeaveRequest(data),
    },
    dedupeKey: `webhook:${createHash('sha256').update(rawBody).digest('hex')}`,
  };
};
