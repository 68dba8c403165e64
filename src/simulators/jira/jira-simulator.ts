import { Hono } from 'hono';
import { FaultInjector, startSimServer, type RunningSim, type SimEnv } from '../sim-kit.js';
import { burstLimit } from './burst-limit.js';
import { deleteIssue, findIssue } from './issue-writes.js';
import { issueRoutes } from './issue-routes.js';
import * as admin from './jira-admin.js';
import { basicAuth, type Credentials } from './jira-auth.js';
import { JiraApiError, jiraError } from './jira-errors.js';
import type { FieldDef, FieldOption, JiraSimContext, JiraState, SimConfig, SimProject, SimUser } from './jira-model.js';
import { createState, DEMO_EMAIL, DEMO_TOKEN } from './jira-seed.js';
import { metaRoutes } from './meta-routes.js';
import { searchRoutes } from './search-routes.js';
import { simRoutes } from './sim-routes.js';
import { snapshotOf, type SimSnapshot } from './sim-snapshot.js';

export interface JiraSimulatorOptions {
  email?: string;
  apiToken?: string;
  /** How long a write stays invisible to JQL (contract §5); 0 by default. */
  indexDelayMs?: number;
  clock?: () => number;
  /** false starts an empty site (system fields, Task, the signed-in account only). */
  seed?: boolean;
}

export interface JiraSimulator extends JiraSimContext {
  app: Hono<SimEnv>;
  faults: FaultInjector;
  credentials: Credentials;
  configure(input: admin.ConfigInput): SimConfig;
  addProject(input: admin.ProjectInput): SimProject;
  addUser(input: admin.UserInput): SimUser;
  setFieldRequired(input: admin.RequiredInput): void;
  removeOption(input: admin.RemoveOptionInput): FieldOption;
  addOption(input: admin.AddOptionInput): FieldOption;
  removeFieldFromScreen(input: admin.ScreenFieldInput): void;
  addFieldToScreen(input: admin.AddFieldInput): FieldDef;
  deleteIssue(idOrKey: string): void;
  /** Back to the state the simulator started with: seed, options' config, no faults, zeroed counters. */
  reset(): void;
  snapshot(): SimSnapshot;
}

/** A contract-enforcing Jira Cloud (REST v3 + Agile 1.0) in memory, served by Hono. */
export const createJiraSimulator = (options: JiraSimulatorOptions = {}): JiraSimulator => {
  const credentials: Credentials = { email: options.email ?? DEMO_EMAIL, apiToken: options.apiToken ?? DEMO_TOKEN };
  const initialConfig: SimConfig = { indexDelayMs: options.indexDelayMs ?? 0, burstLimit: 0 };
  const fresh = () => createState(initialConfig, credentials.email, options.seed !== false);
  const clock = options.clock ?? Date.now;
  let state: JiraState = fresh();
  const app = new Hono<SimEnv>();
  const faults = new FaultInjector();

  const sim: JiraSimulator = {
    app,
    faults,
    credentials,
    get state() {
      return state;
    },
    now: clock,
    configure(input) {
      Object.assign(state.config, admin.parseInput(admin.configInputSchema, input));
      return { ...state.config };
    },
    addProject: (input) => admin.addProject(state, input),
    addUser: (input) => admin.addUser(state, input),
    setFieldRequired: (input) => admin.setFieldRequired(state, input),
    removeOption: (input) => admin.removeOption(state, input),
    addOption: (input) => admin.addOption(state, input),
    removeFieldFromScreen: (input) => admin.removeFieldFromScreen(state, input),
    addFieldToScreen: (input) => admin.addFieldToScreen(state, input),
    deleteIssue(idOrKey) {
      if (!findIssue(state, idOrKey)) throw new admin.SimInputError(`No issue '${idOrKey}'.`, 404);
      deleteIssue(state, idOrKey, clock());
    },
    reset() {
      state = fresh();
      faults.clear();
    },
    snapshot: () => snapshotOf(state),
  };

  app.use(faults.middleware());
  app.use(burstLimit(() => state.config.burstLimit, clock));
  app.use(basicAuth(credentials));
  app.route('/__sim', simRoutes(sim));
  app.route('/', metaRoutes(sim, () => credentials.email));
  app.route('/', issueRoutes(sim));
  app.route('/', searchRoutes(sim));
  app.notFound((c) => c.json(jiraError([`No resource at ${c.req.method} ${c.req.path}.`]), 404));
  app.onError((err, c) => {
    if (err instanceof JiraApiError) return c.json(err.body, err.status);
    if (err instanceof admin.SimInputError) return c.json({ error: err.message }, err.status);
    return c.json(jiraError([`Internal simulator error: ${err.message}`]), 500);
  });
  return sim;
};

export interface StartedJiraSimulator extends RunningSim {
  sim: JiraSimulator;
}

/** Creates a simulator and serves it; port 0 picks a free port. */
export const startJiraSimulator = async (options: JiraSimulatorOptions & { port: number; host?: string }): Promise<StartedJiraSimulator> => {
  const sim = createJiraSimulator(options);
  const running = await startSimServer(sim.app, options.port, options.host);
  return { ...running, sim };
};
