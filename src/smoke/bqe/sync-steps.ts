import { setTimeout as sleep } from 'node:timers/promises';
import { compareNaive, formatNaive, naiveToEpochMs, shiftNaive } from '../../plugins/bqe/bqe-time.js';
import type { SyncObject } from '../../plugins/bqe/db/sync-repository.js';
import { OBJECT_NAMES } from '../../plugins/bqe/provider.js';
import { bqeRoutes } from '../../plugins/bqe/web/bqe-routes.js';
import { whereBuilder } from '../../plugins/bqe/where-clause.js';
import type { SimRecord } from './sim-operator.js';
import { answered, describeRuns, flashOf, lastSeq, listRequests, type Runs, type SmokeRun } from './smoke-run.js';

const RENAMED = ' (renamed by the smoke run)';
const POLL_MS = 100;

const latestRuns = (run: SmokeRun, id: number): Runs => Object.fromEntries(OBJECT_NAMES.map((o) => [o, run.stack.syncRepo.latestRun(id, o)])) as Runs;

/** Presses Sync now or Full re-sync and waits (polling the database) until a new run of every object has ended. */
export const sync = async (run: SmokeRun, id: number, mode: 'delta' | 'full', name: string) => {
  const { browser, stack } = run;
  const before = latestRuns(run, id);
  const mark = lastSeq(run);
  const startedAt = Date.now();
  await browser.get(bqeRoutes.connection(id));
  const answer = await browser.post(bqeRoutes.connectionSync(id, mode));
  const page = answer.location ? await browser.get(answer.location) : undefined;
  const deadline = Date.now() + run.options.syncTimeoutMs;
  let runs = latestRuns(run, id);
  const ended = () =>
    OBJECT_NAMES.every((o) => {
      const latest = runs[o];
      return latest !== undefined && latest.id > (before[o]?.id ?? 0) && latest.status !== 'running' && (stack.syncRepo.getCursor(id, o)?.activeRunId ?? null) === null;
    });
  while (!ended() && Date.now() < deadline) {
    await sleep(POLL_MS);
    runs = latestRuns(run, id);
  }
  const ok = answer.status === 303 && ended() && OBJECT_NAMES.every((o) => runs[o]?.mode === mode && runs[o]?.status === 'succeeded');
  run.checks.require(
    name,
    ok,
    `${answered(`POST ${bqeRoutes.connectionSync(id, mode)}`, answer)}; notice: ${flashOf(page?.text ?? '')}; ${ended() ? '' : `not finished after ${run.options.syncTimeoutMs} ms; `}${describeRuns(runs)}`,
  );
  return { runs, mark, startedAt };
};

/** The full run's requests: every page in order, `page=<n>,<size>`, ordered by the cursor field, no `where`. */
export const checkFullRequests = (run: SmokeRun, mark: number, runs: Runs, name: string): void => {
  const { meta } = run;
  const problems: string[] = [];
  const seen: string[] = [];
  for (const object of OBJECT_NAMES) {
    const list = listRequests(run, object, mark);
    seen.push(`${object}: ${list.map((r) => `page=${String(r.query[meta.api.paging.param])}`).join(', ') || 'no request'}`);
    if (list.length !== runs[object]?.pages) problems.push(`${object}: ${list.length} requests for ${runs[object]?.pages ?? 0} pages`);
    list.forEach((r, i) => {
      if (r.query[meta.api.paging.param] !== `${meta.api.paging.firstPage + i},${meta.api.paging.pageSize}`) problems.push(`${object} request ${i + 1} asked for page=${String(r.query[meta.api.paging.param])}`);
      if (r.query[meta.api.whereParam] !== undefined) problems.push(`${object} request ${i + 1} sent where=${String(r.query[meta.api.whereParam])}`);
      if (r.query[meta.api.orderByParam] !== `${meta.objects[object].cursorField} asc`) problems.push(`${object} request ${i + 1} sent ${meta.api.orderByParam}=${String(r.query[meta.api.orderByParam])}`);
    });
  }
  run.checks.record(name, problems.length === 0, problems.length ? problems.join('; ') : seen.join('; '));
};

const legacyText = (value: unknown): string | null => (typeof value === 'number' || (typeof value === 'string' && value !== '') ? String(value) : null);

