import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { prepareClaimJobs } from '../../../src/jobs/sql/claim-jobs.js';
import { prepareReleaseJobs } from '../../../src/jobs/sql/release-jobs.js';
import { queueFixture } from '../fixture.js';

const setup = async (t: TestContext) => {
  const fx = queueFixture(t);
  const claim = fx.handle.sqlite.transaction(prepareClaimJobs(fx.handle.sqlite)).immediate;
  const release = prepareReleaseJobs(fx.handle.sqlite);
  await fx.queue.addJobs([{ identifier: 't', spec: { queueName: 'q' } }, { identifier: 't' }, { identifier: 't' }]);
  const rows = claim('default', 'w1', fx.clock.now(), 10);
  const queueLocked = () => fx.handle.sqlite.prepare("SELECT locked_at FROM job_queues WHERE queue_name = 'q'").pluck().get() !== null;
  return { fx, rows, release, queueLocked };
};

test('unstarted() unlocks the jobs and gives their attempt back, and unlocks their queues', async (t) => {
  const { fx, rows, release, queueLocked } = await setup(t);
  release.unstarted(rows.slice(0, 2), fx.clock.now() + 5);
  assert.deepEqual(fx.rows().map((r) => [r.locked_by, r.attempts, r.updated_at]), [
    [null, 0, fx.clock.now() + 5],
    [null, 0, fx.clock.now() + 5],
    ['w1', 1, fx.clock.now()],
  ]);
  assert.equal(queueLocked(), false);
});

test('abandoned() unlocks the jobs and keeps their attempt', async (t) => {
  const { fx, rows, release, queueLocked } = await setup(t);
  release.abandoned(rows, fx.clock.now());
  assert.deepEqual(fx.rows().map((r) => [r.locked_by, r.attempts, r.state]), [[null, 1, 'retrying'], [null, 1, 'retrying'], [null, 1, 'retrying']]);
  assert.equal(queueLocked(), false);
});

test('unstarted() and abandoned() with no rows change nothing', async (t) => {
  const { fx, release } = await setup(t);
  const before = fx.rows();
  release.unstarted([], fx.clock.now());
  release.abandoned([], fx.clock.now());
  assert.deepEqual(fx.rows(), before);
});

test('stale() releases locks of other workers and old locks of this one, and counts them', async (t) => {
  const { fx, release, queueLocked } = await setup(t);
  assert.equal(release.stale('w1', fx.clock.now() - 1, fx.clock.now()), 0, 'our own fresh locks stay');
  assert.equal(queueLocked(), true);
  assert.equal(release.stale('w2', fx.clock.now() - 1, fx.clock.now()), 3, 'another worker reclaims them all');
  assert.equal(queueLocked(), false);
  assert.deepEqual(fx.rows().map((r) => r.attempts), [1, 1, 1]);
});

test('stale() releases this worker\'s locks taken before the cut-off', async (t) => {
  const { fx, release } = await setup(t);
  assert.equal(release.stale('w1', fx.clock.now() + 1, fx.clock.now() + 1), 3);
});
