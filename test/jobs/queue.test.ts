import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JobSpecError } from '../../src/jobs/errors.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../src/jobs/queue.js';
import type { Job, JobSpec } from '../../src/jobs/types.js';
import { deferred, queueFixture, waitFor, within, type QueueFixture } from './fixture.js';

const specError = (pattern: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof JobSpecError, `expected a JobSpecError, got ${String(err)}`);
  assert.match(err.message, pattern);
  return true;
};

/** Marks a job as taken by a worker, as a claim would. */
const lock = (fx: QueueFixture, id: number, worker = 'worker-elsewhere'): void => {
  fx.handle.sqlite.prepare('UPDATE jobs SET locked_at = ?, locked_by = ?, attempts = attempts + 1 WHERE id = ?').run(fx.clock.now(), worker, id);
};

/** A Job's fields as a plain object (a Job may compute them on access). */
const plain = (job: Job) => ({
  id: job.id,
  taskIdentifier: job.taskIdentifier,
  pool: job.pool,
  queueName: job.queueName,
  payload: job.payload,
  priority: job.priority,
  runAt: job.runAt,
  attempts: job.attempts,
  maxAttempts: job.maxAttempts,
  lastError: job.lastError,
  key: job.key,
  lockedAt: job.lockedAt,
  lockedBy: job.lockedBy,
  createdAt: job.createdAt,
});

/** Every row except the given ids, to show an operation left them exactly as they were. */
const othersThan = (fx: QueueFixture, ids: number[]) => fx.rows().filter((r) => !ids.includes(r.id));

describe('addJob', () => {
  test('stores a job with the defaults: 25 attempts, priority 0, the default pool, run now', async (t) => {
    const fx = queueFixture(t);
    const job = await fx.queue.addJob('crm.sync', { id: 42 });
    assert.equal(DEFAULT_MAX_ATTEMPTS, 25);
    assert.deepEqual(
      plain(job),
      {
        id: job.id,
        taskIdentifier: 'crm.sync',
        pool: 'default',
        queueName: null,
        payload: { id: 42 },
        priority: 0,
        runAt: new Date(fx.clock.now()),
        attempts: 0,
        maxAttempts: 25,
        lastError: null,
        key: null,
        lockedAt: null,
        lockedBy: null,
        createdAt: new Date(fx.clock.now()),
      },
    );
    const row = fx.row(job.id)!;
    assert.equal(row.state, 'queued');
    assert.equal(row.payload, '{"id":42}');
    assert.equal(row.errors, '[]');
    assert.equal(row.max_attempts, 25);
    assert.equal(row.run_at, fx.clock.now());
  });

  test('stores an empty object when no payload is given', async (t) => {
    const fx = queueFixture(t);
    const job = await fx.queue.addJob('crm.sync');
    assert.deepEqual(job.payload, {});
    assert.equal(fx.row(job.id)!.payload, '{}');
  });

  test('stores every spec field that is given', async (t) => {
    const fx = queueFixture(t);
    const runAt = new Date(fx.clock.now() + 60_000);
    const job = await fx.queue.addJob('crm.sync', {}, { queueName: 'crm', runAt, maxAttempts: 3, priority: -5, jobKey: 'k1', pool: 'ui_fast' });
    const row = fx.row(job.id)!;
    assert.deepEqual(
      [row.queue_name, row.run_at, row.max_attempts, row.priority, row.key, row.pool],
      ['crm', runAt.getTime(), 3, -5, 'k1', 'ui_fast'],
    );
  });

  const badSpecs: [string, string, JobSpec, RegExp][] = [
    ['a task identifier with a space', 'crm sync', {}, /task identifier must be 1-128 letters, digits or _ \. : - \(got "crm sync"\)/],
    ['an empty task identifier', '', {}, /task identifier must be/],
    ['a task identifier over 128 characters', 'x'.repeat(129), {}, /task identifier must be/],
    ['maxAttempts 0', 't', { maxAttempts: 0 }, /maxAttempts must be a whole number from 1 to 1000 \(got 0\)/],
    ['maxAttempts 2.5', 't', { maxAttempts: 2.5 }, /maxAttempts must be a whole number/],
    ['priority 1.5', 't', { priority: 1.5 }, /priority must be a whole number from -32767 to 32767 \(got 1.5\)/],
    ['priority 40000', 't', { priority: 40000 }, /priority must be a whole number/],
    ['an invalid Date', 't', { runAt: new Date('not a date') }, /runAt must be a valid Date/],
    ['a runAt that is not a Date', 't', { runAt: '2026-01-01' as unknown as Date }, /runAt must be a valid Date/],
    ['an unknown pool', 't', { pool: 'bulk' as never }, /pool must be one of default, ui_fast \(got "bulk"\)/],
    ['an unknown jobKeyMode', 't', { jobKey: 'k', jobKeyMode: 'merge' as never }, /jobKeyMode must be one of replace, preserve_run_at, unsafe_dedupe/],
    ['an empty jobKey', 't', { jobKey: '' }, /jobKey must be a non-empty string/],
    ['an empty queueName', 't', { queueName: '' }, /queueName must be a non-empty string/],
  ];
  for (const [what, identifier, spec, message] of badSpecs) {
    test(`refuses ${what} with a JobSpecError and stores nothing`, async (t) => {
      const fx = queueFixture(t);
      await assert.rejects(fx.queue.addJob(identifier, {}, spec), specError(message));
      assert.equal(fx.count(), 0);
    });
  }

  const badPayloads: [string, unknown, RegExp][] = [
    ['a function', { fn: () => 1 }, /payload\.fn is a function/],
    ['a bigint', { n: 1n }, /payload\.n is a bigint/],
    ['NaN', { n: Number.NaN }, /payload\.n is NaN/],
    ['a circular reference', (() => { const o: Record<string, unknown> = {}; o.me = o; return o; })(), /payload\.me refers back to itself/],
    ['undefined inside an array', { ids: [1, undefined] }, /payload\.ids\[1\] is undefined/],
  ];
  for (const [what, payload, message] of badPayloads) {
    test(`refuses a payload with ${what}, saying why, and stores nothing`, async (t) => {
      const fx = queueFixture(t);
      const queued = fx.record('job.queued');
      await assert.rejects(fx.queue.addJob('t', payload), specError(message));
      assert.equal(fx.count(), 0);
      assert.equal(queued.length, 0);
    });
  }

  test('emits job.queued with the id, task, pool and run time', async (t) => {
    const fx = queueFixture(t);
    const queued = fx.record('job.queued');
    const runAt = new Date(fx.clock.now() + 5000);
    const job = await fx.queue.addJob('crm.sync', {}, { pool: 'ui_fast', runAt });
    assert.deepEqual(queued, [{ id: job.id, task: 'crm.sync', pool: 'ui_fast', runAt: runAt.getTime() }]);
  });
});

