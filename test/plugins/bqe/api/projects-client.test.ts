import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createBqeProjectsClient, type BQEProjectsClient, type BqeRecord } from '../../../../src/plugins/bqe/api/projects-client.js';
import { startFixture, type BqeFixture } from '../oauth/connection-fixture.js';

let fx: BqeFixture;
let projects: BQEProjectsClient;

before(async () => {
  fx = await startFixture();
  await fx.connect();
  projects = createBqeProjectsClient(fx.api.forConnection({ id: fx.connectionId, utcOffsetMinutes: -300 }), fx.meta);
});
after(() => fx.close());

const readAll = async (pageSize: number, extra: Partial<Parameters<BQEProjectsClient['listPage']>[0]> = {}): Promise<BqeRecord[]> => {
  const all: BqeRecord[] = [];
  for (let page = fx.meta.api.paging.firstPage; ; page++) {
    const records = await projects.listPage({ page, pageSize, ...extra });
    all.push(...records);
    if (records.length < pageSize) return all;
  }
};

test('pages through every project from the first page index in metadata', async () => {
  const all = await readAll(25);
  assert.equal(all.length, fx.sim.sim.data.projects.size);
  assert.equal(new Set(all.map((p) => p.id)).size, all.length);
  assert.deepEqual(
    fx.recorded.filter((r) => r.url.pathname.endsWith('/project')).map((r) => r.url.searchParams.get('page')),
    ['1,25', '2,25', '3,25'],
  );
});

test('uses the configured page size unless told otherwise', async () => {
  await projects.listPage({ page: 1 });
  assert.equal(fx.recorded.at(-1)?.url.searchParams.get('page'), `1,${fx.meta.api.paging.pageSize}`);
});

test('a delta page holds only records at or after the cursor, oldest first', async () => {
  const stamps = (await readAll(1000)).map((p) => p.lastUpdated as string).sort();
  const cursor = stamps[Math.floor(stamps.length / 2)] as string;
  const delta = await projects.listPage({ page: 1, where: projects.where.gte('lastUpdated', cursor), orderByCursor: true });
  const got = delta.map((p) => p.lastUpdated as string);
  assert.deepEqual(got, [...got].sort());
  assert.ok(got.every((s) => s >= cursor));
  assert.equal(got.length, stamps.filter((s) => s >= cursor).length);
});

test('rootsOnly lists top-level projects only', async () => {
  const roots = await projects.listPage({ page: 1, where: projects.rootsOnly() });
  assert.ok(roots.length > 0);
  assert.ok(roots.every((p) => p.parentId === null && p.level === 0));
  assert.equal(roots.length, [...fx.sim.sim.data.projects.values()].filter((p) => p.parentId === null).length);
});

test('reads one project by id', async () => {
  const [first] = await projects.listPage({ page: 1, pageSize: 1 });
  const one = await projects.get(first?.id as string);
  assert.equal(one.id, first?.id);
  assert.equal(one.name, first?.name);
  assert.match(fx.recorded.at(-1)?.url.pathname ?? '', new RegExp(`/project/${first?.id}$`));
});
