import { Hono } from 'hono';
import { FaultInjector, startSimServer, type SimEnv } from '../sim-kit.js';
import { apiRoutes } from './api-routes.js';
import { isoDay } from './calendar.js';
import { toRestEmployee, type RestEmployee } from './employee-views.js';
import {
  hireEmployee,
  revertTermination,
  runNightly,
  terminateEmployee,
  updateEmployee,
  type NightlyEvent,
} from './employee-actions.js';
import type { HrContext } from './hr-context.js';
import { simConfigSchema, webhookConfigSchema, type EmployeeChanges, type HireInput, type LeaveRequestInput, type TerminateInput, type WebhookConfig } from './input-schemas.js';
import { addLeaveRequest, approveLeaveRequest } from './leave-actions.js';
import { toRestLeaveRequest, type RestLeaveRequest } from './leave-views.js';
import { RateLimiter } from './rate-limiter.js';
import { parseInput, SimError } from './sim-error.js';
import { simRoutes } from './sim-routes.js';
import { createState, sortedEmployees, sortedLeaveRequests, type SimState } from './sim-state.js';
import { WEBHOOK_TOPICS } from './webhook-topics.js';
import { WebhookSender, type Delivery } from './webhook-sender.js';

export const DEFAULT_API_KEY = 'demo-pf-key';
/** Both prefixes serve the same shapes until the team learns they differ (contract §1). */
export const API_PREFIXES = ['/api/public/v2', '/api/public/v3'] as const;

export interface PeopleForceSimulatorOptions {
  apiKey?: string;
  /** Epoch ms; "today" for hire and termination dates is its UTC day. */
  clock?: () => number;
  /** false starts an empty company (the catalogs and leave types stay). */
  seed?: boolean;
  webhook?: WebhookConfig;
  rateLimitPerMinute?: number;
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs?: number;
}

export interface SimConfig {
  rateLimitPerMinute?: number;
}

export interface PeopleForceSimulator {
  app: Hono<SimEnv>;
  state: SimState;
  faults: FaultInjector;
  today(): string;
  employee(id: number): RestEmployee | undefined;
  hire(input: HireInput): RestEmployee;
  update(id: number, changes: EmployeeChanges): RestEmployee;
  terminate(id: number, input?: TerminateInput): RestEmployee;
  revertTermination(id: number): RestEmployee;
  addLeaveRequest(input: LeaveRequestInput): RestLeaveRequest;
  approveLeave(id: number): RestLeaveRequest;
  /** Fires employee_start / employee_terminate for dates that have arrived, as PeopleForce does each night. */
  runNightly(): NightlyEvent[];
  setWebhook(config: WebhookConfig): PublicWebhookConfig;
  clearWebhook(): void;
  /** A raw delivery of any envelope, ignoring the topic filter; rejects when no webhook is set. */
  sendWebhook(topic: string, data: unknown): Promise<Delivery>;
  deliveries(): Delivery[];
  /** Resolves once every queued webhook delivery has finished. */
  webhooksIdle(): Promise<void>;
  configure(config: SimConfig): Required<SimConfig>;
  /** Back to the starting data; the webhook and rate limit settings stay, faults and logs go. */
  reset(): void;
  snapshot(): SimSnapshot;
}

/** The webhook settings as shown on /__sim: whether a secret is set, never the secret. */
export interface PublicWebhookConfig {
  url: string;
  topics: string[];
  hasSecret: boolean;
}

export type SimSnapshot = ReturnType<typeof buildSnapshot>;

const publicWebhook = (config: WebhookConfig | undefined): PublicWebhookConfig | null =>
  config ? { url: config.url, topics: config.topics ?? [], hasSecret: config.secret !== undefined } : null;

const newCounters = () => ({ apiRequests: 0, unauthorized: 0, rateLimited: 0 });