describe('addJobs', () => {
  test('stores every job and returns them in order', async (t) => {
    const fx = queueFixture(t);
    const jobs = await fx.queue.addJobs([
      { identifier: 'a', payload: { n: 1 } },
      { identifier: 'b', spec: { priority: 3 } },
      { identifier: 'c', payload: { n: 3 }, spec: { jobKey: 'c-key' } },
    ]);
    assert.deepEqual(jobs.map((j) => j.taskIdentifier), ['a', 'b', 'c']);
    assert.deepEqual(fx.rows().map((r) => [r.id, r.task_identifier, r.payload, r.priority, r.key]), [
      [jobs[0]!.id, 'a', '{"n":1}', 0, null],
      [jobs[1]!.id, 'b', '{}', 3, null],
      [jobs[2]!.id, 'c', '{"n":3}', 0, 'c-key'],
    ]);
  });

  test('stores nothing when one spec is invalid, and names which one', async (t) => {
    const fx = queueFixture(t);
    await assert.rejects(
      fx.queue.addJobs([{ identifier: 'a' }, { identifier: 'b', spec: { maxAttempts: 0 } }, { identifier: 'c' }]),
      specError(/^job 1: maxAttempts must be/),
    );
    await assert.rejects(fx.queue.addJobs([{ identifier: 'a' }, { identifier: 'b', payload: { f: () => 1 } }]), specError(/^job 1: payload is not JSON-serializable/));
    assert.equal(fx.count(), 0);
  });

  test('inserts in one transaction: a failure on a later insert takes back the earlier ones', async (t) => {
    const fx = queueFixture(t);
    fx.handle.sqlite.exec("CREATE TEMP TRIGGER refuse_boom BEFORE INSERT ON jobs WHEN NEW.task_identifier = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END");
    await assert.rejects(fx.queue.addJobs([{ identifier: 'a' }, { identifier: 'b' }, { identifier: 'boom' }]), /boom refused/);
    assert.equal(fx.count(), 0);
  });

  test('emits job.queued for each job', async (t) => {
    const fx = queueFixture(t);
    const queued = fx.record('job.queued');
    const jobs = await fx.queue.addJobs([{ identifier: 'a' }, { identifier: 'b', spec: { pool: 'ui_fast' } }]);
    assert.deepEqual(queued.map((e) => [e.id, e.task, e.pool]), [[jobs[0]!.id, 'a', 'default'], [jobs[1]!.id, 'b', 'ui_fast']]);
  });
});

