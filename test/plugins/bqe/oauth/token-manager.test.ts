import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ReauthRequiredError } from '../../../../src/plugins/bqe/oauth/oauth-errors.js';
import { UpstreamError } from '../../../../src/platform/upstream-error.js';
import { startFixture, type BqeFixture } from './connection-fixture.js';

let fx: BqeFixture | undefined;
const start = async (...args: Parameters<typeof startFixture>) => {
  fx = await startFixture(...args);
  return fx;
};
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const refreshLines = (f: BqeFixture) => f.logs.filter((l) => l.msg === 'bqe token refreshed');

test('stores the exchanged tokens with the endpoint stripped and an expiry from the clock', async () => {
  const f = await start();
  const set = await f.connect();
  assert.equal(set.apiBaseUrl, f.sim.apiBase);
  assert.equal(set.expiresAt, f.clock.now() + 3600 * 1000);
  const stored = f.repo.tokens(f.connectionId);
  assert.equal(stored?.apiBaseUrl, f.sim.apiBase);
  assert.equal(f.repo.get(f.connectionId)?.status, 'connected');
});

test('hands out the stored token while it is fresh, without calling BQE', async () => {
  const f = await start();
  const set = await f.connect();
  const before = f.recorded.length;
  f.clock.advance((3600 - f.meta.oauth.refreshBeforeExpirySeconds - 1) * 1000);
  assert.deepEqual(await f.tokens.accessToken(f.connectionId), { token: set.accessToken, apiBaseUrl: f.sim.apiBase });
  assert.equal(f.recorded.length, before);
});

test('refreshes shortly before expiry and logs why, without token values', async () => {
  const f = await start();
  const set = await f.connect();
  f.clock.advance((3600 - f.meta.oauth.refreshBeforeExpirySeconds) * 1000);
  const grant = await f.tokens.accessToken(f.connectionId);
  assert.notEqual(grant.token, set.accessToken);
  const stored = f.repo.tokens(f.connectionId);
  assert.equal(stored?.accessToken, grant.token);
  assert.notEqual(stored?.refreshToken, set.refreshToken, 'the rotated refresh token is kept');
  assert.equal(stored?.expiresAt, f.clock.now() + 3600 * 1000);
  assert.equal((await f.simState()).counters.tokensRefreshed, 1);
  assert.deepEqual(
    refreshLines(f).map((l) => [l.connection, l.reason]),
    [[f.connectionId, 'expiry']],
  );
  const text = f.rawLogs.join('');
  for (const secret of [set.accessToken, set.refreshToken as string, grant.token, stored?.refreshToken as string]) assert.ok(!text.includes(secret));
});

test('ten concurrent callers after expiry share one refresh', async () => {
  const f = await start();
  await f.connect();
  f.clock.advance(3600 * 1000);
  const grants = await Promise.all(Array.from({ length: 10 }, () => f.tokens.accessToken(f.connectionId)));
  assert.equal(new Set(grants.map((g) => g.token)).size, 1);
  assert.equal((await f.simState()).counters.tokensRefreshed, 1);
  assert.equal(refreshLines(f).length, 1);
});

test('ten concurrent 401s on the same token cause one refresh; a late one uses the new token', async () => {
  const f = await start();
  const set = await f.connect();
  const grants = await Promise.all(Array.from({ length: 10 }, () => f.tokens.refresh(f.connectionId, { reason: 'unauthorized', rejectedToken: set.accessToken })));
  assert.equal(new Set(grants.map((g) => g.token)).size, 1);
  const late = await f.tokens.refresh(f.connectionId, { reason: 'unauthorized', rejectedToken: set.accessToken });
  assert.equal(late.token, grants[0]?.token);
  assert.equal((await f.simState()).counters.tokensRefreshed, 1);
  assert.deepEqual(refreshLines(f).map((l) => l.reason), ['unauthorized']);
});

test('a revoked refresh token marks the connection needs_reauth and stops calling BQE', async () => {
  const f = await start();
  const set = await f.connect();
  await f.simPost('/tokens/revoke');
  f.clock.advance(3600 * 1000);
  await assert.rejects(f.tokens.accessToken(f.connectionId), (err: unknown) => {
    assert.ok(err instanceof ReauthRequiredError);
    assert.equal(err.connectionId, f.connectionId);
    assert.equal(err.connectionStatus, 'needs_reauth');
    return true;
  });
  const connection = f.repo.get(f.connectionId);
  assert.equal(connection?.status, 'needs_reauth');
  assert.equal(connection?.statusReason, 'BQE refused the stored refresh token (invalid_grant): it expired or was revoked. Reconnect OAuth to sign in again.');
  assert.equal(f.repo.tokens(f.connectionId)?.refreshToken, set.refreshToken, 'the tokens are kept');
  const seen = f.recorded.length;
  await assert.rejects(f.tokens.accessToken(f.connectionId), (err: unknown) => err instanceof ReauthRequiredError && /Reconnect OAuth/.test(err.message));
  await assert.rejects(f.tokens.refresh(f.connectionId, { reason: 'unauthorized' }), ReauthRequiredError);
  assert.equal(f.recorded.length, seen, 'no further call reached BQE');
});