/** The active mirror rows against the simulator's records: same GUIDs, names, legacy ids (and parents for projects). */
export const compareMirror = (run: SmokeRun, id: number, object: SyncObject, records: SimRecord[], name: string): void => {
  const { mirrors, sim } = run.stack;
  const legacyField = sim.sim.legacyIdField;
  const search = { limit: records.length + 100, offset: 0 };
  const rows =
    object === 'project'
      ? mirrors.searchProjects(id, search).rows.map((r) => ({ id: r.externalId, name: r.name, legacy: r.legacyExternalId, parent: r.parentExternalId }))
      : mirrors.searchClients(id, search).rows.map((r) => ({ id: r.externalId, name: r.name, legacy: r.legacyExternalId, parent: null }));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const simIds = new Set(records.map((r) => r.id));
  const missing = records.filter((r) => !byId.has(r.id)).length;
  const extra = rows.filter((r) => !simIds.has(r.id)).length;
  const different = records.filter((r) => {
    const row = byId.get(r.id);
    return row !== undefined && (row.name !== r.name || row.legacy !== legacyText(r[legacyField]) || (object === 'project' && row.parent !== (r.parentId ?? null)));
  }).length;
  const legacy = rows.filter((r) => r.legacy !== null).length;
  run.checks.record(
    name,
    missing === 0 && extra === 0 && different === 0 && rows.length === records.length,
    `simulator ${records.length}, mirror ${rows.length} active; missing ${missing}, extra ${extra}, different ${different}; ${legacy} keep a legacy id beside the GUID`,
  );
};

export interface Changes {
  renamedProjects: SimRecord[];
  renamedClient: SimRecord;
  added: SimRecord;
  deleted: SimRecord;
}

/** A few edits in the simulator between syncs: two projects and a client renamed, a project added, a leaf project deleted. */
export const changeSimulator = async (run: SmokeRun): Promise<Changes> => {
  const projects = (await run.sim.projects()).sort((a, b) => String(a.code).localeCompare(String(b.code)));
  const parents = new Set(projects.map((p) => p.parentId));
  const leaf = projects.findLast((p) => !parents.has(p.id));
  const client = (await run.sim.clients()).sort((a, b) => a.name.localeCompare(b.name))[0];
  if (!leaf || !client || projects.length < 3) throw new Error('the simulator has too few projects or clients to change');
  const renamedProjects = await Promise.all(projects.filter((p) => p.id !== leaf.id).slice(0, 2).map((p) => run.sim.updateProject(p.id, { name: `${p.name}${RENAMED}` })));
  const renamedClient = await run.sim.updateClient(client.id, { name: `${client.name}${RENAMED}` });
  const added = await run.sim.addProject({ name: 'Added by the smoke run', clientId: client.id });
  await run.sim.deleteProject(leaf.id);
  run.checks.record(
    'the simulator takes the changes: 2 projects and 1 client renamed, 1 project added, 1 leaf project deleted',
    true,
    `renamed ${renamedProjects.map((p) => p.code).join(', ')} and client "${client.name}"; added ${String(added.code)}; deleted ${String(leaf.code)}`,
  );
  return { renamedProjects, renamedClient, added, deleted: leaf };
};

