import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { IssuedCredential } from '../../../src/auth/api-credentials/credential-service.js';
import { apiFixture, type ApiFixture, type ApiResponse } from './api-fixture.js';

const SETTINGS = '/api/v1/settings/platform';
const WHOAMI = '/api/v1/debug/whoami';
const CHANGE = JSON.stringify({ settings: { instanceName: 'Changed by API' } });

/** The API's error body, with the request id the response header carries. */
const assertError = (res: ApiResponse, status: number, code: string): void => {
  assert.equal(res.status, status, `${code}: ${res.text}`);
  assert.equal(res.json?.error?.code, code, res.text);
  assert.equal(typeof res.json.error.message, 'string');
  assert.ok('details' in res.json.error);
  assert.equal(res.json.error.requestId, res.headers['x-request-id']);
  assert.equal(res.headers['content-type'], 'application/json');
};

describe('API authentication through the hub', () => {
  let f: ApiFixture;
  let writer: IssuedCredential;
  let reader: IssuedCredential;

  /** Everything a refused request must leave alone. */
  const state = () => ({
    instanceName: f.ctx.domainConfig.get('platform').settings.instanceName,
    version: f.ctx.domainConfig.get('platform').version,
    nonces: f.ctx.db.sqlite.prepare('SELECT count(*) FROM api_nonces').pluck().get(),
    lastUsed: f.ctx.db.sqlite.prepare('SELECT client_id, last_used_at, last_used_ip FROM api_credentials ORDER BY id').raw().all(),
    audit: f.ctx.db.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get(),
  });

  before(async () => {
    f = await apiFixture({ env: { HUB_BODY_LIMIT_KB: '16' } });
    writer = f.create({ name: 'Settings writer', type: 'hmac', scopes: ['settings:read', 'settings:write'] });
    reader = f.create({ name: 'Settings reader', type: 'hmac', scopes: ['settings:read'] });
  });
  after(() => f.close());

  test('a signed request reaches whoami, which names the credential, its scopes, the address and the request id', async () => {
    const res = await f.signed(writer, 'GET', WHOAMI, { headers: { 'X-Request-Id': 'whoami-1' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { clientId: writer.credential.clientId, name: 'Settings writer', type: 'hmac', scopes: ['settings:read', 'settings:write'], ip: '127.0.0.1', requestId: 'whoami-1' });
    assert.equal(f.ctx.apiCredentials.get(writer.credential.clientId)?.lastUsedIp, '127.0.0.1');
  });

  test('a signed change goes through the same service and is audited under the credential', async () => {
    const res = await f.signed(writer, 'PATCH', SETTINGS, { body: JSON.stringify({ settings: { instanceName: 'Set by API' } }) });
    assert.equal(res.status, 200, res.text);
    assert.equal(f.ctx.domainConfig.get('platform').settings.instanceName, 'Set by API');
    const audit = f.ctx.db.sqlite.prepare("SELECT actor_email, ip FROM audit_log WHERE action = 'settings.update' ORDER BY id DESC LIMIT 1").raw().get();
    assert.deepEqual(audit, [`api:${writer.credential.clientId}`, '127.0.0.1']);
  });

  test('the path is signed exactly as sent, query order and dot segments included', async () => {
    assert.equal((await f.signed(writer, 'GET', `${WHOAMI}?b=2&a=1`)).status, 200);
    assert.equal((await f.signed(writer, 'GET', '/api/v1/debug/./whoami')).status, 200);
  });

  describe('every refused request gets its status and code, and changes nothing', () => {
    const cases: [string, () => Promise<ApiResponse>, number, string, ((res: ApiResponse) => void)?][] = [
      ['no credentials at all', () => f.send({ method: 'PATCH', path: SETTINGS, headers: { 'Content-Type': 'application/json' }, body: CHANGE }), 401, 'auth_missing'],
      [
        'a missing X-Signature header, named',
        () => {
          const headers = f.signHeaders(writer, 'PATCH', SETTINGS, { body: CHANGE });
          delete headers['X-Signature'];
          return f.send({ method: 'PATCH', path: SETTINGS, headers: { ...headers, 'Content-Type': 'application/json' }, body: CHANGE });
        },
        401,
        'auth_missing',
        (res) => assert.deepEqual(res.json.error.details, { missing: ['X-Signature'] }),
      ],
      ['a signature that is not hex', () => f.signed(writer, 'PATCH', SETTINGS, { body: CHANGE, headers: { 'X-Signature': 'z'.repeat(64) } }), 401, 'auth_malformed'],
      ['a timestamp that is not whole seconds', () => f.signed(writer, 'PATCH', SETTINGS, { body: CHANGE, timestamp: '1767225600.5' }), 401, 'auth_malformed'],
      ['a nonce with characters outside the set', () => f.signed(writer, 'PATCH', SETTINGS, { body: CHANGE, nonce: 'nonce.with.dots.123' }), 401, 'auth_malformed'],
      ['an Authorization header of another scheme', () => f.send({ method: 'GET', path: WHOAMI, headers: { Authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'auth_malformed'],
      ['an unknown client id', () => f.signed({ ...writer, credential: { ...writer.credential, clientId: 'sy_00000000000000000000' } }, 'PATCH', SETTINGS, { body: CHANGE }), 401, 'auth_unknown_client'],
      ['a wrong secret', () => f.signed(writer, 'PATCH', SETTINGS, { body: CHANGE, secret: 'sys_somebody-elses-secret' }), 401, 'auth_bad_signature'],
      [
        'a tampered body',
        () => {
          const headers = f.signHeaders(writer, 'PATCH', SETTINGS, { body: CHANGE });
          return f.send({ method: 'PATCH', path: SETTINGS, headers: { ...headers, 'Content-Type': 'application/json' }, body: CHANGE.replace('Changed', 'Hijacked') });
        },
        401,
        'auth_bad_signature',
        (res) => assert.equal(res.json.error.details.bodyBytes, CHANGE.length - 'Changed'.length + 'Hijacked'.length),
      ],
      [
        'a tampered path',
        () => {
          const headers = f.signHeaders(writer, 'PATCH', SETTINGS, { body: CHANGE });
          return f.send({ method: 'PATCH', path: '/api/v1/settings/pf-jira', headers: { ...headers, 'Content-Type': 'application/json' }, body: CHANGE });
        },
        401,
        'auth_bad_signature',
      ],
      [
        'a tampered query',
        () => {
          const headers = f.signHeaders(writer, 'PATCH', SETTINGS, { body: CHANGE });
          return f.send({ method: 'PATCH', path: `${SETTINGS}?dryRun=1`, headers: { ...headers, 'Content-Type': 'application/json' }, body: CHANGE });
        },
        401,
        'auth_bad_signature',
      ],
      ['a timestamp 61 seconds old', () => f.signed(writer, 'PATCH', SETTINGS, { body: CHANGE, timestamp: String(Math.floor(f.clock.now() / 1000) - 61) }), 401, 'auth_timestamp_skew'],
      ['a timestamp 61 seconds ahead', () => f.signed(writer, 'PATCH', SETTINGS, { body: CHANGE, timestamp: String(Math.floor(f.clock.now() / 1000) + 61) }), 401, 'auth_timestamp_skew'],
      [
        'a missing scope, named',
        () => f.signed(reader, 'PATCH', SETTINGS, { body: CHANGE }),
        403,
        'scope_missing',
        (res) => assert.deepEqual(res.json.error.details, { scope: 'settings:write' }),
      ],
      ['a body over HUB_BODY_LIMIT_KB', () => f.signed(writer, 'PATCH', SETTINGS, { body: JSON.stringify({ settings: { instanceName: 'x'.repeat(17 * 1024) } }) }), 413, 'payload_too_large'],
      [
        'a body that is not JSON',
        () => f.signed(writer, 'PATCH', SETTINGS, { body: 'instanceName=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
        415,
        'unsupported_media_type',
      ],
      ['a JSON body that does not parse', () => f.signed(writer, 'PATCH', SETTINGS, { body: '{"settings": {' }), 422, 'invalid_json'],
      [
        'an unknown field',
        () => f.signed(writer, 'PATCH', SETTINGS, { body: JSON.stringify({ settings: { instanceName: 'x' }, colour: 'red' }) }),
        422,
        'validation_failed',
        (res) => assert.ok(res.json.error.details.fields.colour, res.text),
      ],
    ];

    for (const [what, send, status, code, more] of cases) {
      test(`${what}: ${status} ${code}`, async () => {
        const authenticated = status !== 401 && status !== 413;
        const before = state();
        const res = await send();
        assertError(res, status, code);
        more?.(res);
        const afterwards = state();
        assert.deepEqual([afterwards.instanceName, afterwards.version, afterwards.audit], [before.instanceName, before.version, before.audit], 'nothing changed');
        if (!authenticated) assert.deepEqual([afterwards.nonces, afterwards.lastUsed], [before.nonces, before.lastUsed], 'no nonce stored, no last use written');
      });
    }

    test('a replayed nonce: 401 auth_nonce_replayed, and the change is made once', async () => {
      const headers = { ...f.signHeaders(writer, 'PATCH', SETTINGS, { body: JSON.stringify({ settings: { instanceName: 'Once' } }) }), 'Content-Type': 'application/json' };
      const first = await f.send({ method: 'PATCH', path: SETTINGS, headers, body: JSON.stringify({ settings: { instanceName: 'Once' } }) });
      assert.equal(first.status, 200, first.text);
      const before = state();
      const replay = await f.send({ method: 'PATCH', path: SETTINGS, headers, body: JSON.stringify({ settings: { instanceName: 'Once' } }) });
      assertError(replay, 401, 'auth_nonce_replayed');
      assert.deepEqual(state(), before);
    });

    test('a revoked credential: 401 auth_revoked', async () => {
      const doomed = f.create({ name: 'Doomed', type: 'hmac', scopes: ['settings:write'] });
      f.ctx.apiCredentials.revoke({ userId: null, email: 'test-admin', role: 'admin', ip: null, requestId: null }, doomed.credential.clientId);
      const before = state();
      assertError(await f.signed(doomed, 'PATCH', SETTINGS, { body: CHANGE }), 401, 'auth_revoked');
      assert.deepEqual(state(), before);
    });

    test('a retired previous secret: 401 auth_secret_retired', async () => {
      const admin = { userId: null, email: 'test-admin', role: 'admin' as const, ip: null, requestId: null };
      const rotating = f.create({ name: 'Rotating', type: 'hmac', scopes: ['settings:write'] });
      const { secret } = f.ctx.apiCredentials.rotate(admin, rotating.credential.clientId);
      assert.equal((await f.signed(rotating, 'GET', WHOAMI)).status, 200, 'the previous secret works until retired');
      f.ctx.apiCredentials.retireSecondary(admin, rotating.credential.clientId);
      const before = state();
      assertError(await f.signed(rotating, 'PATCH', SETTINGS, { body: CHANGE }), 401, 'auth_secret_retired');
      assert.deepEqual(state(), before);
      assert.equal((await f.signed({ ...rotating, secret }, 'GET', WHOAMI)).status, 200, 'the new secret works');
    });
  });

  test('over its rate limit a credential gets 429 rate_limited with Retry-After, and nothing is stored', async () => {
    const limited = f.create({ name: 'Limited', type: 'hmac', scopes: ['settings:read'], rateLimitPerMinute: 2 });
    assert.equal((await f.signed(limited, 'GET', WHOAMI)).status, 200);
    assert.equal((await f.signed(limited, 'GET', WHOAMI)).status, 200);
    const before = state();
    const res = await f.signed(limited, 'GET', WHOAMI);
    assertError(res, 429, 'rate_limited');
    assert.equal(res.headers['retry-after'], '30');
    assert.deepEqual(res.json.error.details, { limitPerMinute: 2, retryAfterSeconds: 30 });
    assert.equal(state().nonces, before.nonces);
    f.clock.advance(30_000);
    assert.equal((await f.signed(limited, 'GET', WHOAMI)).status, 200);
  });

  test('each refusal is logged once with client id, code and address, and never a secret or signature', async () => {
    f.lines.length = 0;
    const headers = f.signHeaders(writer, 'GET', WHOAMI, { secret: 'sys_wrong-secret-for-the-log-test' });
    await f.send({ method: 'GET', path: WHOAMI, headers: { ...headers, 'X-Request-Id': 'refused-1' } });
    const refusals = f.logged().filter((l) => l.msg === 'api request refused');
    assert.equal(refusals.length, 1);
    assert.deepEqual([refusals[0]!.clientId, refusals[0]!.code, refusals[0]!.ip, refusals[0]!.reqId], [writer.credential.clientId, 'auth_bad_signature', '127.0.0.1', 'refused-1']);
    const all = f.lines.join('\n');
    for (const secret of [writer.secret, reader.secret, headers['X-Signature']!]) assert.ok(!all.includes(secret));
  });
});

describe('Bearer tokens and client addresses', () => {
  test('a Bearer request from 127.0.0.2 is refused when only 127.0.0.1 is allowed, and accepted from 127.0.0.1', async () => {
    const f = await apiFixture({ host: '0.0.0.0' });
    try {
      const issued = f.create({ name: 'CI', type: 'bearer', scopes: ['jobs:read'], allowedIps: ['127.0.0.1'] });
      const auth = { Authorization: `Bearer ${issued.secret}` };
      const refused = await f.send({ method: 'GET', path: WHOAMI, headers: auth, localAddress: '127.0.0.2' });
      assertError(refused, 403, 'auth_ip_not_allowed');
      assert.deepEqual(refused.json.error.details, { ip: '127.0.0.2' });
      assert.equal(f.ctx.apiCredentials.get(issued.credential.clientId)?.lastUsedAt, null, 'a refused request is not a use');
      const accepted = await f.send({ method: 'GET', path: WHOAMI, headers: auth, localAddress: '127.0.0.1' });
      assert.equal(accepted.status, 200, accepted.text);
      assert.deepEqual([accepted.json.type, accepted.json.ip, accepted.json.scopes], ['bearer', '127.0.0.1', ['jobs:read']]);
      assertError(await f.send({ method: 'GET', path: WHOAMI, headers: { Authorization: 'Bearer syb_not-a-real-token' } }), 401, 'auth_unknown_client');
    } finally {
      await f.close();
    }
  });

  test('X-Forwarded-For is ignored while HUB_TRUSTED_PROXIES does not trust the peer', async () => {
    const f = await apiFixture();
    try {
      const issued = f.create({ name: 'CI', type: 'bearer', scopes: ['jobs:read'], allowedIps: ['127.0.0.1'] });
      const res = await f.send({ method: 'GET', path: WHOAMI, headers: { Authorization: `Bearer ${issued.secret}`, 'X-Forwarded-For': '203.0.113.9' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.ip, '127.0.0.1');
    } finally {
      await f.close();
    }
  });

  test('behind a trusted proxy the client is the right-most untrusted X-Forwarded-For address', async () => {
    const f = await apiFixture({ env: { HUB_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' } });
    try {
      const proxied = f.create({ name: 'Office', type: 'bearer', scopes: ['jobs:read'], allowedIps: ['203.0.113.0/24'] });
      const local = f.create({ name: 'Local', type: 'bearer', scopes: ['jobs:read'], allowedIps: ['127.0.0.1'] });
      const through = (token: string, xff: string) => f.send({ method: 'GET', path: WHOAMI, headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': xff } });
      const ok = await through(proxied.secret, '198.51.100.1, 203.0.113.9, 10.0.0.7');
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.ip, '203.0.113.9');
      assertError(await through(local.secret, '203.0.113.9'), 403, 'auth_ip_not_allowed');
      assertError(await through(proxied.secret, '203.0.113.9, 198.51.100.1'), 403, 'auth_ip_not_allowed');
    } finally {
      await f.close();
    }
  });
});
