import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { authorizeUrl, createOAuthClient } from '../../../../src/plugins/bqe/oauth/oauth-client.js';
import { OAuthError, ReauthRequiredError } from '../../../../src/plugins/bqe/oauth/oauth-errors.js';
import { newAuthorization } from '../../../../src/plugins/bqe/oauth/pkce.js';
import { loadProvider } from '../../../../src/plugins/bqe/provider.js';
import { UpstreamError } from '../../../../src/platform/upstream-error.js';
import { freePort } from '../../../helpers/net.js';
import { REDIRECT_URI, startFixture, type BqeFixture } from './connection-fixture.js';

const meta = loadProvider();
let fx: BqeFixture;
let credentials: { identityUrl: string; clientId: string; clientSecret: string };
const client = () => createOAuthClient({ meta, logger: pino({ level: 'silent' }) });

before(async () => {
  fx = await startFixture();
  credentials = { identityUrl: fx.sim.identityUrl, clientId: fx.sim.sim.defaultClient.clientId, clientSecret: fx.sim.sim.defaultClient.clientSecret };
});
after(() => fx.close());

test('builds the authorize URL exactly as the contract describes', () => {
  const url = authorizeUrl(
    {
      identityUrl: 'https://api-identity.bqecore.com/idp/',
      clientId: 'abc.apps.bqe.com',
      redirectUri: 'https://hub.example.com/admin/bqe/oauth/callback',
      scopes: ['read:core', 'offline_access'],
      state: 'st-1',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    },
    meta,
  );
  assert.equal(
    url,
    'https://api-identity.bqecore.com/idp/connect/authorize?client_id=abc.apps.bqe.com&response_type=code&scope=read%3Acore%20offline_access' +
      '&redirect_uri=https%3A%2F%2Fhub.example.com%2Fadmin%2Fbqe%2Foauth%2Fcallback&state=st-1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
  );
  assert.deepEqual([...new URL(url).searchParams.keys()], ['client_id', 'response_type', 'scope', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method']);
  assert.equal(new URL(url).searchParams.get('scope'), 'read:core offline_access');
});

test('the simulator sends the state back unchanged with a code', async () => {
  const auth = newAuthorization();
  const result = await fx.authorize({ state: auth.state });
  assert.equal(result.state, auth.state);
  assert.match(result.code ?? '', /^\S{20,}$/);
  assert.equal(`${result.location.origin}${result.location.pathname}`, REDIRECT_URI);
});

test('a PKCE round trip yields tokens and the tenant endpoint without its trailing slash', async () => {
  const { code, verifier } = await fx.authorize();
  const grant = await client().exchangeCode({ ...credentials, code: code as string, codeVerifier: verifier, redirectUri: REDIRECT_URI });
  assert.equal(grant.apiBaseUrl, fx.sim.apiBase);
  assert.ok(!grant.apiBaseUrl?.endsWith('/'));
  assert.deepEqual(grant.scopes, ['offline_access', 'read:core']);
  assert.equal(grant.expiresInSeconds, 3600);
  assert.ok(grant.accessToken.length > 20);
  assert.ok(grant.refreshToken && grant.refreshToken.length > 20);
});

test('a wrong verifier is refused as a spent code, with advice to start again', async () => {
  const { code } = await fx.authorize();
  await assert.rejects(
    client().exchangeCode({ ...credentials, code: code as string, codeVerifier: newAuthorization().verifier, redirectUri: REDIRECT_URI }),
    (err: unknown) => err instanceof OAuthError && err.code === 'bqe_oauth_code_refused' && err.oauthError === 'invalid_grant' && /Start Connect with BQE again/.test(err.message),
  );
});

test('a code can be redeemed only once', async () => {
  const { code, verifier } = await fx.authorize();
  const input = { ...credentials, code: code as string, codeVerifier: verifier, redirectUri: REDIRECT_URI };
  await client().exchangeCode(input);
  await assert.rejects(client().exchangeCode(input), (err: unknown) => err instanceof OAuthError && err.code === 'bqe_oauth_code_refused');
});

test('a wrong client secret names the client credentials', async () => {
  const { code, verifier } = await fx.authorize();
  await assert.rejects(
    client().exchangeCode({ ...credentials, clientSecret: 'not-the-secret', code: code as string, codeVerifier: verifier, redirectUri: REDIRECT_URI }),
    (err: unknown) => err instanceof OAuthError && err.code === 'bqe_invalid_client' && /client ID and client secret \(invalid_client\)/.test(err.message) && !err.message.includes('not-the-secret'),
  );
});

test('a refresh token BQE no longer accepts is a ReauthRequiredError', async () => {
  const { code, verifier } = await fx.authorize();
  const grant = await client().exchangeCode({ ...credentials, code: code as string, codeVerifier: verifier, redirectUri: REDIRECT_URI });
  const renewed = await client().refresh({ ...credentials, refreshToken: grant.refreshToken as string });
  assert.notEqual(renewed.accessToken, grant.accessToken);
  assert.equal(renewed.apiBaseUrl, fx.sim.apiBase);
  // The simulator rotates refresh tokens, so the first one is spent now.
  await assert.rejects(client().refresh({ ...credentials, refreshToken: grant.refreshToken as string }), (err: unknown) => {
    assert.ok(err instanceof ReauthRequiredError);
    assert.equal(err.code, 'bqe_needs_reauth');
    assert.equal(err.message, 'BQE refused the stored refresh token (invalid_grant): it expired or was revoked. Reconnect OAuth to sign in again.');
    return true;
  });
});

test('revocation makes the refresh token unusable', async () => {
  const { code, verifier } = await fx.authorize();
  const grant = await client().exchangeCode({ ...credentials, code: code as string, codeVerifier: verifier, redirectUri: REDIRECT_URI });
  await client().revoke({ ...credentials, token: grant.refreshToken as string, tokenTypeHint: 'refresh_token' });
  await assert.rejects(client().refresh({ ...credentials, refreshToken: grant.refreshToken as string }), ReauthRequiredError);
});

test('server errors and an unreachable identity server are transient upstream errors', async () => {
  await fx.sim.sim.faults.add({ kind: 'status', status: 503, retryAfterSeconds: 7, match: 'POST /idp/connect/token' });
  await assert.rejects(client().refresh({ ...credentials, refreshToken: 'whatever' }), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.status, 503);
    assert.equal(err.retryAfterMs, 7000);
    assert.ok(err.transient);
    return true;
  });
  const port = await freePort();
  await assert.rejects(client().refresh({ ...credentials, identityUrl: `http://127.0.0.1:${port}/idp`, refreshToken: 'whatever' }), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.kind, 'network');
    assert.match(err.message, /could not reach BQE's identity server at http:\/\/127\.0\.0\.1:/);
    assert.ok(err.transient);
    return true;
  });
});

