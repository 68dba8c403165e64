/** Where an event came from. A replay re-runs a stored event against the current rules. */
export type EventSource = 'webhook' | 'poll' | 'replay';

export type EntityType = 'employee' | 'leave_request';

/** The one shape every inbound change takes, whether it arrived by webhook or by polling. */
export interface EventEnvelope {
  source: EventSource;
  /** PeopleForce's topic name: employee_create, employee_update, employee_terminate, leave_request_approve, … */
  type: string;
  entityType: EntityType;
  entityId: string;
  /** Epoch ms: when PeopleForce says the change happened. */
  occurredAt: number;
  /** The normalized record (see peopleforce/normalize.ts): what rules and mappings look into. */
  payload: Record<string, unknown>;
}

export const entityKeyOf = (e: { entityType: string; entityId: string }): string => `${e.entityType}:${e.entityId}`;
