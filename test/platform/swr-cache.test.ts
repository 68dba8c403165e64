import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import pino from 'pino';
import { createCacheRepository, type CacheRepository } from '../../src/db/repositories/cache-repository.js';
import { ManualClock } from '../../src/platform/clock.js';
import { SwrCache, type SwrPolicy } from '../../src/platform/swr-cache.js';
import { migratedDb } from '../helpers/db.js';

const silent = pino({ level: 'silent' });
const policy: SwrPolicy = { freshMs: 60_000, maxStaleMs: 600_000 };

let handle: ReturnType<typeof migratedDb>;
let repo: CacheRepository;
let clock: ManualClock;
let cache: SwrCache;

beforeEach(() => {
  handle = migratedDb();
  repo = createCacheRepository(handle.db);
  clock = new ManualClock(Date.UTC(2026, 0, 1));
  cache = new SwrCache(repo, clock, silent);
});

afterEach(() => handle.close());

/** A loader that counts its calls and answers value-1, value-2, … */
const counting = () => {
  const state = { calls: 0 };
  const load = async () => `value-${++state.calls}`;
  return Object.assign(state, { load });
};

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('loads a miss from upstream and serves it from memory while fresh', async () => {
  const loader = counting();
  const first = await cache.get('k', loader.load, policy);
  assert.deepEqual(first, { value: 'value-1', fetchedAt: clock.now(), fresh: true, source: 'upstream' });
  clock.advance(59_999);
  const second = await cache.get('k', loader.load, policy);
  assert.deepEqual(second, { value: 'value-1', fetchedAt: first.fetchedAt, fresh: true, source: 'memory' });
  assert.equal(loader.calls, 1);
});

test('serves a value stored by an earlier instance from SQLite without loading', async () => {
  await cache.get('k', async () => ({ projects: ['OPS'] }), policy);
  const restarted = new SwrCache(repo, clock, silent);
  const loader = counting();
  const read = await restarted.get('k', loader.load, policy);
  assert.deepEqual(read.value, { projects: ['OPS'] });
  assert.equal(read.source, 'sqlite');
  assert.equal(read.fresh, true);
  assert.equal(loader.calls, 0);
  assert.equal((await restarted.get('k', loader.load, policy)).source, 'memory');
});

test('serves a stale value at once and asks revalidate to refresh it', async () => {
  const loader = counting();
  await cache.get('k', loader.load, policy);
  clock.advance(120_000);
  const asked: string[] = [];
  const read = await cache.get('k', loader.load, { ...policy, revalidate: (key) => asked.push(key) });
  assert.equal(read.value, 'value-1');
  assert.equal(read.fresh, false);
  assert.deepEqual(asked, ['k']);
  await nextTurn();
  assert.equal(loader.calls, 1);
});

test('refresh loads and stores a new value that later reads see as fresh', async () => {
  const loader = counting();
  await cache.get('k', loader.load, policy);
  clock.advance(120_000);
  assert.equal(await cache.refresh('k', loader.load), 'value-2');
  const read = await cache.get('k', loader.load, policy);
  assert.deepEqual([read.value, read.fresh, read.fetchedAt], ['value-2', true, clock.now()]);
  assert.equal(JSON.parse(repo.get('k')!.value), 'value-2');
});

test('serves a stale value and reloads it in the background without revalidate', async () => {
  const loader = counting();
  await cache.get('k', loader.load, policy);
  clock.advance(120_000);
  const stale = await cache.get('k', loader.load, policy);
  assert.equal(stale.value, 'value-1');
  assert.equal(stale.fresh, false);
  await nextTurn();
  assert.equal(loader.calls, 2);
  const after = await cache.get('k', loader.load, policy);
  assert.deepEqual([after.value, after.fresh], ['value-2', true]);
});

test('keeps serving the stale value when a background reload fails', async () => {
  await cache.get('k', async () => 'old', policy);
  clock.advance(120_000);
  const read = await cache.get('k', async () => {
    throw new Error('upstream down');
  }, policy);
  assert.equal(read.value, 'old');
  await nextTurn();
  assert.equal(cache.peek('k')?.value, 'old');
});

