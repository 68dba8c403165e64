import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { createAuditRepository } from '../../src/db/repositories/audit-repository.js';
import { AppError } from '../../src/errors.js';
import { parseCrontab } from '../../src/jobs/crontab.js';
import { createJobsService } from '../../src/jobs/jobs-service.js';
import type { JobRunner } from '../../src/jobs/runner.js';
import type { Actor } from '../../src/platform/actor.js';
import { createAuditService } from '../../src/platform/audit.js';
import { queueFixture, type QueueFixture } from './fixture.js';

const actor = (role: Actor['role']): Actor => ({ userId: 9, email: `${role}@example.com`, role, ip: '10.0.0.1', requestId: 'req-1' });
const operator = actor('operator');
const viewer = actor('viewer');

const appError = (status: number, pattern?: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  assert.equal(err.status, status);
  if (pattern) assert.match(err.message, pattern);
  return true;
};

const setup = (t: TestContext, runner?: (fx: QueueFixture) => JobRunner) => {
  const fx = queueFixture(t);
  const audit = createAuditService(createAuditRepository(fx.handle.db), fx.clock);
  const r = runner?.(fx);
  const jobs = createJobsService({ handle: fx.handle, queue: fx.queue, runner: () => r, audit, clock: fx.clock, events: fx.events });
  const auditRows = () =>
    fx.handle.sqlite.prepare('SELECT actor_email, action, target_type, target_id, before, after, ip, request_id FROM audit_log ORDER BY id').all() as Record<string, string | null>[];
  const sql = (statement: string, ...params: unknown[]) => fx.handle.sqlite.prepare(statement).run(...params);
  return { fx, jobs, auditRows, sql };
};

/** One job in each state: queued now, queued later ("scheduled"), running, retrying, dead. */
const oneOfEach = async (fx: QueueFixture) => {
  const [queued, scheduled, running, retrying, dead] = await fx.queue.addJobs([
    { identifier: 'crm.sync', payload: { employee: { name: 'Alice Smith', id: 7 } } },
    { identifier: 'crm.sync', payload: { employee: { name: 'Bob' } }, spec: { queueName: 'crm', runAt: new Date(fx.clock.now() + 3_600_000) } },
    { identifier: 'jira.create', payload: { issue: 'HR-1' }, spec: { queueName: 'crm' } },
    { identifier: 'jira.create', payload: { issue: 'HR-2' }, spec: { jobKey: 'issue-hr-2' } },
    { identifier: 'jira.create', payload: { issue: '100%_done' }, spec: { pool: 'ui_fast' } },
  ]);
  const s = fx.handle.sqlite;
  s.prepare("UPDATE jobs SET locked_at = ?, locked_by = 'worker-x', attempts = 1 WHERE id = ?").run(fx.clock.now(), running!.id);
  s.prepare(`UPDATE jobs SET attempts = 1, last_error = 'HTTP 503 from Jira', errors = '[{"attempt":1,"at":0,"message":"HTTP 503 from Jira"}]' WHERE id = ?`).run(retrying!.id);
  s.prepare(`UPDATE jobs SET attempts = 25, last_error = 'employee not found', errors = '[{"attempt":25,"at":0,"message":"employee not found"}]' WHERE id = ?`).run(dead!.id);
  return { queued: queued!.id, scheduled: scheduled!.id, running: running!.id, retrying: retrying!.id, dead: dead!.id };
};

