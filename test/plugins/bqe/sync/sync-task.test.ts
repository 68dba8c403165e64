import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { PermanentJobError } from '../../../../src/jobs/errors.js';
import type { Job, JobHelpers } from '../../../../src/jobs/types.js';
import type { Connection } from '../../../../src/plugins/bqe/db/connection-repository.js';
import { createSyncScheduler, createSyncTask, SYNC_TASK, syncJobKey, syncQueueName } from '../../../../src/plugins/bqe/sync/sync-task.js';
import { queueFixture, silentLogger, waitFor } from '../../../jobs/fixture.js';
import { syncFixture, type SyncFixtureOptions } from './sync-fixture.js';

interface JobRow {
  id: number;
  key: string | null;
  queue_name: string | null;
  payload: string;
  attempts: number;
  last_error: string | null;
}

/** The job queue with a runner for the sync task, and the sync stack on the same database and clock. */
const setup = async (t: TestContext, options: SyncFixtureOptions & { start?: boolean } = {}) => {
  const q = queueFixture(t);
  const fx = await syncFixture({ ...options, handle: q.handle, clock: q.clock });
  t.after(() => fx.close());
  const task = createSyncTask({ connections: fx.connections, objectSync: fx.objectSync, syncRepo: fx.syncRepo });
  const scheduler = createSyncScheduler({ syncRepo: fx.syncRepo, clock: fx.clock });
  const jobs = () => q.handle.sqlite.prepare('SELECT id, key, queue_name, payload, attempts, last_error FROM jobs ORDER BY id').all() as JobRow[];
  const runner = options.start === false ? undefined : q.runner({ [SYNC_TASK]: task });
  /** Runs the task once in this test, with the queue's own addJob, as the runner would call it. */
  const runTask = async (payload: unknown) => {
    const job = await q.queue.addJob('test.placeholder', {});
    const helpers: JobHelpers = { job: job as Job, logger: silentLogger, addJob: (id, p, spec) => q.queue.addJob(id, p, spec), abortSignal: new AbortController().signal };
    await task(payload, helpers);
  };
  return { q, fx, task, scheduler, jobs, runner, runTask };
};

const smallPages = (pageSize: number, pagesPerSlice: number): SyncFixtureOptions['meta'] => (meta) => {
  meta.api.paging.pageSize = pageSize;
  meta.sync.pagesPerSlice = pagesPerSlice;
};

test('queueSync adds one keyed job on the connection’s queue and records a requested full re-sync', async (t) => {
  const { q, fx, scheduler, jobs } = await setup(t, { start: false });
  await scheduler.queueSync(q.queue, fx.connectionId, 'project', 'manual', { full: true });
  await scheduler.queueSync(q.queue, fx.connectionId, 'project', 'manual', { full: false });
  assert.deepEqual(
    jobs().map((j) => [j.key, j.queue_name, JSON.parse(j.payload)]),
    [[`bqe:sync:${fx.connectionId}:project`, `bqe:${fx.connectionId}`, { connectionId: fx.connectionId, object: 'project', trigger: 'manual' }]],
  );
  assert.equal(fx.syncRepo.getCursor(fx.connectionId, 'project')?.fullRequested, true);
  assert.equal(syncJobKey(4, 'client'), 'bqe:sync:4:client');
  assert.equal(syncQueueName(4), 'bqe:4');
});

test('a sync continues slice after slice in fresh jobs until the run is done', async (t) => {
  const { q, fx, scheduler, jobs } = await setup(t, { meta: smallPages(10, 2) });
  const queued = q.record('job.queued');
  await scheduler.queueSync(q.queue, fx.connectionId, 'project', 'manual', { full: false });
  await waitFor(() => fx.syncRepo.latestRun(fx.connectionId, 'project')?.status === 'succeeded' && jobs().length === 0, 'the sync chain to finish');
  const runs = fx.syncRepo.history(fx.connectionId, { limit: 10 });
  assert.equal(runs.length, 1);
  assert.deepEqual([runs[0]?.pages, runs[0]?.inserted, runs[0]?.trigger], [7, 60, 'manual']);
  assert.equal(queued.filter((e) => e.task === SYNC_TASK).length, 4, 'one job per slice of two pages');
});

test('a connection BQE no longer accepts ends the job without a retry', async (t) => {
  const { q, fx, scheduler, jobs } = await setup(t);
  const failures = q.record('job.failed');
  fx.sim.expireTokens();
  fx.sim.revokeRefreshTokens();
  await scheduler.queueSync(q.queue, fx.connectionId, 'project', 'schedule', { full: false });
  await waitFor(() => fx.syncRepo.latestRun(fx.connectionId, 'project')?.status === 'failed' && jobs().length === 0, 'the job to end');
  assert.equal(failures.length, 0);
  assert.match(fx.syncRepo.latestRun(fx.connectionId, 'project')?.error ?? '', /Reconnect OAuth/);
});

test('a server error fails the job so the queue tries again', async (t) => {
  const { q, fx, scheduler, jobs } = await setup(t);
  fx.sim.faults.add({ kind: 'status', status: 500, match: 'GET .*/api/project' });
  await scheduler.queueSync(q.queue, fx.connectionId, 'project', 'manual', { full: false });
  const retried = await waitFor(() => jobs().find((j) => j.attempts === 1 && j.last_error !== null), 'a failed attempt');
  assert.match(retried.last_error ?? '', /500/);
  assert.equal(fx.syncRepo.latestRun(fx.connectionId, 'project')?.status, 'failed');
});