test('a wrong identity server address is named', async () => {
  await assert.rejects(client().refresh({ ...credentials, identityUrl: `${fx.sim.url}/nowhere`, refreshToken: 'x' }), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.status, 404);
    assert.match(err.message, /Check the identity server address \(http:\/\/127\.0\.0\.1:\d+\/nowhere\/connect\/token\)/);
    return true;
  });
});

test('an HTML answer to the token request is a bad response', async () => {
  fx.sim.sim.faults.add({ kind: 'html', status: 502, match: 'POST /idp/connect/token' });
  await assert.rejects(client().refresh({ ...credentials, refreshToken: 'x' }), (err: unknown) => err instanceof UpstreamError && err.status === 502 && err.transient);
});

test('a timeout from provider metadata bounds the call', async () => {
  const quick = structuredClone(meta);
  quick.oauth.timeoutSeconds = 0.2;
  fx.sim.sim.faults.add({ kind: 'slow', delayMs: 2000, match: 'POST /idp/connect/token' });
  await assert.rejects(createOAuthClient({ meta: quick, logger: pino({ level: 'silent' }) }).refresh({ ...credentials, refreshToken: 'x' }), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.kind, 'timeout');
    assert.match(err.message, /did not answer the token refresh within 200 ms/);
    return true;
  });
});

test('log lines never carry codes, verifiers, tokens or the client secret', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  const oauth = createOAuthClient({ meta, logger });
  const { code, verifier } = await fx.authorize();
  const grant = await oauth.exchangeCode({ ...credentials, code: code as string, codeVerifier: verifier, redirectUri: REDIRECT_URI });
  const renewed = await oauth.refresh({ ...credentials, refreshToken: grant.refreshToken as string });
  await assert.rejects(oauth.refresh({ ...credentials, refreshToken: grant.refreshToken as string }));
  await oauth.revoke({ ...credentials, token: renewed.refreshToken as string });
  const text = lines.join('\n');
  assert.ok(lines.length >= 4);
  for (const secret of [code as string, verifier, grant.accessToken, grant.refreshToken as string, renewed.accessToken, renewed.refreshToken as string, credentials.clientSecret]) {
    assert.ok(!text.includes(secret), 'a secret reached the log');
  }
  assert.match(text, /"grant":"refresh_token"/);
  assert.match(text, /"oauthError":"invalid_grant"/);
});