test('a connection granted no refresh token needs a new sign-in once its token expires', async () => {
  const f = await start();
  await f.connect({ scopes: ['read:core'] });
  assert.equal(f.repo.tokens(f.connectionId)?.refreshToken, null);
  f.clock.advance(3600 * 1000);
  const seen = f.recorded.length;
  await assert.rejects(f.tokens.accessToken(f.connectionId), (err: unknown) => err instanceof ReauthRequiredError && /no refresh token \(the offline_access scope was not granted\)/.test(err.message));
  assert.equal(f.repo.get(f.connectionId)?.status, 'needs_reauth');
  assert.equal(f.recorded.length, seen);
});

test('a connection that is not connected or needs consent is refused without calling BQE', async () => {
  const f = await start();
  await assert.rejects(f.tokens.accessToken(f.connectionId), (err: unknown) => err instanceof ReauthRequiredError && err.connectionStatus === 'not_connected' && /Connect with BQE/.test(err.message));
  await f.connect();
  f.repo.setStatus(f.connectionId, 'needs_consent', 'Switchyard now also needs read:core.', f.clock.now());
  const seen = f.recorded.length;
  await assert.rejects(f.tokens.accessToken(f.connectionId), (err: unknown) => err instanceof ReauthRequiredError && err.connectionStatus === 'needs_consent' && /now also needs read:core/.test(err.message));
  assert.equal(f.recorded.length, seen);
});

test('a refresh answer without endpoint keeps the stored API base', async () => {
  const f = await start({ sim: { omitEndpointOnRefresh: true } });
  await f.connect();
  f.clock.advance(3600 * 1000);
  const grant = await f.tokens.accessToken(f.connectionId);
  assert.equal(grant.apiBaseUrl, f.sim.apiBase);
  assert.equal(f.repo.tokens(f.connectionId)?.apiBaseUrl, f.sim.apiBase);
});

test('a refresh that fails on a server error leaves the connection connected and is tried again', async () => {
  const f = await start();
  await f.connect();
  f.sim.sim.faults.add({ kind: 'status', status: 503, match: 'POST /idp/connect/token' });
  f.clock.advance(3600 * 1000);
  await assert.rejects(f.tokens.accessToken(f.connectionId), (err: unknown) => err instanceof UpstreamError && err.transient);
  assert.equal(f.repo.get(f.connectionId)?.status, 'connected');
  assert.ok(await f.tokens.accessToken(f.connectionId), 'the next try refreshes');
});

test('a refused client secret on refresh needs the admin, with the reason saved', async () => {
  const f = await start();
  await f.connect();
  f.repo.update(f.connectionId, { clientSecret: 'rotated-in-bqe' }, f.clock.now());
  f.clock.advance(3600 * 1000);
  await assert.rejects(f.tokens.accessToken(f.connectionId), ReauthRequiredError);
  assert.equal(f.repo.get(f.connectionId)?.status, 'needs_reauth');
  assert.match(f.repo.get(f.connectionId)?.statusReason ?? '', /client ID and client secret \(invalid_client\)/);
});

test('a caller that stops waiting does not cancel the shared refresh', async () => {
  const f = await start();
  await f.connect();
  f.sim.sim.faults.add({ kind: 'slow', delayMs: 200, match: 'POST /idp/connect/token' });
  f.clock.advance(3600 * 1000);
  const impatient = new AbortController();
  const first = f.tokens.accessToken(f.connectionId, { signal: impatient.signal });
  const second = f.tokens.accessToken(f.connectionId);
  impatient.abort(new Error('stopped'));
  await assert.rejects(first, /stopped/);
  assert.ok((await second).token);
  assert.equal((await f.simState()).counters.tokensRefreshed, 1);
});

test('revoke sends the refresh token to BQE and leaves the stored tokens to the caller', async () => {
  const f = await start();
  const set = await f.connect();
  await f.tokens.revoke(f.connectionId);
  const revocation = f.recorded.at(-1);
  assert.equal(revocation?.url.pathname, '/idp/connect/revocation');
  assert.equal(new URLSearchParams(revocation?.body ?? '').get('token_type_hint'), 'refresh_token');
  assert.equal(f.repo.tokens(f.connectionId)?.refreshToken, set.refreshToken);
  f.clock.advance(3600 * 1000);
  await assert.rejects(f.tokens.accessToken(f.connectionId), ReauthRequiredError);
});
