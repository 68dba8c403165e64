import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../../helpers/hub.js';
import { apiClientFor, expectJson, type ApiClient, type ApiErrorBody } from '../api-client.js';
import { documentOf, schemaChecker } from '../openapi-helpers.js';

const HOUR = 3_600_000;

interface JobPage {
  items: { id: number; task: string; state: string; lastError: string | null }[];
  total: number;
  limit: number;
  offset: number;
}

describe('/api/v1/jobs', () => {
  let hub: TestHub;
  let reader: ApiClient;
  let operator: ApiClient;
  let check: ReturnType<typeof schemaChecker>;

  /** A job that stays put: its task does not exist and its run time is an hour ahead. */
  const parked = async (task: string, payload: unknown = {}) => (await hub.ctx.queue.addJob(task, payload, { runAt: new Date(hub.clock.now() + HOUR) })).id;
  const dead = async (task: string, reason: string) => {
    const id = await parked(task);
    await hub.ctx.queue.permanentlyFailJobs([id], reason);
    return id;
  };
  const stateOf = (id: number): string | undefined => (hub.ctx.db.sqlite.prepare('SELECT state FROM jobs_view WHERE id = ?').get(id) as { state: string } | undefined)?.state;
  const ids = (page: JobPage) => page.items.map((j) => j.id);

  before(async () => {
    hub = await startTestHub({ startJobs: false });
    reader = apiClientFor(hub, { scopes: ['jobs:read'] });
    operator = apiClientFor(hub, { scopes: ['jobs:read', 'jobs:write'] });
    check = schemaChecker(await documentOf(hub));
  });
  after(() => hub.close());

  test('lists and searches jobs newest first, with limit and offset at any position', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await parked('api.listed', { person: i === 2 ? 'alice' : `person ${i}` }));
    const all = await expectJson<JobPage>(await reader.get('/api/v1/jobs?task=api.listed'), 200);
    check('JobPage', all);
    assert.deepEqual(ids(all), [...made].reverse());
    assert.equal(all.total, 5);

    const middle = await expectJson<JobPage>(await reader.get('/api/v1/jobs?task=api.listed&limit=2&offset=1'), 200);
    assert.deepEqual(ids(middle), [made[3], made[2]]);
    assert.deepEqual({ total: middle.total, limit: middle.limit, offset: middle.offset }, { total: 5, limit: 2, offset: 1 });
    const tail = await expectJson<JobPage>(await reader.get('/api/v1/jobs?task=api.listed&limit=2&offset=4'), 200);
    assert.deepEqual(ids(tail), [made[0]]);

    const found = await expectJson<JobPage>(await reader.get('/api/v1/jobs?text=alice'), 200);
    assert.deepEqual(ids(found), [made[2]]);
  });

  test('reads one job with its error history, and 404s one that does not exist', async () => {
    const id = await dead('api.dead-one', 'Jira answered 401');
    const job = await expectJson<{ id: number; state: string; lastError: string; errors: unknown[] }>(await reader.get(`/api/v1/jobs/${id}`), 200);
    check('Job', job);
    assert.equal(job.state, 'dead');
    assert.equal(job.lastError, 'Jira answered 401');
    const missing = await expectJson<ApiErrorBody>(await reader.get('/api/v1/jobs/999999'), 404);
    assert.equal(missing.error.code, 'not_found');
    const bad = await expectJson<ApiErrorBody>(await reader.get('/api/v1/jobs/abc'), 422);
    assert.ok((bad.error.details!.fields as Record<string, string>).id);
  });

  test('refuses an unknown filter and an unknown state with 422 naming the field', async () => {
    const unknown = await expectJson<ApiErrorBody>(await reader.get('/api/v1/jobs?colour=red'), 422);
    assert.deepEqual(Object.keys(unknown.error.details!.fields as object), ['colour']);
    const state = await expectJson<ApiErrorBody>(await reader.get('/api/v1/jobs?state=sleeping'), 422);
    assert.ok((state.error.details!.fields as Record<string, string>).state);
  });

  test('retries and discards by id, reporting how many changed and leaving other jobs alone', async () => {
    const a = await dead('api.bulk', 'boom');
    const b = await dead('api.bulk', 'boom');
    const untouched = await dead('api.bulk', 'boom');
    const retried = await expectJson<{ changed: number }>(await operator.post('/api/v1/jobs/retry', { ids: [a, b, 999_999] }), 200);
    check('JobsChanged', retried);
    assert.equal(retried.changed, 2);
    assert.equal(stateOf(a), 'retrying', 'queued again, keeping its attempts');
    assert.equal(stateOf(untouched), 'dead');

    const discarded = await expectJson<{ changed: number }>(await operator.post('/api/v1/jobs/discard', { ids: [a] }), 200);
    assert.equal(discarded.changed, 1);
    assert.equal(stateOf(a), undefined);
    assert.equal(stateOf(b), 'retrying');
  });

  test('retries every dead job matching a filter, and only dead ones', async () => {
    const deadOnes = [await dead('api.matching', 'x'), await dead('api.matching', 'y')];
    const queued = await parked('api.matching');
    const other = await dead('api.elsewhere', 'z');
    const body = await expectJson<{ changed: number }>(await operator.post('/api/v1/jobs/dead/retry', { filter: { task: 'api.matching' } }), 200);
    assert.equal(body.changed, 2);
    for (const id of deadOnes) assert.equal(stateOf(id), 'retrying');
    assert.equal(stateOf(queued), 'queued');
    assert.equal(stateOf(other), 'dead');
    const discarded = await expectJson<{ changed: number }>(await operator.post('/api/v1/jobs/dead/discard', { filter: { task: 'api.elsewhere' } }), 200);
    assert.equal(discarded.changed, 1);
    assert.equal(stateOf(other), undefined);
  });

  test('refuses an empty or malformed id list with 422 and changes nothing', async () => {
    const id = await dead('api.refused', 'x');
    for (const body of [{ ids: [] }, { ids: ['one'] }, { ids: [id], also: true }, {}]) {
      const res = await expectJson<ApiErrorBody>(await operator.post('/api/v1/jobs/retry', body), 422);
      assert.equal(res.error.code, 'validation_failed', JSON.stringify(body));
      assert.ok(res.error.details?.fields, JSON.stringify(body));
    }
    assert.equal(stateOf(id), 'dead');
  });

  test('a credential with only jobs:read cannot retry: 403 scope_missing, nothing changes', async () => {
    const id = await dead('api.read-only', 'x');
    const body = await expectJson<ApiErrorBody>(await reader.post('/api/v1/jobs/retry', { ids: [id] }), 403);
    assert.equal(body.error.code, 'scope_missing');
    assert.equal(body.error.details?.scope, 'jobs:write');
    assert.equal(stateOf(id), 'dead');
  });
});