describe('job keys', () => {
  test('replace updates the waiting job: same id, new payload and run time, attempts and errors reset', async (t) => {
    const fx = queueFixture(t);
    const first = await fx.queue.addJob('crm.sync', { v: 1 }, { jobKey: 'emp-7', runAt: new Date(fx.clock.now() + 60_000), priority: 1 });
    // As if it had failed twice and waits for its retry.
    fx.handle.sqlite.prepare(`UPDATE jobs SET attempts = 2, last_error = 'oops', errors = '[{"attempt":1},{"attempt":2}]' WHERE id = ?`).run(first.id);
    fx.clock.advance(1000);
    const runAt = new Date(fx.clock.now() + 5000);
    const second = await fx.queue.addJob('crm.sync', { v: 2 }, { jobKey: 'emp-7', runAt, priority: 4 });
    assert.equal(second.id, first.id);
    assert.equal(fx.count(), 1);
    const row = fx.row(first.id)!;
    assert.deepEqual(
      [row.payload, row.run_at, row.attempts, row.last_error, row.errors, row.priority, row.key, row.state],
      ['{"v":2}', runAt.getTime(), 0, null, '[]', 4, 'emp-7', 'queued'],
    );
    assert.equal(second.attempts, 0);
  });

  test('replace is the default mode, and brings a dead job with the key back to life', async (t) => {
    const fx = queueFixture(t);
    const first = await fx.queue.addJob('t', { v: 1 }, { jobKey: 'k', maxAttempts: 1 });
    await fx.queue.permanentlyFailJobs([first.id]);
    assert.equal(fx.row(first.id)!.state, 'dead');
    const second = await fx.queue.addJob('t', { v: 2 }, { jobKey: 'k', maxAttempts: 2 });
    assert.equal(second.id, first.id);
    assert.equal(fx.row(first.id)!.state, 'queued');
  });

  test('preserve_run_at updates the waiting job but keeps its run time', async (t) => {
    const fx = queueFixture(t);
    const runAt = fx.clock.now() + 3_600_000;
    const first = await fx.queue.addJob('t', { v: 1 }, { jobKey: 'k', runAt: new Date(runAt) });
    const second = await fx.queue.addJob('t', { v: 2 }, { jobKey: 'k', jobKeyMode: 'preserve_run_at', runAt: new Date(fx.clock.now() + 10) });
    assert.equal(second.id, first.id);
    assert.equal(second.runAt.getTime(), runAt);
    assert.deepEqual([fx.row(first.id)!.payload, fx.row(first.id)!.run_at], ['{"v":2}', runAt]);
  });

  test('unsafe_dedupe returns the existing job unchanged', async (t) => {
    const fx = queueFixture(t);
    const first = await fx.queue.addJob('t', { v: 1 }, { jobKey: 'k', priority: 2 });
    const before = fx.row(first.id);
    fx.clock.advance(1000);
    const second = await fx.queue.addJob('t', { v: 2 }, { jobKey: 'k', jobKeyMode: 'unsafe_dedupe', priority: 9 });
    assert.equal(second.id, first.id);
    assert.deepEqual(second.payload, { v: 1 });
    assert.deepEqual(fx.row(first.id), before);
    assert.equal(fx.count(), 1);
  });

  test('a running job with the key keeps running and loses the key; the new job takes it', async (t) => {
    const fx = queueFixture(t);
    const running = await fx.queue.addJob('t', { v: 1 }, { jobKey: 'k' });
    lock(fx, running.id);
    const next = await fx.queue.addJob('t', { v: 2 }, { jobKey: 'k' });
    assert.notEqual(next.id, running.id);
    const old = fx.row(running.id)!;
    assert.deepEqual([old.key, old.state, old.payload, old.locked_by], [null, 'running', '{"v":1}', 'worker-elsewhere']);
    assert.deepEqual([fx.row(next.id)!.key, fx.row(next.id)!.payload, fx.row(next.id)!.state], ['k', '{"v":2}', 'queued']);
  });

  test('a different key, or no key, never touches a keyed job', async (t) => {
    const fx = queueFixture(t);
    const keyed = await fx.queue.addJob('t', { v: 1 }, { jobKey: 'k' });
    const before = fx.row(keyed.id);
    await fx.queue.addJob('t', { v: 2 }, { jobKey: 'other' });
    await fx.queue.addJob('t', { v: 3 });
    assert.deepEqual(fx.row(keyed.id), before);
    assert.equal(fx.count(), 3);
  });

  test('removeJob(key) deletes a waiting job and returns it', async (t) => {
    const fx = queueFixture(t);
    const job = await fx.queue.addJob('t', { v: 1 }, { jobKey: 'k' });
    const other = await fx.queue.addJob('t', { v: 2 });
    const removed = await fx.queue.removeJob('k');
    assert.equal(removed?.id, job.id);
    assert.deepEqual(removed?.payload, { v: 1 });
    assert.equal(fx.row(job.id), undefined);
    assert.ok(fx.row(other.id));
  });

  test('removeJob(key) leaves a running job alone and returns nothing', async (t) => {
    const fx = queueFixture(t);
    const job = await fx.queue.addJob('t', {}, { jobKey: 'k' });
    lock(fx, job.id);
    assert.equal(await fx.queue.removeJob('k'), undefined);
    assert.equal(fx.row(job.id)!.state, 'running');
    assert.equal(await fx.queue.removeJob('no-such-key'), undefined);
  });
});

