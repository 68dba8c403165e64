import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { prepareClaimJobs } from '../../../src/jobs/sql/claim-jobs.js';
import { queueFixture } from '../fixture.js';

const setup = (t: TestContext) => {
  const fx = queueFixture(t);
  const claim = fx.handle.sqlite.transaction(prepareClaimJobs(fx.handle.sqlite)).immediate;
  const lockedQueues = () => fx.handle.sqlite.prepare('SELECT queue_name, locked_by FROM job_queues WHERE locked_at IS NOT NULL ORDER BY 1').all();
  return { fx, claim, lockedQueues };
};

test('claims ready jobs of the pool best first, locking them and counting the attempt', async (t) => {
  const { fx, claim } = setup(t);
  const now = fx.clock.now();
  const [a, b, c] = await fx.queue.addJobs([
    { identifier: 't', spec: { priority: 1 } },
    { identifier: 't', spec: { runAt: new Date(now - 10) } },
    { identifier: 't' },
    { identifier: 't', spec: { pool: 'ui_fast' } },
    { identifier: 't', spec: { runAt: new Date(now + 1) } },
  ]);
  const rows = claim('default', 'w1', now, 10);
  assert.deepEqual(rows.map((r) => r.id), [b!.id, c!.id, a!.id]);
  for (const r of rows) assert.deepEqual([r.locked_at, r.locked_by, r.attempts, r.updated_at], [now, 'w1', 1, now]);
  assert.deepEqual(claim('default', 'w1', now, 10), [], 'locked jobs are not claimed twice');
});

test('claims no more than the limit', async (t) => {
  const { fx, claim } = setup(t);
  await fx.queue.addJobs(Array.from({ length: 5 }, () => ({ identifier: 't' })));
  assert.equal(claim('default', 'w1', fx.clock.now(), 2).length, 2);
  assert.equal(claim('default', 'w1', fx.clock.now(), 10).length, 3);
});

test('skips dead jobs', async (t) => {
  const { fx, claim } = setup(t);
  const job = await fx.queue.addJob('t', {}, { maxAttempts: 1 });
  await fx.queue.permanentlyFailJobs([job.id]);
  assert.deepEqual(claim('default', 'w1', fx.clock.now(), 10), []);
});

test('takes one job per named queue and locks the queue until it is released', async (t) => {
  const { fx, claim, lockedQueues } = setup(t);
  const [q1, , other, plain] = await fx.queue.addJobs([
    { identifier: 't', spec: { queueName: 'q' } },
    { identifier: 't', spec: { queueName: 'q' } },
    { identifier: 't', spec: { queueName: 'other' } },
    { identifier: 't' },
  ]);
  assert.deepEqual(claim('default', 'w1', fx.clock.now(), 10).map((r) => r.id), [q1!.id, other!.id, plain!.id]);
  assert.deepEqual(lockedQueues(), [{ queue_name: 'other', locked_by: 'w1' }, { queue_name: 'q', locked_by: 'w1' }]);
  assert.deepEqual(claim('default', 'w2', fx.clock.now(), 10), [], 'the second job of q waits for the first');
  fx.handle.sqlite.prepare("UPDATE job_queues SET locked_at = NULL, locked_by = NULL WHERE queue_name = 'q'").run();
  assert.equal(claim('default', 'w2', fx.clock.now(), 10).length, 1);
});