test('reloads a value older than maxStale before answering', async () => {
  const loader = counting();
  await cache.get('k', loader.load, policy);
  clock.advance(600_000);
  const asked: string[] = [];
  const read = await cache.get('k', loader.load, { ...policy, revalidate: (key) => asked.push(key) });
  assert.deepEqual(read, { value: 'value-2', fetchedAt: clock.now(), fresh: true, source: 'upstream' });
  assert.deepEqual(asked, []);
});

test('shares one load among concurrent misses for the same key', async () => {
  let calls = 0;
  let release!: (v: string) => void;
  const load = () => {
    calls++;
    return new Promise<string>((resolve) => (release = resolve));
  };
  const reads = [cache.get('k', load, policy), cache.get('k', load, policy), cache.get('k', load, policy)];
  release('shared');
  const values = (await Promise.all(reads)).map((r) => r.value);
  assert.deepEqual(values, ['shared', 'shared', 'shared']);
  assert.equal(calls, 1);
});

test('loads different keys separately', async () => {
  const loader = counting();
  const [a, b] = await Promise.all([cache.get('a', loader.load, policy), cache.get('b', loader.load, policy)]);
  assert.notEqual(a.value, b.value);
  assert.equal(loader.calls, 2);
});

test('passes a failed load to every waiter and tries again on the next read', async () => {
  let fail = true;
  const load = async () => {
    if (fail) throw new Error('upstream down');
    return 'ok';
  };
  const results = await Promise.allSettled([cache.get('k', load, policy), cache.get('k', load, policy)]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.match(String((results[0] as PromiseRejectedResult).reason), /upstream down/);
  assert.equal(cache.peek('k'), undefined);
  assert.equal(repo.get('k'), undefined);
  fail = false;
  assert.equal((await cache.get('k', load, policy)).value, 'ok');
});

test('set stores a value that reads serve as fresh', async () => {
  cache.set('k', { a: 1 });
  const loader = counting();
  const read = await cache.get('k', loader.load, policy);
  assert.deepEqual([read.value, read.source], [{ a: 1 }, 'memory']);
  assert.equal(loader.calls, 0);
  assert.deepEqual(JSON.parse(repo.get('k')!.value), { a: 1 });
});

test('delete forgets one key in memory and on disk', async () => {
  cache.set('k', 1);
  cache.set('other', 2);
  assert.equal(cache.delete('k'), true);
  assert.equal(cache.delete('k'), false);
  assert.equal(cache.peek('k'), undefined);
  assert.equal(repo.get('k'), undefined);
  assert.equal(cache.peek('other')?.value, 2);
});

test('purge forgets every key under a prefix in memory and on disk', async () => {
  cache.set('jira:meta:OPS', 1);
  cache.set('jira:meta:HR', 2);
  cache.set('jira:projects', 3);
  assert.equal(cache.purge('jira:meta:'), 2);
  assert.equal(cache.peek('jira:meta:OPS'), undefined);
  assert.equal(cache.peek('jira:meta:HR'), undefined);
  assert.equal(cache.peek('jira:projects')?.value, 3);
  const loader = counting();
  assert.equal((await cache.get('jira:meta:OPS', loader.load, policy)).source, 'upstream');
});

test('counts hits and misses per key in stats, with age and size', async () => {
  const loader = counting();
  await cache.get('a', loader.load, policy); // miss
  await cache.get('a', loader.load, policy); // fresh hit
  clock.advance(120_000);
  await cache.get('a', loader.load, { ...policy, revalidate: () => {} }); // stale hit
  clock.advance(600_000);
  await cache.get('a', loader.load, policy); // too old: miss
  clock.advance(1_000);
  await cache.get('b', loader.load, policy); // miss
  const stats = cache.stats();
  assert.deepEqual(stats, [
    { key: 'a', fetchedAt: clock.now() - 1_000, ageMs: 1_000, bytes: JSON.stringify('value-2').length, inMemory: true, hits: 2, misses: 2, freshness: 'fresh', refreshable: false },
    { key: 'b', fetchedAt: clock.now(), ageMs: 0, bytes: JSON.stringify('value-3').length, inMemory: true, hits: 0, misses: 1, freshness: 'fresh', refreshable: false },
  ]);
  assert.deepEqual(cache.stats('b').map((s) => s.key), ['b']);
});

test('reports entries stored by an earlier instance as not in memory with zero counts', async () => {
  cache.set('k', 1);
  const restarted = new SwrCache(repo, clock, silent);
  assert.deepEqual(restarted.stats(), [{ key: 'k', fetchedAt: clock.now(), ageMs: 0, bytes: 1, inMemory: false, hits: 0, misses: 0, freshness: 'unknown', refreshable: false }]);
});

test('treats a damaged stored row as a miss and overwrites it', async () => {
  repo.put({ key: 'k', value: '{not json', fetchedAt: clock.now() });
  const loader = counting();
  const read = await cache.get('k', loader.load, policy);
  assert.deepEqual([read.value, read.source], ['value-1', 'upstream']);
  assert.equal(loader.calls, 1);
  assert.equal(repo.get('k')?.value, '"value-1"');
  assert.equal(cache.stats()[0]?.misses, 1);
  assert.equal(cache.stats()[0]?.hits, 0);
});

test('peek returns what is stored however old, without loading', async () => {
  assert.equal(cache.peek('k'), undefined);
  cache.set('k', 'v');
  const at = clock.now();
  clock.advance(10 * 600_000);
  assert.deepEqual(cache.peek('k'), { value: 'v', fetchedAt: at });
});

test('a load still running when its key is purged does not store the forgotten value', async () => {
  let release: (v: string) => void = () => undefined;
  const slow = () => new Promise<string>((resolve) => (release = resolve));
  const pending = cache.get('pf:k', slow, policy);
  await nextTurn();
  cache.purge('pf:');
  release('old schema');
  assert.equal((await pending).value, 'old schema', 'the caller still gets what it waited for');
  assert.equal(cache.peek('pf:k'), undefined);
  assert.equal(repo.get('pf:k'), undefined);
});

test('stats judge each key fresh, stale or expired by the policy of its last read', async () => {
  const loader = counting();
  await cache.get('recent', loader.load, policy);
  await cache.get('older', loader.load, policy);
  await cache.get('oldest', loader.load, policy);
  cache.set('unread', 1);
  clock.advance(120_000);
  await cache.get('older', loader.load, { ...policy, revalidate: () => {} });
  await cache.get('oldest', loader.load, { freshMs: 1_000, maxStaleMs: 200_000, revalidate: () => {} });
  clock.advance(100_000);
  await cache.get('recent', loader.load, { freshMs: 60_000, maxStaleMs: 120_000 }); // too old for this policy: reloaded now
  const freshness = Object.fromEntries(cache.stats().map((s) => [s.key, s.freshness]));
  assert.deepEqual(freshness, { older: 'stale', oldest: 'expired', recent: 'fresh', unread: 'unknown' });
});

test('hands a key to the refresher with the longest matching prefix and reports it refreshable', () => {
  const asked: string[] = [];
  cache.registerRefresher('jira:', (key) => asked.push(`jira ${key}`));
  cache.registerRefresher('jira:meta:', (key) => asked.push(`meta ${key}`));
  cache.set('jira:meta:OPS', 1);
  cache.set('jira:projects', 2);
  cache.set('other', 3);
  assert.equal(cache.requestRefresh('jira:meta:OPS'), true);
  assert.equal(cache.requestRefresh('jira:projects'), true);
  assert.deepEqual(asked, ['meta jira:meta:OPS', 'jira jira:projects']);
  assert.deepEqual(
    cache.stats().map((s) => [s.key, s.refreshable]),
    [['jira:meta:OPS', true], ['jira:projects', true], ['other', false]],
  );
});

test('requestRefresh answers false and calls nothing when no refresher covers the key', () => {
  const asked: string[] = [];
  cache.registerRefresher('jira:', (key) => asked.push(key));
  assert.equal(cache.requestRefresh('bqe:customers'), false);
  assert.deepEqual(asked, []);
});

test('refuses a second refresher for the same prefix', () => {
  cache.registerRefresher('jira:', () => {});
  assert.throws(() => cache.registerRefresher('jira:', () => {}), /already registered/);
});
