import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { AppError } from '../../../../src/errors.js';
import { ReauthRequiredError } from '../../../../src/plugins/bqe/oauth/oauth-errors.js';
import { UpstreamError } from '../../../../src/platform/upstream-error.js';
import { startFixture, testMeta, type BqeFixture } from '../oauth/connection-fixture.js';

let fx: BqeFixture | undefined;
const start = async (...args: Parameters<typeof startFixture>) => {
  fx = await startFixture(...args);
  return fx;
};
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const PROJECTS = 'GET /t/[^/]+/api/project$';
const page = (f: BqeFixture, offset: number | null = -300) => f.api.forConnection({ id: f.connectionId, utcOffsetMinutes: offset }).list({ resource: 'project', idField: 'id', page: 1, pageSize: 10 });
const apiCalls = (f: BqeFixture) => f.recorded.filter((r) => r.url.pathname.startsWith('/t/'));

test('reads a page of records with the connection’s token and offset', async () => {
  const f = await start();
  await f.connect();
  const records = await page(f);
  assert.equal(records.length, 10);
  for (const r of records) assert.match(r.id, /^[0-9a-f-]{36}$/);
  const [call] = apiCalls(f);
  assert.equal(call?.headers.authorization, `Bearer ${f.repo.tokens(f.connectionId)?.accessToken}`);
  assert.equal(call?.headers['x-utc-offset'], '-300');
});

test('a 401 refreshes the token once and retries the call', async () => {
  const f = await start();
  await f.connect();
  await f.simPost('/tokens/expire');
  assert.equal((await page(f)).length, 10);
  const state = await f.simState();
  assert.equal(state.counters.tokensRefreshed, 1);
  assert.deepEqual(
    state.requests.filter((r) => r.path.endsWith('/project')).map((r) => r.status),
    [401, 200],
  );
  assert.deepEqual(f.logs.filter((l) => l.msg === 'bqe token refreshed').map((l) => l.reason), ['unauthorized']);
});

test('ten concurrent calls after the tokens expired at BQE cause exactly one refresh', async () => {
  const f = await start();
  await f.connect();
  await f.simPost('/tokens/expire');
  const pages = await Promise.all(Array.from({ length: 10 }, () => page(f)));
  assert.ok(pages.every((p) => p.length === 10));
  assert.equal((await f.simState()).counters.tokensRefreshed, 1);
});

test('ten concurrent calls after the stored token expired cause exactly one refresh', async () => {
  const f = await start();
  await f.connect();
  f.clock.advance(3600 * 1000);
  await Promise.all(Array.from({ length: 10 }, () => page(f)));
  const state = await f.simState();
  assert.equal(state.counters.tokensRefreshed, 1);
  assert.equal(state.counters.unauthorized, 0);
});

test('a second 401 right after a refresh is reported, not retried again', async () => {
  const f = await start();
  await f.connect();
  f.sim.sim.faults.add({ kind: 'status', status: 401, count: 2, match: PROJECTS });
  await assert.rejects(page(f), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.status, 401);
    assert.match(err.message, /refused GET \/project with 401 even with a newly refreshed access token/);
    return true;
  });
  assert.equal(apiCalls(f).length, 2);
});

test('a 429 pauses the connection for Retry-After, counted by the limiter, then succeeds', async () => {
  const f = await start();
  await f.connect();
  f.sim.sim.faults.add({ kind: 'status', status: 429, retryAfterSeconds: 1, match: PROJECTS });
  const started = Date.now();
  assert.equal((await page(f)).length, 10);
  assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
  assert.equal(f.limiter.stats(f.connectionId).byReason.retry_after, 1);
  assert.equal(apiCalls(f).length, 2);
});

test('a 429 without Retry-After waits the provider’s fallback', async () => {
  const f = await start({ meta: testMeta((m) => (m.rateLimits.retryAfterFallbackSeconds = 0.3)) });
  await f.connect();
  f.sim.sim.faults.add({ kind: 'status', status: 429, match: PROJECTS });
  const started = Date.now();
  await page(f);
  assert.ok(Date.now() - started >= 250);
  assert.equal(f.limiter.stats(f.connectionId).byReason.retry_after, 1);
});

test('gives up after maxRateLimitRetries waits with a transient error', async () => {
  const f = await start({ meta: testMeta((m) => (m.rateLimits.maxRateLimitRetries = 2)) });
  await f.connect();
  f.sim.sim.faults.add({ kind: 'status', status: 429, retryAfterSeconds: 0, count: 10, match: PROJECTS });
  await assert.rejects(page(f), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.status, 429);
    assert.ok(err.transient);
    assert.match(err.message, /kept answering GET \/project with 429 Too Many Requests after 2 waits/);
    return true;
  });
  assert.equal(apiCalls(f).length, 3);
});