const buildSnapshot = (
  state: SimState,
  today: string,
  webhooks: WebhookSender,
  counters: ReturnType<typeof newCounters>,
  rateLimiter: RateLimiter,
  faults: FaultInjector,
) => ({
  today,
  employees: sortedEmployees(state).map((e) => toRestEmployee(state, e, today)),
  leaveRequests: sortedLeaveRequests(state).map((l) => toRestLeaveRequest(state, l)),
  leaveTypes: state.catalogs.leaveTypes,
  catalogs: {
    departments: state.catalogs.departments,
    positions: state.catalogs.positions,
    divisions: state.catalogs.divisions,
    locations: state.catalogs.locations,
    employmentTypes: state.catalogs.employmentTypes,
    customFields: state.catalogs.customFields,
  },
  webhook: publicWebhook(webhooks.config),
  webhookTopics: WEBHOOK_TOPICS,
  deliveries: webhooks.deliveries(),
  config: { rateLimitPerMinute: rateLimiter.perMinute },
  faults: faults.list(),
  counters: { ...counters, webhooksDelivered: webhooks.delivered, webhooksFailed: webhooks.failed, faultsInjected: faults.injected },
});

export const createPeopleForceSimulator = (options: PeopleForceSimulatorOptions = {}): PeopleForceSimulator => {
  const now = options.clock ?? Date.now;
  const seed = options.seed !== false;
  const today = () => isoDay(now());
  const state = createState({ seed, now: now() });
  const faults = new FaultInjector();
  const rateLimiter = new RateLimiter(now, options.rateLimitPerMinute ?? 0);
  const counters = newCounters();
  const webhooks = new WebhookSender({ now, retryDelaysMs: options.webhookRetryDelaysMs, timeoutMs: options.webhookTimeoutMs });
  if (options.webhook) webhooks.configure(parseInput(webhookConfigSchema, options.webhook));
  const ctx: HrContext = { state, now, today, emit: (topic, data) => webhooks.notify(topic, data) };

  const app = new Hono<SimEnv>();
  const sim: PeopleForceSimulator = {
    app,
    state,
    faults,
    today,
    employee: (id) => {
      const e = state.employees.get(id);
      return e && toRestEmployee(state, e, today());
    },
    hire: (input) => hireEmployee(ctx, input),
    update: (id, changes) => updateEmployee(ctx, id, changes),
    terminate: (id, input) => terminateEmployee(ctx, id, input),
    revertTermination: (id) => revertTermination(ctx, id),
    addLeaveRequest: (input) => addLeaveRequest(ctx, input),
    approveLeave: (id) => approveLeaveRequest(ctx, id),
    runNightly: () => runNightly(ctx),
    setWebhook: (config) => {
      webhooks.configure(parseInput(webhookConfigSchema, config));
      return publicWebhook(webhooks.config) as PublicWebhookConfig;
    },
    clearWebhook: () => webhooks.configure(undefined),
    sendWebhook: (topic, data) => {
      if (!webhooks.config) return Promise.reject(new SimError(409, 'No webhook is configured'));
      return webhooks.send(topic, data);
    },
    deliveries: () => webhooks.deliveries(),
    webhooksIdle: () => webhooks.idle(),
    configure: (config) => {
      const data = parseInput(simConfigSchema, config);
      if (data.rateLimitPerMinute !== undefined) {
        rateLimiter.perMinute = data.rateLimitPerMinute;
        rateLimiter.reset();
      }
      return { rateLimitPerMinute: rateLimiter.perMinute };
    },
    reset: () => {
      Object.assign(state, createState({ seed, now: now() }));
      Object.assign(counters, newCounters());
      webhooks.clearLog();
      faults.clear();
      faults.injected = 0;
      rateLimiter.reset();
    },
    snapshot: () => buildSnapshot(state, today(), webhooks, counters, rateLimiter, faults),
  };

  app.onError((err, c) => (err instanceof SimError ? c.json(err.body, err.status) : c.json({ message: 'Internal Server Error' }, 500)));
  app.notFound((c) => c.json({ message: 'Not Found' }, 404));
  app.route('/__sim', simRoutes(sim));
  app.use('*', faults.middleware());
  const api = apiRoutes({ state, apiKey: options.apiKey ?? DEFAULT_API_KEY, today, rateLimiter, counters });
  for (const prefix of API_PREFIXES) app.route(prefix, api);
  return sim;
};

export interface RunningPeopleForceSimulator {
  url: string;
  port: number;
  close(): Promise<void>;
  sim: PeopleForceSimulator;
}

/** Serves a simulator over HTTP; port 0 picks a free port (what tests use). */
export const startPeopleForceSimulator = async (
  options: PeopleForceSimulatorOptions & { port: number; host?: string },
): Promise<RunningPeopleForceSimulator> => {
  const sim = createPeopleForceSimulator(options);
  const server = await startSimServer(sim.app, options.port, options.host);
  return { ...server, sim };
};
