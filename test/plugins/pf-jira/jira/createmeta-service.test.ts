import assert from 'node:assert/strict';
import fs from 'node:fs';
import { afterEach, test } from 'node:test';
import pino from 'pino';
import { createCacheRepository } from '../../../../src/db/repositories/cache-repository.js';
import { ManualClock } from '../../../../src/platform/clock.js';
import { SwrCache } from '../../../../src/platform/swr-cache.js';
import { createCreatemetaService, createmetaKeys, parseCreatemetaKey } from '../../../../src/plugins/pf-jira/jira/createmeta-service.js';
import type { JiraClient } from '../../../../src/plugins/pf-jira/jira/jira-client.js';
import type { FieldMeta, IssueTypeMeta } from '../../../../src/plugins/pf-jira/jira/jira-types.js';
import { migratedDb } from '../../../helpers/db.js';

const MINUTE = 60_000;

const opened: ReturnType<typeof migratedDb>[] = [];
afterEach(() => {
  for (const handle of opened.splice(0)) {
    handle.close();
    fs.rmSync(handle.dataDir, { recursive: true, force: true });
  }
});

/** A Jira that counts its calls and answers from tables the test can change. */
const fakeJira = () => {
  const calls: string[] = [];
  const data = {
    projects: [{ id: '1', key: 'OPS', name: 'Operations' }],
    issueTypes: { OPS: [{ id: '10001', name: 'Task', subtask: false }], OPS2: [{ id: '10002', name: 'Bug', subtask: false }] } as Record<string, IssueTypeMeta[]>,
    fields: [{ fieldId: 'summary', name: 'Summary', required: true, schema: { type: 'string', system: 'summary' } }] as FieldMeta[],
  };
  const client = {
    allProjects: async () => {
      calls.push('projects');
      return data.projects;
    },
    issueTypes: async (projectKey: string) => {
      calls.push(`issuetypes ${projectKey}`);
      return data.issueTypes[projectKey] ?? [];
    },
    createMetaFields: async (projectKey: string, issueTypeId: string) => {
      calls.push(`fields ${projectKey} ${issueTypeId}`);
      return data.fields;
    },
  } as unknown as JiraClient;
  return { client, calls, data };
};

const setup = (options: { revalidate?: (key: string) => void } = {}) => {
  const handle = migratedDb();
  opened.push(handle);
  const repo = createCacheRepository(handle.db);
  const clock = new ManualClock();
  const logger = pino({ level: 'silent' });
  const jira = fakeJira();
  const policy = { freshMs: 10 * MINUTE, maxStaleMs: 60 * MINUTE };
  const cache = new SwrCache(repo, clock, logger);
  const service = createCreatemetaService({ cache, client: () => jira.client, policy: () => policy, ...options });
  return { service, cache, clock, jira, policy, repo, logger };
};

test('loads projects from Jira once and serves them from memory while fresh', async () => {
  const { service, clock, jira } = setup();
  const first = await service.projects();
  assert.deepEqual(first.value, [{ id: '1', key: 'OPS', name: 'Operations' }]);
  assert.equal(first.source, 'upstream');
  clock.advance(9 * MINUTE);
  const second = await service.projects();
  assert.equal(second.source, 'memory');
  assert.equal(second.fresh, true);
  assert.deepEqual(jira.calls, ['projects']);
});

test('serves a stale create screen at once and hands its key to revalidate', async () => {
  const revalidated: string[] = [];
  const { service, clock, jira } = setup({ revalidate: (key) => revalidated.push(key) });
  await service.fields('OPS', '10001');
  clock.advance(11 * MINUTE);
  const read = await service.fields('OPS', '10001');
  assert.equal(read.fresh, false);
  assert.equal(read.value[0]?.fieldId, 'summary');
  assert.deepEqual(revalidated, ['pf-jira:createmeta:OPS:10001']);
  assert.deepEqual(jira.calls, ['fields OPS 10001']);
});

test('refreshes a stale entry in the background when no revalidate job is given', async () => {
  const { service, clock, jira } = setup();
  await service.issueTypes('OPS');
  jira.data.issueTypes.OPS = [{ id: '10001', name: 'Task', subtask: false }, { id: '10005', name: 'Onboarding', subtask: false }];
  clock.advance(11 * MINUTE);
  const stale = await service.issueTypes('OPS');
  assert.equal(stale.value.length, 1);
  await new Promise((resolve) => setImmediate(resolve));
  const after = await service.issueTypes('OPS');
  assert.equal(after.fresh, true);
  assert.deepEqual(after.value.map((t) => t.name), ['Task', 'Onboarding']);
});

