import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiBaseFromEndpoint, parseTokenResponse, toTokenSet } from '../../../../src/plugins/bqe/oauth/token-response.js';
import { loadProvider } from '../../../../src/plugins/bqe/provider.js';
import { UpstreamError } from '../../../../src/platform/upstream-error.js';

const meta = loadProvider();
const good = { access_token: 'at-1', expires_in: 3600, token_type: 'Bearer', refresh_token: 'rt-1', scope: 'read:core offline_access', endpoint: 'https://api.bqecore.com/api/' };

const refusedWith = (body: unknown, grant: 'authorization_code' | 'refresh_token', pattern: RegExp) =>
  assert.throws(
    () => parseTokenResponse(body, grant, meta),
    (err: unknown) => err instanceof UpstreamError && err.kind === 'bad_response' && pattern.test(err.message) && !err.message.includes('at-1') && err.body === undefined,
  );

test('reads a full token response and strips the endpoint’s trailing slash', () => {
  assert.deepEqual(parseTokenResponse(good, 'authorization_code', meta), {
    accessToken: 'at-1',
    refreshToken: 'rt-1',
    expiresInSeconds: 3600,
    scopes: ['read:core', 'offline_access'],
    apiBaseUrl: 'https://api.bqecore.com/api',
  });
});

test('falls back to the provider’s token lifetime when expires_in is absent', () => {
  const { expires_in: _drop, ...rest } = good;
  assert.equal(parseTokenResponse(rest, 'refresh_token', meta).expiresInSeconds, meta.oauth.defaultAccessTokenSeconds);
});

test('accepts the Bearer token type in any case', () => {
  assert.equal(parseTokenResponse({ ...good, token_type: 'bearer' }, 'refresh_token', meta).accessToken, 'at-1');
});

test('refuses answers that are not a usable token', () => {
  refusedWith([good], 'authorization_code', /with a list instead of a token object/);
  refusedWith(undefined, 'authorization_code', /with an empty body/);
  refusedWith({ ...good, access_token: undefined }, 'authorization_code', /without an access_token/);
  refusedWith({ ...good, access_token: 42 }, 'refresh_token', /access_token that is a number/);
  refusedWith({ ...good, token_type: 'MAC' }, 'refresh_token', /token_type "MAC"; only Bearer/);
  refusedWith({ ...good, token_type: undefined }, 'refresh_token', /token_type missing/);
  refusedWith({ ...good, expires_in: 0 }, 'refresh_token', /expires_in 0; it must be a positive number/);
  refusedWith({ ...good, expires_in: '3600' }, 'refresh_token', /expires_in "3600"/);
  refusedWith({ ...good, refresh_token: 7 }, 'refresh_token', /refresh_token that is a number/);
  refusedWith({ ...good, scope: ['read:core'] }, 'refresh_token', /scope a list/);
});

test('a code exchange must name the tenant endpoint; a refresh may leave it out', () => {
  const { endpoint: _drop, ...rest } = good;
  refusedWith(rest, 'authorization_code', /without an endpoint \(the tenant API address\)/);
  assert.equal(parseTokenResponse(rest, 'refresh_token', meta).apiBaseUrl, null);
});

test('refuses endpoints that are not absolute http(s) addresses', () => {
  refusedWith({ ...good, endpoint: 'ftp://api.bqecore.com/api/' }, 'authorization_code', /endpoint that is not an absolute http\(s\) address: "ftp:/);
  refusedWith({ ...good, endpoint: '/api/' }, 'authorization_code', /not an absolute/);
  refusedWith({ ...good, endpoint: 'https://api.bqecore.com/api/?x=1' }, 'refresh_token', /not an absolute/);
  refusedWith({ ...good, endpoint: 5 }, 'refresh_token', /endpoint that is not an absolute http\(s\) address: a number/);
  assert.equal(apiBaseFromEndpoint('http://127.0.0.1:4030/t/acme/api//'), 'http://127.0.0.1:4030/t/acme/api');
});

test('a token set keeps the stored endpoint, refresh token and scopes where a refresh left them out', () => {
  const grant = { accessToken: 'at-2', refreshToken: null, expiresInSeconds: 60, scopes: null, apiBaseUrl: null };
  assert.deepEqual(toTokenSet(grant, 1_000, { scopes: ['read:core'], apiBaseUrl: 'https://x.example/api', refreshToken: 'rt-old' }), {
    accessToken: 'at-2',
    refreshToken: 'rt-old',
    expiresAt: 61_000,
    apiBaseUrl: 'https://x.example/api',
    scopes: ['read:core'],
  });
  assert.throws(() => toTokenSet(grant, 0, { scopes: [] }), /sent no endpoint and none is stored/);
});