test('a 403 explains the scopes and permissions to check', async () => {
  const f = await start();
  await f.connect({ scopes: ['offline_access'] });
  await assert.rejects(page(f), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.status, 403);
    assert.ok(err.authFailure);
    assert.match(err.message, /BQE refused GET \/project \(HTTP 403 Forbidden\)/);
    assert.match(err.message, /scopes read:core, offline_access in the BQE developer portal/);
    assert.match(err.message, /security permissions in BQE/);
    return true;
  });
});

test('a list answered with an object is a bad response naming the page', async () => {
  const f = await start({ sim: { malformedResponse: 'object' } });
  await f.connect();
  await assert.rejects(
    f.api.forConnection({ id: f.connectionId, utcOffsetMinutes: 60 }).list({ resource: 'project', idField: 'id', page: 2, pageSize: 5 }),
    (err: unknown) => err instanceof UpstreamError && err.kind === 'bad_response' && err.message === 'BQE answered GET /project page 2 with an object instead of a list',
  );
});

test('a record without an id is a bad response naming the record and page', async () => {
  const f = await start({ sim: { malformedResponse: 'missing_id' } });
  await f.connect();
  await assert.rejects(
    f.api.forConnection({ id: f.connectionId, utcOffsetMinutes: 60 }).list({ resource: 'client', idField: 'id', page: 1, pageSize: 5 }),
    (err: unknown) => err instanceof UpstreamError && err.kind === 'bad_response' && err.message === "BQE's record 1 on page 1 of /client has no id, so it cannot be mirrored",
  );
});

test('an HTML error page is a transient upstream error', async () => {
  const f = await start();
  await f.connect();
  f.sim.sim.faults.add({ kind: 'html', status: 502, match: PROJECTS });
  await assert.rejects(page(f), (err: unknown) => err instanceof UpstreamError && err.status === 502 && err.transient);
});

test('nothing is sent without a UTC offset, or with one outside the allowed range', async () => {
  const f = await start({ utcOffsetMinutes: null });
  await f.connect();
  const before = f.recorded.length;
  await assert.rejects(page(f, null), (err: unknown) => {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'bqe_utc_offset_missing');
    assert.match(err.message, /^Set this connection's UTC offset before syncing: .*X-UTC-OFFSET.*Save Offset/);
    return true;
  });
  for (const bad of [900, -721, 12.5]) {
    await assert.rejects(page(f, bad), (err: unknown) => err instanceof AppError && err.code === 'bqe_utc_offset_invalid' && err.message.includes(`${bad} minutes`) && err.message.includes('-720 to 840'));
  }
  assert.equal(f.recorded.length, before);
  assert.equal((await f.simState()).counters.apiRequests, 0);
});

test('a connection that needs a new sign-in makes no API call', async () => {
  const f = await start();
  await f.connect();
  f.repo.setStatus(f.connectionId, 'needs_reauth', 'BQE refused the stored refresh token (invalid_grant): it expired or was revoked. Reconnect OAuth to sign in again.', f.clock.now());
  await assert.rejects(page(f), ReauthRequiredError);
  assert.equal(apiCalls(f).length, 0);
});

test('a revoked refresh token met by a 401 ends in needs_reauth after one refresh attempt', async () => {
  const f = await start();
  await f.connect();
  await f.simPost('/tokens/revoke');
  await f.simPost('/tokens/expire');
  await assert.rejects(page(f), ReauthRequiredError);
  assert.equal(f.repo.get(f.connectionId)?.status, 'needs_reauth');
  const seen = f.recorded.length;
  await assert.rejects(page(f), ReauthRequiredError);
  assert.equal(f.recorded.length, seen);
});

test('reads one record by id; a missing one is a 404 naming the path and BQE’s message', async () => {
  const f = await start();
  await f.connect();
  const api = f.api.forConnection({ id: f.connectionId, utcOffsetMinutes: 0 });
  const [first] = await api.list({ resource: 'client', idField: 'id', page: 1, pageSize: 1 });
  const one = await api.get('client', first?.id as string, 'id');
  assert.deepEqual(one, first);
  await assert.rejects(api.get('client', '00000000-0000-0000-0000-000000000000', 'id'), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.status, 404);
    assert.ok(!err.transient);
    assert.match(err.message, /^BQE answered GET \/client\/00000000-0000-0000-0000-000000000000 with HTTP 404: “.*not found\.”$/);
    return true;
  });
  await assert.rejects(api.get('client/../project', 'x', 'id'), /is not a BQE resource name/);
});

test('a caller’s signal stops a call', async () => {
  const f = await start();
  await f.connect();
  f.sim.sim.faults.add({ kind: 'slow', delayMs: 2000, match: PROJECTS });
  const controller = new AbortController();
  const call = f.api.forConnection({ id: f.connectionId, utcOffsetMinutes: 0 }).list({ resource: 'project', page: 1, pageSize: 1 }, { signal: controller.signal });
  setTimeout(() => controller.abort(new Error('sync stopped')), 50);
  await assert.rejects(call, /sync stopped/);
});
