import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareClaimJobs } from '../../../src/jobs/sql/claim-jobs.js';
import { prepareCompleteJobs } from '../../../src/jobs/sql/complete-jobs.js';
import { prepareFailJobs } from '../../../src/jobs/sql/fail-jobs.js';
import { prepareKnownCrontabs } from '../../../src/jobs/sql/known-crontabs.js';
import { prepareRecordStats } from '../../../src/jobs/sql/record-stats.js';
import { queueFixture } from '../fixture.js';

test('completing jobs deletes them and unlocks their queues; an empty list does nothing', async (t) => {
  const fx = queueFixture(t);
  const claim = fx.handle.sqlite.transaction(prepareClaimJobs(fx.handle.sqlite)).immediate;
  await fx.queue.addJobs([{ identifier: 't', spec: { queueName: 'q' } }, { identifier: 't' }, { identifier: 't' }]);
  const [a, b] = claim('default', 'w', fx.clock.now(), 2);
  const complete = prepareCompleteJobs(fx.handle.sqlite);
  complete([]);
  assert.equal(fx.count(), 3);
  complete([{ id: a!.id, queueName: a!.queue_name }, { id: b!.id, queueName: b!.queue_name }]);
  assert.equal(fx.count(), 1);
  assert.equal(fx.handle.sqlite.prepare("SELECT locked_at FROM job_queues WHERE queue_name = 'q'").pluck().get(), null);
});

test('a failure appends to the error history and sets the retry time; a final one makes the job dead', async (t) => {
  const fx = queueFixture(t);
  const claim = fx.handle.sqlite.transaction(prepareClaimJobs(fx.handle.sqlite)).immediate;
  await fx.queue.addJobs([{ identifier: 't', spec: { queueName: 'q', maxAttempts: 5 } }, { identifier: 't', spec: { maxAttempts: 5 } }]);
  const [a, b] = claim('default', 'w', fx.clock.now(), 2);
  const fail = prepareFailJobs(fx.handle.sqlite);
  const now = fx.clock.now();
  fail([
    { id: a!.id, queueName: 'q', attempt: 1, message: 'first "quoted" error', retryAt: now + 2718, final: false, at: now },
    { id: b!.id, queueName: null, attempt: 1, message: 'fatal', retryAt: now + 2718, final: true, at: now },
  ]);
  const ra = fx.row(a!.id)!;
  assert.deepEqual([ra.state, ra.run_at, ra.last_error, ra.locked_by], ['retrying', now + 2718, 'first "quoted" error', null]);
  assert.deepEqual(JSON.parse(ra.errors), [{ attempt: 1, at: now, message: 'first "quoted" error' }]);
  const rb = fx.row(b!.id)!;
  assert.deepEqual([rb.state, rb.attempts, rb.max_attempts, rb.run_at], ['dead', 5, 5, now]);
  assert.equal(fx.handle.sqlite.prepare("SELECT locked_at FROM job_queues WHERE queue_name = 'q'").pluck().get(), null);
});

test('statistics add up per task and day, keeping the longest run', async (t) => {
  const fx = queueFixture(t);
  const record = prepareRecordStats(fx.handle.sqlite);
  record([{ task: 't', day: '2026-01-01', succeeded: 2, failed: 1, dead: 0, totalMs: 30, maxMs: 20 }]);
  record([
    { task: 't', day: '2026-01-01', succeeded: 1, failed: 0, dead: 1, totalMs: 50, maxMs: 15 },
    { task: 't', day: '2026-01-02', succeeded: 1, failed: 0, dead: 0, totalMs: 5, maxMs: 5 },
  ]);
  assert.deepEqual(fx.handle.sqlite.prepare('SELECT * FROM job_stats ORDER BY day').all(), [
    { task_identifier: 't', day: '2026-01-01', succeeded: 3, failed: 1, dead: 1, total_ms: 80, max_ms: 20 },
    { task_identifier: 't', day: '2026-01-02', succeeded: 1, failed: 0, dead: 0, total_ms: 5, max_ms: 5 },
  ]);
});

test('known crontabs remember when an entry was first seen and move its last run only forward', async (t) => {
  const fx = queueFixture(t);
  const known = prepareKnownCrontabs(fx.handle.sqlite);
  known.ensure('hourly', 1000);
  known.ensure('hourly', 5000);
  assert.deepEqual(known.get('hourly'), { known_since: 1000, last_execution: null });
  assert.equal(known.advance('hourly', 3000), true);
  assert.equal(known.advance('hourly', 3000), false, 'the same tick is claimed once');
  assert.equal(known.advance('hourly', 2000), false, 'never backwards');
  assert.equal(known.advance('hourly', 4000), true);
  assert.deepEqual(known.get('hourly'), { known_since: 1000, last_execution: 4000 });
  assert.equal(known.get('missing'), undefined);
  assert.equal(known.advance('missing', 1), false);
});
