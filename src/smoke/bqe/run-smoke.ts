import fs from 'node:fs';
import path from 'node:path';
import { allowedQueryKeys } from '../../plugins/bqe/api/list-query.js';
import { loadProvider, requiredScopes } from '../../plugins/bqe/provider.js';
import { addConnection, checkPageCounts, connect, saveOffset, signIn, storedSealed, testConnection } from './connection-steps.js';
import { SmokeBrowser } from './smoke-browser.js';
import { createSmokeChecks, SmokeStopped } from './smoke-checks.js';
import { reportedRun, reportStamp, summaryLines, writeReport, type ReportedRun, type SmokeReport } from './smoke-report.js';
import { apiRequests, hubRequests, type SmokeRun } from './smoke-run.js';
import { startSmokeStack } from './smoke-stack.js';
import { simOperator } from './sim-operator.js';
import { changeSimulator, checkFullRequests, compareMirror, delta, fullResync, sync } from './sync-steps.js';
import { allAnswered, bearerJsonOnEvery, offsetOnEvery, onlyAllowedQueryKeys, pageParamOnEvery } from './wire-checks.js';

export interface SmokeOptions {
  /** Where the report (.json, .md) and the hub's log (.log) are written. */
  reportsDir: string;
  /** Receives the summary, one line at a time. */
  print?: (line: string) => void;
  /** Seeded in the simulator; the default gives three project pages at the shipped page size. */
  projects?: number;
  clients?: number;
  /** The offset saved on the connection (minutes east of UTC). */
  utcOffsetMinutes?: number;
  /** The longest one Sync now or Full re-sync may take, all its slices included. */
  syncTimeoutMs?: number;
}

export interface SmokeResult {
  passed: boolean;
  report: SmokeReport;
  files: { json: string; markdown: string };
}

const DEFAULTS = { projects: 2_500, clients: 40, utcOffsetMinutes: -300, syncTimeoutMs: 60_000 };
/** Requests the simulator keeps in its log: every one the run makes, to compare with the proxy's record. */
const SIM_REQUEST_LOG = 10_000;

/** What every request to BQE's API looked like, over the whole run. */
const checkWire = async (run: SmokeRun): Promise<void> => {
  const { meta, checks } = run;
  const api = apiRequests(run);
  const record = (name: string, v: { ok: boolean; detail: string }) => checks.record(name, v.ok, v.detail);
  record(`no query key other than ${[...allowedQueryKeys(meta)].join(', ')} reached the BQE API`, onlyAllowedQueryKeys(api, allowedQueryKeys(meta)));
  record(`every API request carried ${meta.api.utcOffsetHeader}: ${run.options.utcOffsetMinutes}`, offsetOnEvery(api, meta.api.utcOffsetHeader, run.options.utcOffsetMinutes));
  record('every API request carried a Bearer token and asked for JSON', bearerJsonOnEvery(api));
  record('every list request used the one documented page parameter, page=<number>,<size>', pageParamOnEvery(api, meta.api.paging.pageSize));
  record('BQE answered every request the hub made with 2xx', allAnswered(hubRequests(run)));

  const state = await run.sim.state();
  const refused = { rateLimited: state.counters.rateLimited, badRequests: state.counters.badRequests, unauthorized: state.counters.unauthorized, forbidden: state.counters.forbidden };
  checks.record('the simulator refused nothing: no 429, 400, 401 or 403', Object.values(refused).every((n) => n === 0), Object.entries(refused).map(([k, v]) => `${k} ${v}`).join(', '));
  const key = (r: { method: string; path: string; query: Record<string, string | string[]> }) => JSON.stringify([r.method, r.path, r.query]);
  const simSide = state.requests.filter((r) => r.path.startsWith(`${run.apiPath}/`)).map(key).sort();
  const wireSide = api.map(key).sort();
  checks.record('the simulator logged exactly the API requests the proxy saw', JSON.stringify(simSide) === JSON.stringify(wireSide), `simulator ${simSide.length}, proxy ${wireSide.length}`);
};

/** The scenario, in order; a failed check the rest depends on stops it (SmokeStopped). */
const steps = async (run: SmokeRun, connection: { id?: number }): Promise<void> => {
  await signIn(run);
  const id = await addConnection(run);
  connection.id = id;
  await connect(run, id);
  storedSealed(run, id);
  await saveOffset(run, id);
  await testConnection(run, id);

  const full = await sync(run, id, 'full', 'the first sync (Full re-sync) runs to the end for projects and clients');
  checkFullRequests(run, full.mark, full.runs, 'the full sync reads every page in order with page=<n>,<size> and orderBy=lastUpdated asc, without a where filter');
  compareMirror(run, id, 'project', await run.sim.projects(), "the project mirror holds exactly the simulator's projects (GUIDs, names, parents, legacy ids)");
  compareMirror(run, id, 'client', await run.sim.clients(), "the client mirror holds exactly the simulator's clients (GUIDs, names, legacy ids)");

  const changes = await changeSimulator(run);
  await delta(run, id, changes);
  await fullResync(run, id, changes);
  await checkPageCounts(run, id);
  await checkWire(run);
};

