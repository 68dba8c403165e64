import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../../src/simulators/bqe/registered-clients.js';
import { bqeFixture, VERIFIER } from './bqe-fixture.js';

type OAuthBody = { error: string; error_description: string };

test('publishes a discovery document pointing at its own endpoints', async () => {
  const { sim } = bqeFixture();
  const doc = (await (await sim.app.request('http://sim.test:4030/idp/.well-known/openid-configuration')).json()) as Record<string, unknown>;
  assert.equal(doc.issuer, 'http://sim.test:4030/idp');
  assert.equal(doc.token_endpoint, 'http://sim.test:4030/idp/connect/token');
  assert.equal(doc.authorization_endpoint, 'http://sim.test:4030/idp/connect/authorize');
  assert.equal(doc.revocation_endpoint, 'http://sim.test:4030/idp/connect/revocation');
  assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(doc.scopes_supported, ['read:core', 'readwrite:core', 'offline_access', 'openid', 'profile', 'email', 'address']);
  assert.deepEqual(await (await sim.app.request('/idp/.well-known/openid-configuration/jwks')).json(), { keys: [] });
});

test('the default client id has 32 characters before .apps.bqe.com', () => {
  assert.match(DEFAULT_CLIENT_ID, /^[a-z0-9]{32}\.apps\.bqe\.com$/);
});

test('consents at once and redirects to the registered URI with a code and the state echoed', async () => {
  const f = bqeFixture();
  const res = await f.authorize({ state: 'opaque/state+with=chars' });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location') as string);
  assert.equal(`${location.origin}${location.pathname}`, f.redirectUri);
  assert.equal(location.searchParams.get('state'), 'opaque/state+with=chars');
  assert.match(location.searchParams.get('code') ?? '', /^[0-9A-F]{64}$/);
  assert.equal(f.sim.snapshot().counters.codesIssued, 1);
});

test('shows an error page and never redirects for an unknown client', async () => {
  const f = bqeFixture();
  const res = await f.authorize({ client_id: 'nobody.apps.bqe.com' });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('location'), null);
  assert.match(await res.text(), /unauthorized_client.*Unknown client &#34;nobody\.apps\.bqe\.com&#34;/s);
});

test('refuses a redirect URI that differs from the registered one, even by a trailing slash', async () => {
  const f = bqeFixture();
  for (const redirect of [`${f.redirectUri}/`, 'http://evil.example/callback', f.redirectUri.replace('http:', 'https:')]) {
    const res = await f.authorize({ redirect_uri: redirect });
    assert.equal(res.status, 400, redirect);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /is not registered for this client/);
  }
  assert.equal((await f.authorize({ redirect_uri: null })).status, 400);
});

test('accepts any http(s) redirect URI when told to, for local demos', async () => {
  const f = bqeFixture({ acceptAnyRedirect: true });
  const res = await f.authorize({ redirect_uri: 'http://127.0.0.1:9999/admin/bqe/oauth/callback' });
  assert.equal(res.status, 302);
  assert.match(res.headers.get('location') ?? '', /^http:\/\/127\.0\.0\.1:9999\/admin\/bqe\/oauth\/callback\?code=/);
  assert.equal((await f.authorize({ redirect_uri: 'javascript:alert(1)' })).status, 400);
});

test('sends other authorize problems back to the client as error and state', async () => {
  const f = bqeFixture();
  const cases: [Record<string, string | null>, string, RegExp][] = [
    [{ response_type: 'token' }, 'unsupported_response_type', /code/],
    [{ scope: 'read:core write:everything' }, 'invalid_scope', /Unknown scope "write:everything"/],
    [{ scope: null }, 'invalid_scope', /required/],
    [{ code_challenge_method: 'plain' }, 'invalid_request', /must be S256; plain is not accepted/],
    [{ code_challenge_method: null }, 'invalid_request', /plain is not accepted/],
    [{ code_challenge: null }, 'invalid_request', /without code_challenge/],
    [{ code_challenge: 'short' }, 'invalid_request', /43 characters/],
  ];
  for (const [overrides, error, description] of cases) {
    const params = await f.callback(overrides);
    assert.equal(params.get('error'), error, JSON.stringify(overrides));
    assert.match(params.get('error_description') ?? '', description);
    assert.equal(params.get('state'), 'state-123');
    assert.equal(params.get('code'), null);
  }
});

test('requires state', async () => {
  const params = await bqeFixture().callback({ state: null });
  assert.equal(params.get('error'), 'invalid_request');
  assert.match(params.get('error_description') ?? '', /state is required/);
});

test('accepts an authorize request without PKCE', async () => {
  const params = await bqeFixture().callback({ code_challenge: null, code_challenge_method: null });
  assert.ok(params.get('code'));
});

test('redirects with access_denied when the user is set to refuse consent', async () => {
  const f = bqeFixture();
  f.sim.setConfig({ denyConsent: true });
  const params = await f.callback();
  assert.equal(params.get('error'), 'access_denied');
  assert.equal(params.get('state'), 'state-123');
  assert.equal(params.get('code'), null);
});

