/**
 * What an API credential may do. Each scope's sentence is shown beside its
 * checkbox on the credentials page and in the OpenAPI reference.
 */
export const API_SCOPES = {
  'rules:read': 'List and read rules, and preview what a rule would do to an employee.',
  'rules:write': 'Create, change, reorder, validate, enable, disable and delete rules.',
  'settings:read': 'Read integration settings; secret settings only show whether they are stored.',
  'settings:write': 'Change integration settings and turn master switches on or off.',
  'sync:run': 'Start a sync now (PeopleForce poll, BQE sync).',
  'jobs:read': 'List and search background jobs.',
  'jobs:write': 'Retry or discard background jobs.',
  'events:read': 'Read dead letters and the event trace.',
  'events:write': 'Retry, discard or replay dead letters.',
  'bqe:read': 'Read BQE connection status and the mirrored projects and clients.',
} as const satisfies Record<string, string>;

export type ApiScope = keyof typeof API_SCOPES;

export const API_SCOPE_NAMES = Object.keys(API_SCOPES) as ApiScope[];

export const isApiScope = (value: string): value is ApiScope => Object.hasOwn(API_SCOPES, value);
