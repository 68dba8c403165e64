/** Every platform URL in one place; pages and redirects use these, never string literals. */
export const routes = {
  healthz: '/healthz',
  readyz: '/readyz',
  static: '/static',
  setup: '/setup',
  login: '/login',
  logout: '/logout',
  home: '/admin',
  settings: '/admin/settings',
  settingsDomain: (domain: string) => `/admin/settings/${encodeURIComponent(domain)}`,
  users: '/admin/users',
  user: (id: number) => `/admin/users/${id}`,
  audit: '/admin/audit',
  help: '/admin/help',
  helpTopic: (topic: string) => `/admin/help/${encodeURIComponent(topic)}`,
  account: '/admin/account',
  jobs: '/admin/jobs',
  jobsStream: '/admin/jobs/stream',
  /** Retry or delete every dead job matching the posted filter. */
  jobsDead: (action: 'retry' | 'delete') => `/admin/jobs/dead/${action}`,
  /** Retry or delete the posted ids[]. */
  jobsSelected: (action: 'retry' | 'delete') => `/admin/jobs/selected/${action}`,
  job: (id: number) => `/admin/jobs/${id}`,
  jobAction: (id: number, action: 'retry' | 'reschedule' | 'delete') => `/admin/jobs/${id}/${action}`,
  /** Diagnostics: cache, job pools and latency. */
  diagnostics: '/admin/io',
  /** The page's sections alone, polled by htmx. */
  diagnosticsLive: '/admin/io/live',
  /** Where the browser posts its timings (static/latency.js). */
  diagnosticsLatency: '/admin/io/latency',
  diagnosticsCache: (action: 'purge' | 'purge-prefix' | 'refresh') => `/admin/io/cache/${action}`,
  /** Credentials for /api/v1: list and create. */
  apiCredentials: '/admin/api/credentials',
  apiCredentialAction: (clientId: string, action: 'rotate' | 'retire' | 'revoke') => `/admin/api/credentials/${encodeURIComponent(clientId)}/${action}`,
  /** The OpenAPI document rendered as a page. */
  apiReference: '/admin/api/reference',
  /** The REST API: its root, one area's root (settings, jobs, a plugin's name), and the OpenAPI document. */
  api: '/api/v1',
  apiPath: (area: string) => `/api/v1/${area}`,
  apiDocument: '/api/v1/openapi.json',
  plugin: (name: string) => `/admin/${name}`,
  webhooks: (name: string) => `/hooks/${name}`,
} as const;