test('trades a code and the right PKCE verifier for tokens shaped as the contract says', async () => {
  const f = bqeFixture();
  const code = (await f.callback({ scope: 'read:core openid offline_access' })).get('code') as string;
  const res = await f.exchange(code);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const body = (await res.json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['id_token', 'access_token', 'expires_in', 'token_type', 'refresh_token', 'scope', 'endpoint']);
  assert.equal(body.expires_in, 3600);
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.scope, 'read:core openid offline_access');
  assert.equal(body.endpoint, 'http://localhost/t/switchyard-demo/api/');
  assert.match(body.access_token as string, /^eyJ/);
  assert.equal(f.sim.snapshot().counters.tokensIssued, 1);
});

test('signs the id_token with the client secret and names the client as audience', async () => {
  const f = bqeFixture();
  const { id_token } = await f.signIn('read:core openid email');
  const [header, payload, signature] = (id_token as string).split('.') as [string, string, string];
  assert.equal(createHmac('sha256', DEFAULT_CLIENT_SECRET).update(`${header}.${payload}`).digest('base64url'), signature);
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  assert.equal(claims.iss, 'http://localhost/idp');
  assert.equal(claims.aud, DEFAULT_CLIENT_ID);
  assert.equal(claims.email, 'avery.simmons@example.com');
});

test('refuses a wrong or missing PKCE verifier with invalid_grant', async () => {
  const f = bqeFixture();
  for (const extra of [{ code_verifier: `${VERIFIER}x` }, {} as Record<string, string>, { code_verifier: 'too-short' }]) {
    const code = (await f.callback()).get('code') as string;
    const res = await f.exchange(code, extra);
    assert.equal(res.status, 400);
    const body = (await res.json()) as OAuthBody;
    assert.equal(body.error, 'invalid_grant');
    assert.match(body.error_description, /code_verifier/);
  }
  assert.equal(f.sim.snapshot().counters.tokenRequestsRefused, 3);
});

test('refuses a verifier when the authorize request had no challenge', async () => {
  const f = bqeFixture();
  const code = (await f.callback({ code_challenge: null, code_challenge_method: null })).get('code') as string;
  const res = await f.exchange(code);
  assert.equal(((await res.json()) as OAuthBody).error, 'invalid_grant');
});

test('spends a code on first use: a replay and a retry after a wrong verifier both fail', async () => {
  const f = bqeFixture();
  const code = (await f.callback()).get('code') as string;
  assert.equal((await f.exchange(code)).status, 200);
  const replay = await f.exchange(code);
  assert.equal(replay.status, 400);
  assert.match(((await replay.json()) as OAuthBody).error_description, /already used/);

  const second = (await f.callback()).get('code') as string;
  assert.equal((await f.exchange(second, { code_verifier: `${VERIFIER}x` })).status, 400);
  assert.equal((await f.exchange(second)).status, 400);
});

test('refuses an expired code, on the injected clock', async () => {
  const f = bqeFixture({ codeLifetimeSeconds: 60 });
  const code = (await f.callback()).get('code') as string;
  f.clock.advance(60_000);
  const res = await f.exchange(code);
  assert.match(((await res.json()) as OAuthBody).error_description, /expired/);
});

test('binds the code to its redirect URI and client', async () => {
  const f = bqeFixture({
    registeredClients: [
      { clientId: 'a'.repeat(32) + '.apps.bqe.com', clientSecret: 's1', redirectUris: ['http://127.0.0.1:3000/cb'], tenant: 'one' },
      { clientId: 'b'.repeat(32) + '.apps.bqe.com', clientSecret: 's2', redirectUris: ['http://127.0.0.1:3000/cb'], tenant: 'two' },
    ],
  });
  const code = (await f.callback()).get('code') as string;
  const wrongRedirect = await f.token({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:3000/cb/', ...f.credentials, code_verifier: VERIFIER });
  assert.match(((await wrongRedirect.json()) as OAuthBody).error_description, /redirect_uri does not match/);
  const other = (await f.callback()).get('code') as string;
  const otherClient = await f.token({ grant_type: 'authorization_code', code: other, redirect_uri: f.redirectUri, client_id: 'b'.repeat(32) + '.apps.bqe.com', client_secret: 's2', code_verifier: VERIFIER });
  assert.equal(((await otherClient.json()) as OAuthBody).error, 'invalid_grant');
});

test('answers 401 invalid_client for a wrong secret or an unknown client', async () => {
  const f = bqeFixture();
  const code = (await f.callback()).get('code') as string;
  for (const creds of [{ ...f.credentials, client_secret: 'wrong' }, { client_id: 'x.apps.bqe.com', client_secret: 'y' }, { client_id: f.client.clientId }]) {
    const res = await f.token({ grant_type: 'authorization_code', code, redirect_uri: f.redirectUri, code_verifier: VERIFIER, ...creds });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as OAuthBody).error, 'invalid_client');
  }
});

