import type { EventEnvelope } from '../events/envelope.js';

const LABELS: Record<string, string> = {
  employee_create: 'new employee',
  employee_update: 'employee change',
  employee_start: 'first day',
  employee_terminate: 'termination',
  employee_termination_revert: 'termination reverted',
  leave_request_create: 'leave request',
  leave_request_approve: 'leave approved',
};

/** A readable name for a PeopleForce topic ("employee_terminate" → "termination"). */
export const eventLabel = (type: string): string => LABELS[type] ?? type.replace(/_/g, ' ');

/**
 * The payload mappings read: the normalized PeopleForce record plus `_event`
 * (type, label, source, entity, subject, occurredAt), so a template can say what happened.
 */
export const mappingPayload = (event: Omit<EventEnvelope, 'source'> & { source: string }): Record<string, unknown> => ({
  ...event.payload,
  _event: {
    type: event.type,
    label: eventLabel(event.type),
    source: event.source,
    entity: `${event.entityType}:${event.entityId}`,
    /** Who or what the event is about, whatever the record type: a person's name, else the record. */
    subject: typeof event.payload.full_name === 'string' && event.payload.full_name ? event.payload.full_name : `${event.entityType.replace('_', ' ')} ${event.entityId}`,
    occurredAt: Number.isFinite(event.occurredAt) ? new Date(event.occurredAt).toISOString() : '',
  },
});