test('reloads before answering once an entry is older than the stale limit', async () => {
  const { service, clock, jira } = setup({ revalidate: () => assert.fail('too old to serve stale') });
  await service.projects();
  clock.advance(61 * MINUTE);
  const read = await service.projects();
  assert.equal(read.source, 'upstream');
  assert.equal(read.fresh, true);
  assert.deepEqual(jira.calls, ['projects', 'projects']);
});

test('reads the policy on every call, so a changed setting applies at once', async () => {
  const { service, clock, jira, policy } = setup();
  await service.projects();
  clock.advance(2 * MINUTE);
  policy.freshMs = MINUTE;
  policy.maxStaleMs = MINUTE;
  assert.equal((await service.projects()).source, 'upstream');
  assert.equal(jira.calls.length, 2);
});

test('finds what an earlier process stored in SQLite', async () => {
  const { service, repo, clock, logger, jira } = setup();
  await service.fields('OPS', '10001');
  const restarted = createCreatemetaService({ cache: new SwrCache(repo, clock, logger), client: () => jira.client, policy: () => ({ freshMs: 10 * MINUTE, maxStaleMs: 60 * MINUTE }) });
  const read = await restarted.fields('OPS', '10001');
  assert.equal(read.source, 'sqlite');
  assert.deepEqual(jira.calls, ['fields OPS 10001']);
});

test('finds an issue type by name, ignoring case and spaces', async () => {
  const { service } = setup();
  assert.deepEqual(await service.issueTypeByName('OPS', '  task '), { id: '10001', name: 'Task', subtask: false });
  assert.equal(await service.issueTypeByName('OPS', 'Epic'), undefined);
});

test('purges one project\'s issue types and create screens and leaves other projects\' screens alone', async () => {
  const { service, cache, jira } = setup();
  await service.issueTypes('OPS');
  await service.fields('OPS', '10001');
  await service.fields('OPS', '10002');
  await service.fields('OPS2', '10002');
  await service.projects();
  assert.equal(service.purgeProject('OPS'), 3);
  assert.equal(cache.peek(createmetaKeys.fields('OPS', '10001')), undefined);
  assert.equal(cache.peek(createmetaKeys.issueTypes('OPS')), undefined);
  assert.ok(cache.peek(createmetaKeys.fields('OPS2', '10002')));
  assert.ok(cache.peek(createmetaKeys.projects()));
  await service.fields('OPS', '10001');
  assert.equal(jira.calls.filter((c) => c === 'fields OPS 10001').length, 2);
});

test('refreshes one key by reading what it names', async () => {
  const { service, cache, jira, clock } = setup();
  await service.fields('OPS', '10001');
  clock.advance(30 * MINUTE);
  jira.data.fields = [{ fieldId: 'labels', name: 'Labels', required: false, schema: { type: 'array', items: 'string', system: 'labels' } }];
  assert.equal(await service.refresh('pf-jira:createmeta:OPS:10001'), true);
  assert.equal(await service.refresh('pf-jira:issuetypes:OPS2'), true);
  assert.equal(await service.refresh('pf-jira:projects'), true);
  const stored = cache.peek<FieldMeta[]>(createmetaKeys.fields('OPS', '10001'));
  assert.equal(stored?.value[0]?.fieldId, 'labels');
  assert.equal(stored?.fetchedAt, clock.now());
  assert.deepEqual(jira.calls, ['fields OPS 10001', 'fields OPS 10001', 'issuetypes OPS2', 'projects']);
});

test('declines to refresh a key that is not Jira metadata', async () => {
  const { service, jira } = setup();
  assert.equal(await service.refresh('bqe:customers'), false);
  assert.equal(await service.refresh('pf-jira:createmeta:OPS'), false);
  assert.deepEqual(jira.calls, []);
});

test('builds keys that parse back to what they name', () => {
  assert.equal(createmetaKeys.projects(), 'pf-jira:projects');
  assert.equal(createmetaKeys.issueTypes('OPS'), 'pf-jira:issuetypes:OPS');
  assert.equal(createmetaKeys.fields('OPS', '10001'), 'pf-jira:createmeta:OPS:10001');
  assert.deepEqual(parseCreatemetaKey(createmetaKeys.fields('OPS', '10001')), { kind: 'fields', projectKey: 'OPS', issueTypeId: '10001' });
  assert.deepEqual(parseCreatemetaKey(createmetaKeys.issueTypes('HR')), { kind: 'issueTypes', projectKey: 'HR' });
  assert.deepEqual(parseCreatemetaKey('pf-jira:projects'), { kind: 'projects' });
});