test('takes only form-encoded token requests and known grant types', async () => {
  const f = bqeFixture();
  const json = await f.sim.app.request('/idp/connect/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'refresh_token' }) });
  assert.equal(json.status, 400);
  assert.deepEqual(await json.json(), { error: 'invalid_request', error_description: 'The body must be application/x-www-form-urlencoded.' });
  const password = await f.token({ grant_type: 'password', ...f.credentials });
  assert.equal(((await password.json()) as OAuthBody).error, 'unsupported_grant_type');
  const twice = await f.sim.app.request('/idp/connect/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `grant_type=refresh_token&refresh_token=a&refresh_token=b&client_id=${encodeURIComponent(f.client.clientId)}&client_secret=${f.client.clientSecret}`,
  });
  assert.match(((await twice.json()) as OAuthBody).error_description, /refresh_token is given more than once/);
});

test('issues no refresh token without offline_access', async () => {
  const tokens = await bqeFixture().signIn('read:core');
  assert.equal(tokens.refresh_token, undefined);
  assert.equal(tokens.scope, 'read:core');
});

test('rotates refresh tokens: the new one works and the old one is refused', async () => {
  const f = bqeFixture();
  const first = await f.signIn();
  const refresh = (token: string) => f.token({ grant_type: 'refresh_token', refresh_token: token, ...f.credentials });
  const res = await refresh(first.refresh_token as string);
  assert.equal(res.status, 200);
  const second = (await res.json()) as { refresh_token: string; access_token: string; endpoint: string };
  assert.notEqual(second.refresh_token, first.refresh_token);
  assert.notEqual(second.access_token, first.access_token);
  assert.equal(second.endpoint, first.endpoint);
  const reused = await refresh(first.refresh_token as string);
  assert.equal(reused.status, 400);
  assert.equal(((await reused.json()) as OAuthBody).error, 'invalid_grant');
  assert.equal((await refresh(second.refresh_token)).status, 200);
  assert.equal(f.sim.snapshot().counters.tokensRefreshed, 2);
});

test('keeps the same refresh token when rotation is off', async () => {
  const f = bqeFixture({ rotateRefreshTokens: false });
  const first = await f.signIn();
  for (let i = 0; i < 2; i++) {
    const res = await f.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string, ...f.credentials });
    assert.equal(((await res.json()) as { refresh_token: string }).refresh_token, first.refresh_token);
  }
});

test('leaves endpoint out of refresh answers when told to', async () => {
  const f = bqeFixture({ omitEndpointOnRefresh: true });
  const first = await f.signIn();
  const res = await f.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string, ...f.credentials });
  assert.equal('endpoint' in ((await res.json()) as object), false);
});

test('refuses to widen scopes on refresh but allows narrowing them', async () => {
  const f = bqeFixture({ rotateRefreshTokens: false });
  const first = await f.signIn('read:core offline_access');
  const widen = await f.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string, scope: 'readwrite:core', ...f.credentials });
  assert.equal(((await widen.json()) as OAuthBody).error, 'invalid_scope');
  const narrow = await f.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string, scope: 'read:core', ...f.credentials });
  assert.equal(((await narrow.json()) as { scope: string }).scope, 'read:core');
});

test('refuses revoked and unknown refresh tokens with invalid_grant', async () => {
  const f = bqeFixture();
  const first = await f.signIn();
  assert.equal(f.sim.revokeRefreshTokens(), 1);
  const res = await f.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string, ...f.credentials });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as OAuthBody).error, 'invalid_grant');
  const unknown = await f.token({ grant_type: 'refresh_token', refresh_token: 'nope', ...f.credentials });
  assert.equal(((await unknown.json()) as OAuthBody).error, 'invalid_grant');
});

test('revokes a refresh token through /connect/revocation', async () => {
  const f = bqeFixture();
  const first = await f.signIn();
  const revoke = (token: string, creds = f.credentials) =>
    f.sim.app.request('/idp/connect/revocation', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, ...creds }).toString() });
  assert.equal((await revoke('unknown-token')).status, 200);
  assert.equal((await revoke(first.refresh_token as string, { ...f.credentials, client_secret: 'wrong' })).status, 401);
  assert.equal((await revoke(first.refresh_token as string)).status, 200);
  const res = await f.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string, ...f.credentials });
  assert.equal(res.status, 400);
});

test('answers userinfo only with the openid scope', async () => {
  const f = bqeFixture();
  const withOpenId = await f.signIn('read:core openid');
  const ok = await f.sim.app.request('/idp/connect/userinfo', { headers: { Authorization: `Bearer ${withOpenId.access_token}` } });
  assert.deepEqual(await ok.json(), { sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7', name: 'Avery Simmons', email: 'avery.simmons@example.com' });
  const without = await f.signIn('read:core');
  const refused = await f.sim.app.request('/idp/connect/userinfo', { headers: { Authorization: `Bearer ${without.access_token}` } });
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get('www-authenticate'), 'Bearer,error="insufficient_scope"');
});