export const delta = async (run: SmokeRun, id: number, changes: Changes): Promise<void> => {
  const { meta, stack } = run;
  const offset = run.options.utcOffsetMinutes;
  const cursors = Object.fromEntries(OBJECT_NAMES.map((o) => [o, stack.syncRepo.getCursor(id, o)?.cursor ?? null])) as Record<SyncObject, string | null>;
  const { runs, mark, startedAt } = await sync(run, id, 'delta', 'Sync now runs a delta sync of projects and clients to the end');

  const records: Record<SyncObject, SimRecord[]> = { project: await run.sim.projects(), client: await run.sim.clients() };
  const changed: Record<SyncObject, string[]> = { project: [...changes.renamedProjects.map((p) => p.id), changes.added.id], client: [changes.renamedClient.id] };
  const whereProblems: string[] = [];
  const whereSeen: string[] = [];
  const readProblems: string[] = [];
  const readSeen: string[] = [];
  for (const object of OBJECT_NAMES) {
    const cursor = cursors[object];
    const latest = runs[object];
    if (cursor === null || latest === undefined) {
      whereProblems.push(`${object}: no cursor after the full sync`);
      continue;
    }
    const fields = meta.objects[object];
    const threshold = shiftNaive(cursor, -meta.sync.overlapSeconds);
    const b = whereBuilder(fields.fields);
    const expected = b.render(b.gte(fields.cursorField, threshold));
    const list = listRequests(run, object, mark);
    for (const r of list) {
      const where = r.query[meta.api.whereParam];
      if (where !== expected) whereProblems.push(`${object}: where=${String(where ?? '(none)')}, expected ${expected}`);
      if (r.query[meta.api.orderByParam] !== `${fields.cursorField} asc`) whereProblems.push(`${object}: ${meta.api.orderByParam}=${String(r.query[meta.api.orderByParam])}`);
    }
    if (list.length === 0) whereProblems.push(`${object}: no list request`);
    whereSeen.push(`${object}: ${meta.api.whereParam}=${String(list[0]?.query[meta.api.whereParam])} (cursor ${cursor} minus ${meta.sync.overlapSeconds} s)`);

    // What BQE holds at or after the threshold, in the connection's local time: the changes plus any record inside the overlap window.
    const local = (utcNaive: string) => formatNaive(naiveToEpochMs(utcNaive, 0), offset);
    const inWindow = records[object].filter((r) => compareNaive(local(r.lastUpdated), threshold) >= 0).length;
    const rows = object === 'project' ? stack.mirrors.searchProjects(id, { limit: records.project.length + 100, offset: 0, includeDeleted: true }).rows : stack.mirrors.searchClients(id, { limit: records.client.length + 100, offset: 0, includeDeleted: true }).rows;
    const rewritten = rows.filter((r) => r.syncedAt >= startedAt).map((r) => r.externalId).sort();
    const expectedIds = [...changed[object]].sort();
    if (latest.fetched !== inWindow) readProblems.push(`${object}: read ${latest.fetched}, but ${inWindow} records are at or after ${threshold}`);
    if (latest.inserted + latest.updated !== expectedIds.length) readProblems.push(`${object}: ${latest.inserted} new + ${latest.updated} updated, expected ${expectedIds.length}`);
    if (JSON.stringify(rewritten) !== JSON.stringify(expectedIds)) readProblems.push(`${object}: rows rewritten ${rewritten.length}, expected exactly the ${expectedIds.length} changed`);
    readSeen.push(`${object}: ${latest.fetched} of ${records[object].length} read (${latest.inserted} new, ${latest.updated} updated, ${latest.unchanged} unchanged inside the overlap)`);
  }
  run.checks.record(`the delta sync asks only for records changed since the cursor: where ${meta.objects.project.cursorField} >= '<cursor minus the overlap>'`, whereProblems.length === 0, whereProblems.length ? whereProblems.join('; ') : whereSeen.join('; '));
  run.checks.record('the delta sync re-reads only the changed records (and the overlap window) and rewrites only the changed rows', readProblems.length === 0, readProblems.length ? readProblems.join('; ') : readSeen.join('; '));

  const landed = [
    ...changes.renamedProjects.map((p) => ({ what: `project ${String(p.code)}`, ok: stack.mirrors.findProject(id, p.id)?.name === p.name })),
    { what: `new project ${String(changes.added.code)}`, ok: stack.mirrors.findProject(id, changes.added.id)?.name === changes.added.name },
    { what: 'renamed client', ok: stack.mirrors.findClient(id, changes.renamedClient.id)?.name === changes.renamedClient.name },
  ];
  run.checks.record('the changes land in the mirror', landed.every((l) => l.ok), landed.map((l) => `${l.what}: ${l.ok ? 'up to date' : 'NOT updated'}`).join('; '));
};

export const fullResync = async (run: SmokeRun, id: number, changes: Changes): Promise<void> => {
  const { stack } = run;
  const beforeSweep = stack.mirrors.findProject(id, changes.deleted.id)?.deletedAt ?? null;
  const { runs, mark } = await sync(run, id, 'full', 'Full re-sync after the changes runs to the end for projects and clients');
  checkFullRequests(run, mark, runs, 'the full re-sync reads every page again, in order, without a where filter');
  const deletedAt = stack.mirrors.findProject(id, changes.deleted.id)?.deletedAt ?? null;
  const counts = stack.mirrors.projectCounts(id);
  run.checks.record(
    'the full re-sync marks the project deleted in the simulator as deleted (and keeps the row)',
    beforeSweep === null && deletedAt !== null && runs.project?.deleted === 1 && runs.client?.deleted === 0 && counts.deleted === 1,
    `after the delta sync the row was ${beforeSweep === null ? 'still active (deletions are found by full sweeps)' : 'already deleted'}; after the full re-sync: ${deletedAt === null ? 'active' : `deleted at ${new Date(deletedAt).toISOString()}`}; project run marked ${runs.project?.deleted ?? 0} deleted, client run ${runs.client?.deleted ?? 0}; mirror ${counts.active} active, ${counts.deleted} deleted`,
  );
  compareMirror(run, id, 'project', await run.sim.projects(), "after the full re-sync the project mirror again matches the simulator's projects");
};