test('a full re-sync asked for during a delta run follows it at once', async (t) => {
  const { q, fx, scheduler, jobs } = await setup(t, { start: false, meta: smallPages(25, 1) });
  await fx.sync('project');
  fx.clock.advance(60_000);
  for (const p of [...fx.sim.data.projects.values()].slice(0, 30)) fx.sim.updateProject(p.id, { status: 2 });
  assert.equal((await fx.slice('project')).done, false, 'a delta run is under way');
  await scheduler.queueSync(q.queue, fx.connectionId, 'project', 'manual', { full: true });
  q.runner({ [SYNC_TASK]: createSyncTask({ connections: fx.connections, objectSync: fx.objectSync, syncRepo: fx.syncRepo }) });
  await waitFor(() => jobs().length === 0 && fx.syncRepo.getCursor(fx.connectionId, 'project')?.fullRequested === false, 'the full run');
  assert.deepEqual(fx.syncRepo.history(fx.connectionId, { object: 'project', limit: 10 }).map((r) => [r.mode, r.status]), [['full', 'succeeded'], ['delta', 'succeeded'], ['full', 'succeeded']]);
});

test('the task skips, with nothing recorded, a connection that is gone, switched off or not connected', async (t) => {
  const { fx, runTask, jobs } = await setup(t, { start: false });
  await runTask({ connectionId: 999, object: 'project', trigger: 'manual' });
  fx.connections.update(fx.connectionId, { syncEnabled: false }, fx.clock.now());
  await runTask({ connectionId: fx.connectionId, object: 'project', trigger: 'manual' });
  fx.connections.update(fx.connectionId, { syncEnabled: true }, fx.clock.now());
  fx.connections.setStatus(fx.connectionId, 'needs_consent', 'Scopes changed', fx.clock.now());
  await runTask({ connectionId: fx.connectionId, object: 'project', trigger: 'manual' });
  assert.deepEqual(fx.syncRepo.history(fx.connectionId, { limit: 10 }), []);
  assert.deepEqual(fx.listRequests('project'), []);
  assert.equal(jobs().filter((j) => j.key !== null).length, 0);
});

test('without a UTC offset a manual sync records why it cannot run, and a scheduled one only logs', async (t) => {
  const { fx, runTask } = await setup(t, { start: false, utcOffsetMinutes: null });
  await runTask({ connectionId: fx.connectionId, object: 'project', trigger: 'schedule' });
  assert.deepEqual(fx.syncRepo.history(fx.connectionId, { limit: 10 }), []);
  await runTask({ connectionId: fx.connectionId, object: 'project', trigger: 'manual' });
  const runs = fx.syncRepo.history(fx.connectionId, { limit: 10 });
  assert.deepEqual(runs.map((r) => r.status), ['failed']);
  assert.match(runs[0]?.error ?? '', /^Set the UTC offset/);
});

test('the task skips clients when client sync is off', async (t) => {
  const { fx, runTask } = await setup(t, { start: false, connection: { clientSync: 'off' } });
  await runTask({ connectionId: fx.connectionId, object: 'client', trigger: 'manual' });
  assert.deepEqual(fx.syncRepo.history(fx.connectionId, { limit: 10 }), []);
});

test('a malformed payload is refused for good', async (t) => {
  const { runTask } = await setup(t, { start: false });
  await assert.rejects(runTask({ connectionId: 'one', object: 'invoice' }), (err: unknown) => err instanceof PermanentJobError && /connectionId/.test(err.message) && /object/.test(err.message));
});

test('the tick queues a delta job per syncable connection and object, once however often it runs', async (t) => {
  const { q, fx, scheduler, jobs } = await setup(t, { start: false });
  const base = fx.connection();
  const others: Connection[] = [
    { ...base, id: 90, clientSync: 'off' },
    { ...base, id: 91, syncEnabled: false },
    { ...base, id: 92, status: 'needs_reauth' },
    { ...base, id: 93, utcOffsetMinutes: null },
  ];
  assert.equal(await scheduler.tickWork({ connections: [base, ...others], queue: q.queue }), 3);
  assert.equal(await scheduler.tickWork({ connections: [base, ...others], queue: q.queue }), 3);
  assert.deepEqual(
    jobs().map((j) => [j.key, j.queue_name, JSON.parse(j.payload).trigger]),
    [
      [`bqe:sync:${base.id}:project`, `bqe:${base.id}`, 'schedule'],
      [`bqe:sync:${base.id}:client`, `bqe:${base.id}`, 'schedule'],
      ['bqe:sync:90:project', 'bqe:90', 'schedule'],
    ],
  );
});

test('the tick does not start a second chain beside one that is waiting to continue', async (t) => {
  const { q, fx, scheduler, jobs } = await setup(t, { start: false });
  const later = new Date(fx.clock.now() + 60_000);
  await q.queue.addJob(SYNC_TASK, { connectionId: fx.connectionId, object: 'project', trigger: 'manual' }, { jobKey: syncJobKey(fx.connectionId, 'project'), queueName: syncQueueName(fx.connectionId), runAt: later });
  await scheduler.tickWork({ connections: [{ ...fx.connection(), clientSync: 'off' }], queue: q.queue });
  const rows = q.handle.sqlite.prepare('SELECT run_at FROM jobs').all() as { run_at: number }[];
  assert.deepEqual(rows.map((r) => r.run_at), [later.getTime()]);
  assert.equal(jobs().length, 1);
});
