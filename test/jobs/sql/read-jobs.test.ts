import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterClause, prepareReadJobs } from '../../../src/jobs/sql/read-jobs.js';
import { queueFixture } from '../fixture.js';

test('an empty filter has no WHERE clause', () => {
  assert.deepEqual(filterClause({}), { where: '', params: {} });
});

test('filter values are bound as parameters, never spliced into the SQL', () => {
  const { where, params } = filterClause({ task: "x' OR 1=1 --", queue: 'q', pool: 'default', state: 'dead', text: 'a' });
  assert.equal(where.includes("x'"), false);
  assert.deepEqual(params, { task: "x' OR 1=1 --", queue: 'q', pool: 'default', state: 'dead', text: '%a%' });
  assert.match(where, /^WHERE task_identifier = @task AND queue_name = @queue AND pool = @pool AND state = @state AND \(/);
});

test('the search text escapes LIKE wildcards and the escape character', () => {
  assert.equal(filterClause({ text: '50%_off\\' }).params.text, '%50\\%\\_off\\\\%');
});

test('a quote in the search text finds nothing rather than failing', async (t) => {
  const fx = queueFixture(t);
  await fx.queue.addJob('t', { name: "O'Brien" });
  const read = prepareReadJobs(fx.handle.sqlite);
  assert.equal(read.list({ text: "o'brien" }, 10, 0).total, 1);
  assert.equal(read.list({ text: "'; DROP TABLE jobs; --" }, 10, 0).total, 0);
  assert.equal(fx.count(), 1);
});

test('idsMatching() pages through matching ids oldest first, after a given id, without running jobs', async (t) => {
  const fx = queueFixture(t);
  const jobs = await fx.queue.addJobs(Array.from({ length: 6 }, () => ({ identifier: 't' })));
  fx.handle.sqlite.prepare("UPDATE jobs SET locked_at = 1, locked_by = 'w' WHERE id = ?").run(jobs[2]!.id);
  const read = prepareReadJobs(fx.handle.sqlite);
  const ids = jobs.map((j) => j.id);
  assert.deepEqual(read.idsMatching({}, 0, 3), [ids[0], ids[1], ids[3]]);
  assert.deepEqual(read.idsMatching({}, ids[3]!, 3), [ids[4], ids[5]]);
  assert.deepEqual(read.idsMatching({ task: 'other' }, 0, 3), []);
});