describe('reading', () => {
  test('overview() counts jobs by state and by queue, and tells scheduled jobs apart', async (t) => {
    const { fx, jobs } = setup(t);
    await oneOfEach(fx);
    const o = jobs.overview();
    assert.deepEqual(o.byState, { queued: 2, running: 1, retrying: 1, dead: 1 });
    assert.equal(o.scheduled, 1);
    assert.deepEqual(o.byQueue, [
      { queue: null, counts: { queued: 1, running: 0, retrying: 1, dead: 1 } },
      { queue: 'crm', counts: { queued: 1, running: 1, retrying: 0, dead: 0 } },
    ]);
    assert.deepEqual([o.pools, o.cron], [[], []], 'no runner: no pools or cron');
    assert.ok(o.storage.databaseBytes > 0);
  });

  test('overview() counts zero for every state of an empty queue', async (t) => {
    const { jobs } = setup(t);
    assert.deepEqual(jobs.counts(), { byState: { queued: 0, running: 0, retrying: 0, dead: 0 }, scheduled: 0, byQueue: [] });
  });

  test('overview() shows the runner\'s pools and cron entries, and the last week\'s task statistics', async (t) => {
    const { fx, jobs, sql } = setup(t, (f) => f.runner({}, { crontab: parseCrontab('0 * * * * crm.hourly') }, false));
    sql("INSERT INTO job_stats VALUES ('crm.sync', '2026-01-01', 5, 1, 0, 500, 200), ('crm.sync', '2025-12-20', 9, 0, 0, 900, 100), ('crm.sync', '2025-12-28', 1, 0, 1, 50, 50)");
    const o = jobs.overview();
    assert.deepEqual(o.pools.map((p) => p.name), ['default', 'ui_fast']);
    assert.deepEqual(o.cron.map((c) => [c.item.identifier, c.nextRun]), [['crm.hourly', Date.UTC(2026, 0, 1, 13)]]);
    assert.deepEqual(o.stats, [{ task: 'crm.sync', succeeded: 6, failed: 1, dead: 1, total_ms: 550, max_ms: 200 }]);
    assert.equal(fx.count(), 0);
  });

  test('list() filters by task, queue, pool and state, newest first, with the page count', async (t) => {
    const { fx, jobs } = setup(t);
    const ids = await oneOfEach(fx);
    const idsOf = (r: { jobs: { id: number }[] }) => r.jobs.map((j) => j.id);
    assert.deepEqual(idsOf(jobs.list({}, 1)), [ids.dead, ids.retrying, ids.running, ids.scheduled, ids.queued]);
    assert.deepEqual(idsOf(jobs.list({ task: 'crm.sync' }, 1)), [ids.scheduled, ids.queued]);
    assert.deepEqual(idsOf(jobs.list({ queue: 'crm' }, 1)), [ids.running, ids.scheduled]);
    assert.deepEqual(idsOf(jobs.list({ pool: 'ui_fast' }, 1)), [ids.dead]);
    assert.deepEqual(idsOf(jobs.list({ state: 'dead' }, 1)), [ids.dead]);
    assert.deepEqual(idsOf(jobs.list({ state: 'queued', task: 'crm.sync' }, 1)), [ids.scheduled, ids.queued]);
    const page = jobs.list({}, 2, 2);
    assert.deepEqual([idsOf(page), page.total, page.pages], [[ids.running, ids.scheduled], 5, 3]);
    assert.deepEqual([jobs.list({ task: 'none' }, 1).total, jobs.list({ task: 'none' }, 1).pages], [0, 1]);
  });

  test('list() text search matches payload values, error messages and keys, not payload key names', async (t) => {
    const { fx, jobs } = setup(t);
    const ids = await oneOfEach(fx);
    const search = (text: string) => jobs.list({ text }, 1).jobs.map((j) => j.id);
    assert.deepEqual(search('alice'), [ids.queued], 'case-insensitive, inside nested values');
    assert.deepEqual(search('HR-1'), [ids.running]);
    assert.deepEqual(search('503 from'), [ids.retrying]);
    assert.deepEqual(search('not found'), [ids.dead]);
    assert.deepEqual(search('issue-hr'), [ids.retrying], 'the job key');
    assert.deepEqual(search('employee'), [ids.dead], 'a key name matches nothing; the error text does');
    assert.deepEqual(search('7'), [ids.queued]);
  });

  test('list() text search takes LIKE wildcards literally', async (t) => {
    const { fx, jobs } = setup(t);
    const ids = await oneOfEach(fx);
    const search = (text: string) => jobs.list({ text }, 1).jobs.map((j) => j.id);
    assert.deepEqual(search('%'), [ids.dead]);
    assert.deepEqual(search('0%_d'), [ids.dead]);
    assert.deepEqual(search('_'), [ids.dead]);
    assert.deepEqual(search('HR_1'), []);
    assert.deepEqual(search('A%e'), []);
    assert.deepEqual(search('\\'), []);
  });

  test('list() and get() show a queued job with a later run time as scheduled, with its payload and errors parsed', async (t) => {
    const { fx, jobs } = setup(t);
    const ids = await oneOfEach(fx);
    const scheduled = jobs.get(ids.scheduled);
    assert.equal(scheduled.state, 'scheduled');
    assert.deepEqual(scheduled.payload, { employee: { name: 'Bob' } });
    fx.clock.advance(3_600_000);
    assert.equal(jobs.get(ids.scheduled).state, 'queued');
    const retrying = jobs.get(ids.retrying);
    assert.deepEqual(
      { ...retrying },
      {
        id: ids.retrying, task: 'jira.create', pool: 'default', queue: null, state: 'retrying', payload: { issue: 'HR-2' }, priority: 0,
        runAt: fx.clock.now() - 3_600_000, attempts: 1, maxAttempts: 25, lastError: 'HTTP 503 from Jira',
        errors: [{ attempt: 1, at: 0, message: 'HTTP 503 from Jira' }], key: 'issue-hr-2', lockedBy: null, createdAt: fx.clock.now() - 3_600_000,
      },
    );
    assert.equal(jobs.get(ids.running).lockedBy, 'worker-x');
  });

  test('list() refuses an unknown state with a 422', async (t) => {
    const { jobs } = setup(t);
    assert.throws(() => jobs.list({ state: 'stuck' as never }, 1), (err: unknown) => appError(422, /The filter is not valid/)(err) && (err as AppError).fieldErrors?.state === 'Choose one of: queued, running, retrying, dead.');
  });

  test('get() of a missing job is a 404 that says it may have succeeded', async (t) => {
    const { jobs } = setup(t);
    assert.throws(() => jobs.get(12345), appError(404, /Job #12345 does not exist \(it may have succeeded and been removed\)/));
  });

  test('tasks() lists the task identifiers present, once each', async (t) => {
    const { fx, jobs } = setup(t);
    await oneOfEach(fx);
    assert.deepEqual(jobs.tasks(), ['crm.sync', 'jira.create']);
  });

  test('storage() gives the database and WAL sizes, free pages and page size', async (t) => {
    const { fx, jobs } = setup(t);
    await oneOfEach(fx);
    const s = jobs.storage();
    assert.ok(s.databaseBytes > 0);
    assert.ok(s.walBytes > 0, 'writes went to the WAL');
    assert.equal(s.pageSize, fx.handle.sqlite.pragma('page_size', { simple: true }));
    assert.equal(typeof s.freePages, 'number');
    fx.handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    assert.equal(jobs.storage().walBytes, 0);
  });
});

describe('changing', () => {
  test('retry, remove and reschedule refuse a viewer with a 403 and change nothing', async (t) => {
    const { fx, jobs, auditRows } = setup(t);
    const ids = await oneOfEach(fx);
    const before = fx.rows();
    await assert.rejects(jobs.retry(viewer, [ids.dead]), appError(403, /viewer.*cannot retry jobs/));
    await assert.rejects(jobs.remove(viewer, [ids.dead]), appError(403, /cannot delete jobs/));
    await assert.rejects(jobs.reschedule(viewer, [ids.dead], { priority: '1' }), appError(403, /cannot reschedule jobs/));
    await assert.rejects(jobs.bulk(viewer, 'retry', { state: 'dead' }), appError(403, /cannot retry jobs in bulk/));
    await assert.rejects(jobs.bulk(viewer, 'delete', { state: 'dead' }), appError(403, /cannot delete jobs in bulk/));
    assert.deepEqual(fx.rows(), before);
    assert.deepEqual(auditRows(), []);
  });

  test('retry() retries the jobs, skips running ones, returns the count and writes an audit row', async (t) => {
    const { fx, jobs, auditRows } = setup(t);
    const ids = await oneOfEach(fx);
    const changed = fx.record('job.changed');
    assert.equal(await jobs.retry(operator, [ids.dead, String(ids.scheduled), ids.running, ids.dead]), 2);
    assert.equal(fx.row(ids.dead)!.state, 'retrying');
    assert.equal(fx.row(ids.scheduled)!.run_at, fx.clock.now());
    assert.equal(fx.row(ids.running)!.state, 'running');
    assert.deepEqual(auditRows(), [
      { actor_email: 'operator@example.com', action: 'jobs.retry', target_type: 'job', target_id: [ids.scheduled, ids.dead].sort().join(','), before: null, after: '{"count":2}', ip: '10.0.0.1', request_id: 'req-1' },
    ]);
    assert.deepEqual(changed.map((c) => [c.action, c.ids.length]), [['retry', 2]]);
  });

  test('remove() deletes the jobs, skips running ones and audits what was removed', async (t) => {
    const { fx, jobs, auditRows } = setup(t);
    const ids = await oneOfEach(fx);
    assert.equal(await jobs.remove(operator, [ids.dead, ids.running]), 1);
    assert.equal(fx.row(ids.dead), undefined);
    assert.ok(fx.row(ids.running));
    const [row] = auditRows();
    assert.equal(row!.action, 'jobs.delete');
    assert.equal(row!.target_id, String(ids.dead));
    assert.deepEqual(JSON.parse(row!.before!), [{ id: ids.dead, task: 'jira.create', attempts: 25 }]);
  });

  test('reschedule() moves the jobs, skips running ones and audits the new time and priority', async (t) => {
    const { fx, jobs, auditRows } = setup(t);
    const ids = await oneOfEach(fx);
    assert.equal(await jobs.reschedule(operator, [ids.queued, ids.running], { runAt: '2026-02-01T08:00:00Z', priority: '-5' }), 1);
    assert.deepEqual([fx.row(ids.queued)!.run_at, fx.row(ids.queued)!.priority], [Date.UTC(2026, 1, 1, 8), -5]);
    assert.equal(fx.row(ids.running)!.priority, 0);
    assert.deepEqual(JSON.parse(auditRows()[0]!.after!), { runAt: '2026-02-01T08:00:00.000Z', priority: -5, count: 1 });
    assert.equal(await jobs.reschedule(operator, [ids.queued], { priority: 3 }), 1);
    assert.deepEqual([fx.row(ids.queued)!.run_at, fx.row(ids.queued)!.priority], [Date.UTC(2026, 1, 1, 8), 3]);
  });

  test('reschedule() refuses a bad time, a bad priority, or neither, with field errors', async (t) => {
    const { fx, jobs } = setup(t);
    const ids = await oneOfEach(fx);
    const fields = async (input: { runAt?: unknown; priority?: unknown }) => {
      try {
        await jobs.reschedule(operator, [ids.queued], input);
      } catch (err) {
        assert.ok(err instanceof AppError && err.status === 422);
        return err.fieldErrors;
      }
      assert.fail('expected a 422');
    };
    assert.deepEqual(await fields({ runAt: 'next tuesday' }), { runAt: 'Enter a date and time.' });
    assert.deepEqual(await fields({ priority: '1.5' }), { priority: 'Enter a whole number from -32767 to 32767.' });
    assert.deepEqual(await fields({ priority: 40000 }), { priority: 'Enter a whole number from -32767 to 32767.' });
    assert.deepEqual(await fields({ runAt: '', priority: '' }), { runAt: 'Enter a new run time or priority.' });
  });

  test('changes refuse an empty or malformed list of ids with a 422', async (t) => {
    const { jobs } = setup(t);
    await assert.rejects(jobs.retry(operator, []), appError(422, /Choose at least one job/));
    await assert.rejects(jobs.remove(operator, ['abc']), appError(422));
    await assert.rejects(jobs.retry(operator, [0]), appError(422));
    await assert.rejects(jobs.retry(operator, [1.5]), appError(422));
  });

  test('bulk retry changes exactly the matching jobs that are not running, in batches, and returns the count', async (t) => {
    const { fx, jobs, auditRows, sql } = setup(t);
    const specs = [
      ...Array.from({ length: 1200 }, (_, i) => ({ identifier: 'crm.sync', payload: { i } })),
      ...Array.from({ length: 5 }, () => ({ identifier: 'jira.create' })),
      ...Array.from({ length: 3 }, () => ({ identifier: 'crm.sync', payload: { waiting: true } })),
    ];
    await fx.queue.addJobs(specs);
    sql("UPDATE jobs SET attempts = max_attempts, last_error = 'gave up' WHERE task_identifier = 'jira.create' OR json_extract(payload, '$.i') IS NOT NULL");
    // Two matching dead jobs are running again (taken by a worker) and must be skipped.
    sql("UPDATE jobs SET locked_at = 1, locked_by = 'worker-x' WHERE id IN (10, 700)");
    const untouched = fx.rows().filter((r) => !(r.task_identifier === 'crm.sync' && r.state === 'dead'));
    const changed = fx.record('job.changed');

    assert.equal(await jobs.bulk(operator, 'retry', { task: 'crm.sync', state: 'dead' }), 1198);
    assert.equal(fx.rows().filter((r) => r.task_identifier === 'crm.sync' && r.state === 'dead').length, 0);
    assert.deepEqual(fx.rows().filter((r) => untouched.some((u) => u.id === r.id)), untouched);
    assert.deepEqual(changed.map((c) => c.ids.length), [500, 500, 198]);
    const [row] = auditRows();
    assert.equal(row!.action, 'jobs.bulk_retry');
    assert.deepEqual(JSON.parse(row!.after!), { filter: { task: 'crm.sync', state: 'dead' }, count: 1198 });
  });

  test('bulk delete removes exactly the matching jobs that are not running and returns the count', async (t) => {
    const { fx, jobs, sql } = setup(t);
    await fx.queue.addJobs(Array.from({ length: 1200 }, (_, i) => ({ identifier: i % 2 ? 'a' : 'b', payload: { i } })));
    sql("UPDATE jobs SET locked_at = 1, locked_by = 'worker-x' WHERE id = 1");
    assert.equal(await jobs.bulk(operator, 'delete', { task: 'b' }), 599);
    assert.deepEqual(fx.handle.sqlite.prepare('SELECT task_identifier, count(*) AS n FROM jobs GROUP BY 1').all(), [{ task_identifier: 'a', n: 600 }, { task_identifier: 'b', n: 1 }]);
    assert.equal(await jobs.bulk(operator, 'delete', { text: 'nothing matches this' }), 0);
  });

  test('bulk refuses an unknown state with a 422', async (t) => {
    const { jobs } = setup(t);
    await assert.rejects(jobs.bulk(operator, 'delete', { state: 'all' as never }), appError(422));
  });

  test('pruneStats() removes statistics older than the retention and keeps the rest', async (t) => {
    const { fx, jobs, sql } = setup(t);
    sql("INSERT INTO job_stats VALUES ('t', '2025-10-01', 1, 0, 0, 1, 1), ('t', '2025-10-03', 1, 0, 0, 1, 1), ('t', '2025-12-31', 1, 0, 0, 1, 1)");
    // 90 days before 2026-01-01 is 2025-10-03.
    assert.equal(jobs.pruneStats(90), 1);
    assert.deepEqual(fx.handle.sqlite.prepare('SELECT day FROM job_stats ORDER BY day').pluck().all(), ['2025-10-03', '2025-12-31']);
  });
});