describe('admin operations', () => {
  /** Four waiting jobs and one running one. */
  const setup = async (fx: QueueFixture) => {
    const [a, b, c, d, running] = await fx.queue.addJobs([
      { identifier: 'a', payload: { n: 1 } },
      { identifier: 'b', payload: { n: 2 }, spec: { queueName: 'q' } },
      { identifier: 'c', payload: { n: 3 }, spec: { runAt: new Date(fx.clock.now() + 60_000) } },
      { identifier: 'd', payload: { n: 4 }, spec: { maxAttempts: 2 } },
      { identifier: 'r', payload: { n: 5 } },
    ]);
    lock(fx, running!.id);
    fx.clock.advance(1000);
    return { a: a!.id, b: b!.id, c: c!.id, d: d!.id, running: running!.id };
  };

  test('completeJobs deletes the waiting jobs given, reports them, and leaves the rest', async (t) => {
    const fx = queueFixture(t);
    const ids = await setup(fx);
    const others = othersThan(fx, [ids.a, ids.c]);
    const done = await fx.queue.completeJobs([ids.a, ids.c, ids.running, 9999]);
    assert.deepEqual(done.map((j) => j.id).sort(), [ids.a, ids.c].sort());
    assert.equal(fx.row(ids.a), undefined);
    assert.equal(fx.row(ids.c), undefined);
    assert.deepEqual(fx.rows(), others);
    assert.equal(fx.row(ids.running)!.state, 'running');
  });

  test('permanentlyFailJobs makes the jobs dead with the reason in their errors, and leaves the rest', async (t) => {
    const fx = queueFixture(t);
    const ids = await setup(fx);
    const others = othersThan(fx, [ids.a, ids.d]);
    const failed = await fx.queue.permanentlyFailJobs([ids.a, ids.d, ids.running], 'customer deleted');
    assert.deepEqual(failed.map((j) => j.id).sort(), [ids.a, ids.d].sort());
    for (const id of [ids.a, ids.d]) {
      const row = fx.row(id)!;
      assert.equal(row.state, 'dead');
      assert.equal(row.last_error, 'customer deleted');
      assert.deepEqual(JSON.parse(row.errors), [{ attempt: null, at: fx.clock.now(), message: 'customer deleted' }]);
      assert.equal(row.updated_at, fx.clock.now());
    }
    assert.deepEqual(fx.rows().filter((r) => ![ids.a, ids.d].includes(r.id)), others);
  });

  test('permanentlyFailJobs has a default reason', async (t) => {
    const fx = queueFixture(t);
    const ids = await setup(fx);
    await fx.queue.permanentlyFailJobs([ids.b]);
    assert.equal(fx.row(ids.b)!.last_error, 'marked as failed by an admin');
  });

  test('rescheduleJobs sets run time, attempts and priority of the jobs given, and leaves the rest', async (t) => {
    const fx = queueFixture(t);
    const ids = await setup(fx);
    const others = othersThan(fx, [ids.a, ids.b]);
    const runAt = new Date(fx.clock.now() + 3_600_000);
    const changed = await fx.queue.rescheduleJobs([ids.a, ids.b, ids.running], { runAt, attempts: 1, priority: -3 });
    assert.deepEqual(changed.map((j) => j.id).sort(), [ids.a, ids.b].sort());
    for (const id of [ids.a, ids.b]) {
      const row = fx.row(id)!;
      assert.deepEqual([row.run_at, row.attempts, row.priority, row.state], [runAt.getTime(), 1, -3, 'retrying']);
    }
    assert.deepEqual(fx.rows().filter((r) => ![ids.a, ids.b].includes(r.id)), others);
  });

  test('rescheduleJobs changes only the fields given', async (t) => {
    const fx = queueFixture(t);
    const ids = await setup(fx);
    const before = fx.row(ids.c)!;
    await fx.queue.rescheduleJobs([ids.c], { priority: 7 });
    const after = fx.row(ids.c)!;
    assert.deepEqual([after.priority, after.run_at, after.attempts], [7, before.run_at, before.attempts]);
  });

  test('retryJobs runs the jobs now and gives a dead job one more attempt, and leaves the rest', async (t) => {
    const fx = queueFixture(t);
    const ids = await setup(fx);
    await fx.queue.permanentlyFailJobs([ids.d]);
    const deadRow = fx.row(ids.d)!;
    assert.equal(deadRow.state, 'dead');
    const others = othersThan(fx, [ids.c, ids.d]);
    const retried = await fx.queue.retryJobs([ids.c, ids.d, ids.running]);
    assert.deepEqual(retried.map((j) => j.id).sort(), [ids.c, ids.d].sort());
    const c = fx.row(ids.c)!;
    assert.deepEqual([c.run_at, c.max_attempts, c.state], [fx.clock.now(), 25, 'queued']);
    const d = fx.row(ids.d)!;
    assert.deepEqual([d.run_at, d.attempts, d.max_attempts, d.state], [fx.clock.now(), deadRow.attempts, deadRow.attempts + 1, 'retrying']);
    assert.deepEqual(fx.rows().filter((r) => ![ids.c, ids.d].includes(r.id)), others);
  });

  test('a retried dead job runs once more', async (t) => {
    const fx = queueFixture(t);
    const ran = deferred<unknown>();
    const job = await fx.queue.addJob('again', { n: 1 }, { maxAttempts: 1 });
    await fx.queue.permanentlyFailJobs([job.id], 'gave up');
    fx.runner({ again: (payload) => ran.resolve(payload) });
    await fx.queue.retryJobs([job.id]);
    assert.deepEqual(await within(ran.promise, 'ran'), { n: 1 });
    await waitFor(() => fx.row(job.id) === undefined, 'the retried job to succeed and be removed');
  });

  test('operations on an empty list of ids change nothing', async (t) => {
    const fx = queueFixture(t);
    await setup(fx);
    const before = fx.rows();
    assert.deepEqual(await fx.queue.completeJobs([]), []);
    assert.deepEqual(await fx.queue.permanentlyFailJobs([]), []);
    assert.deepEqual(await fx.queue.rescheduleJobs([], { priority: 1 }), []);
    assert.deepEqual(await fx.queue.retryJobs([]), []);
    assert.deepEqual(fx.rows(), before);
  });
});
