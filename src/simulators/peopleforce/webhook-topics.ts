/** The PeopleForce webhook topics this simulator fires (a subset of contract §6). */
export const WEBHOOK_TOPICS = [
  'employee_create',
  'employee_update',
  'employee_start',
  'employee_terminate',
  'employee_termination_revert',
  'leave_request_create',
  'leave_request_approve',
] as const;

export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];