/** Every run of the connection, oldest first. */
const runsOf = (run: SmokeRun, id: number | undefined): ReportedRun[] =>
  id === undefined ? [] : run.stack.syncRepo.history(id, { limit: run.meta.sync.historyKept }).reverse().map(reportedRun);

/**
 * `npm run bqe:smoke`: OAuth, a full sync, changes in BQE, a delta sync and a
 * full re-sync, driven through the hub's own pages against the simulator,
 * with every request to BQE recorded. Writes reports/bqe-smoke-<time>.json
 * and .md (and the hub's log beside them) and prints a summary.
 */
export const runBqeSmoke = async (options: SmokeOptions): Promise<SmokeResult> => {
  const settings = {
    projects: options.projects ?? DEFAULTS.projects,
    clients: options.clients ?? DEFAULTS.clients,
    utcOffsetMinutes: options.utcOffsetMinutes ?? DEFAULTS.utcOffsetMinutes,
    syncTimeoutMs: options.syncTimeoutMs ?? DEFAULTS.syncTimeoutMs,
  };
  const meta = loadProvider();
  const started = new Date();
  const stamp = reportStamp(started);
  fs.mkdirSync(options.reportsDir, { recursive: true });
  const logFile = path.join(options.reportsDir, `bqe-smoke-${stamp}.log`);
  const stack = await startSmokeStack({ projects: settings.projects, clients: settings.clients, logFile, utcOffsetHeader: meta.api.utcOffsetHeader, requestLogSize: SIM_REQUEST_LOG });
  const run: SmokeRun = {
    options: settings,
    meta,
    stack,
    sim: simOperator(stack.sim.url),
    browser: new SmokeBrowser(stack.hubUrl),
    checks: createSmokeChecks(),
    secrets: [],
    apiPath: new URL(stack.sim.apiBase).pathname,
    identityPath: new URL(stack.sim.identityUrl).pathname,
  };

  const connection: { id?: number } = {};
  let error: string | null = null;
  try {
    await steps(run, connection);
  } catch (err) {
    error = err instanceof SmokeStopped ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
  }

  const id = connection.id;
  const simState = await run.sim.state().catch(() => undefined);
  const counts: SmokeReport['counts'] = {
    requests: { total: 0, api: 0, identity: 0, byPath: {} },
    simulator: { projects: simState?.counts.projects ?? 0, clients: simState?.counts.clients ?? 0 },
    mirror: id === undefined ? { projects: { active: 0, deleted: 0 }, clients: { active: 0, deleted: 0 } } : { projects: stack.mirrors.projectCounts(id), clients: stack.mirrors.clientCounts(id) },
    runs: runsOf(run, id),
  };
  await stack.stop();

  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile) : Buffer.alloc(0);
  const inLog = run.secrets.filter((s) => log.includes(s)).length;
  run.checks.record("the hub's log holds no token, authorization code or client secret", run.secrets.length > 0 && log.length > 0 && inLog === 0, `${run.secrets.length} secret values looked for in ${log.length} bytes of log; found ${inLog}`);

  const requests = stack.proxy.requests();
  counts.requests = {
    total: requests.length,
    api: requests.filter((r) => r.path.startsWith(`${run.apiPath}/`)).length,
    identity: requests.filter((r) => r.path.startsWith(`${run.identityPath}/`)).length,
    byPath: requests.reduce<Record<string, number>>((acc, r) => ({ ...acc, [`${r.method} ${r.path}`]: (acc[`${r.method} ${r.path}`] ?? 0) + 1 }), {}),
  };
  const passed = run.checks.passed() && error === null;
  if (passed) fs.rmSync(stack.dataDir, { recursive: true, force: true });
  const finished = new Date();
  const report: SmokeReport = {
    tool: 'bqe-smoke',
    passed,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    setup: {
      node: process.version,
      hubUrl: stack.hubUrl,
      bqeUrl: stack.proxy.url,
      identityUrl: stack.sim.identityUrl,
      apiBase: stack.sim.apiBase,
      simulator: { projects: settings.projects, clients: settings.clients, rateLimitPerMinute: stack.sim.sim.config().rateLimitPerMinute, strictUtcOffset: stack.sim.sim.config().strictUtcOffset },
      provider: { pageSize: meta.api.paging.pageSize, firstPage: meta.api.paging.firstPage, requestsPerMinute: meta.rateLimits.perConnection.requestsPerMinute, overlapSeconds: meta.sync.overlapSeconds, scopes: requiredScopes(meta) },
      utcOffsetMinutes: settings.utcOffsetMinutes,
      hubLog: logFile,
      dataDir: passed ? null : stack.dataDir,
    },
    checks: run.checks.list(),
    requests,
    counts,
    error,
  };
  const files = writeReport(options.reportsDir, stamp, report);
  for (const line of summaryLines(report, files)) options.print?.(line);
  return { passed, report, files };
};
