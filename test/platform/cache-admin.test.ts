import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import pino from 'pino';
import { createAuditRepository } from '../../src/db/repositories/audit-repository.js';
import { createCacheRepository } from '../../src/db/repositories/cache-repository.js';
import type { Actor } from '../../src/platform/actor.js';
import { createAuditService, type AuditService } from '../../src/platform/audit.js';
import { createCacheAdmin, type CacheAdmin } from '../../src/platform/cache-admin.js';
import { ManualClock } from '../../src/platform/clock.js';
import { SwrCache } from '../../src/platform/swr-cache.js';
import { migratedDb } from '../helpers/db.js';

const operator: Actor = { userId: 2, email: 'ops@example.com', role: 'operator', ip: '10.0.0.2', requestId: 'req-2' };
const viewer: Actor = { userId: 3, email: 'view@example.com', role: 'viewer', ip: null, requestId: null };

let handle: ReturnType<typeof migratedDb>;
let cache: SwrCache;
let audit: AuditService;
let admin: CacheAdmin;

beforeEach(() => {
  handle = migratedDb();
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  cache = new SwrCache(createCacheRepository(handle.db), clock, pino({ level: 'silent' }));
  audit = createAuditService(createAuditRepository(handle.db), clock);
  admin = createCacheAdmin({ cache, audit });
});

afterEach(() => handle.close());

const entries = () => audit.search({ limit: 50, offset: 0 }).rows.map((r) => ({ action: r.action, target: r.targetId, after: r.after, actor: r.actorEmail }));

test('purgeKey forgets one key and audits what it removed', () => {
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(admin.purgeKey(operator, 'a'), true);
  assert.equal(admin.purgeKey(operator, 'a'), false);
  assert.equal(cache.peek('b')?.value, 2);
  assert.deepEqual(entries().reverse(), [
    { action: 'cache.purge', target: 'a', after: '{"removed":1}', actor: 'ops@example.com' },
    { action: 'cache.purge', target: 'a', after: '{"removed":0}', actor: 'ops@example.com' },
  ]);
});

test('purgePrefix forgets the keys under a prefix, or everything for an empty one', () => {
  cache.set('jira:a', 1);
  cache.set('jira:b', 1);
  cache.set('other', 1);
  assert.equal(admin.purgePrefix(operator, 'jira:'), 2);
  assert.equal(admin.purgePrefix(operator, ''), 1);
  assert.deepEqual(entries().reverse().map((e) => [e.target, e.after]), [['jira:*', '{"removed":2}'], ['*', '{"removed":1}']]);
});

test('refresh hands the key to its refresher and audits only what was queued', () => {
  const asked: string[] = [];
  cache.registerRefresher('jira:', (key) => asked.push(key));
  assert.equal(admin.refresh(operator, 'jira:projects'), true);
  assert.equal(admin.refresh(operator, 'bqe:customers'), false);
  assert.deepEqual(asked, ['jira:projects']);
  assert.deepEqual(entries().map((e) => [e.action, e.target]), [['cache.refresh', 'jira:projects']]);
});

test('a viewer can do none of it, and nothing changes or is audited', () => {
  cache.set('a', 1);
  cache.registerRefresher('', () => assert.fail('refreshed for a viewer'));
  assert.throws(() => admin.purgeKey(viewer, 'a'), { status: 403 });
  assert.throws(() => admin.purgePrefix(viewer, ''), { status: 403 });
  assert.throws(() => admin.refresh(viewer, 'a'), { status: 403 });
  assert.equal(cache.peek('a')?.value, 1);
  assert.deepEqual(entries(), []);
});
