import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { signRequest } from '../../../src/auth/api-credentials/hmac-signature.js';
import { startTestHub } from '../../helpers/hub.js';

const admin = { userId: null, email: 'test-admin', role: 'admin' as const, ip: null, requestId: null };

describe('GET /api/v1/debug/whoami', () => {
  test('answers any valid credential, whatever its scopes, with who it is', async () => {
    const hub = await startTestHub({ startJobs: false });
    try {
      const { credential, secret } = hub.ctx.apiCredentials.create(admin, { name: 'Bqe reader', type: 'hmac', scopes: ['bqe:read'] });
      const timestamp = String(Math.floor(hub.clock.now() / 1000));
      const nonce = crypto.randomBytes(16).toString('hex');
      const res = await hub.app.request('/api/v1/debug/whoami', {
        headers: { 'X-Client-Id': credential.clientId, 'X-Timestamp': timestamp, 'X-Nonce': nonce, 'X-Signature': signRequest(secret, 'GET', '/api/v1/debug/whoami', timestamp, nonce, Buffer.alloc(0)), 'X-Request-Id': 'who-1' },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { clientId: credential.clientId, name: 'Bqe reader', type: 'hmac', scopes: ['bqe:read'], ip: 'local', requestId: 'who-1' });
    } finally {
      await hub.close();
    }
  });

  test('refuses a request without credentials in the API error body', async () => {
    const hub = await startTestHub({ startJobs: false });
    try {
      const res = await hub.app.request('/api/v1/debug/whoami', { headers: { 'X-Request-Id': 'who-2' } });
      assert.equal(res.status, 401);
      assert.deepEqual(((await res.json()) as { error: unknown }).error, {
        code: 'auth_missing',
        message: 'This API needs a signed request (X-Client-Id, X-Timestamp, X-Nonce and X-Signature headers) or "Authorization: Bearer <token>".',
        details: { missing: ['X-Client-Id', 'X-Timestamp', 'X-Nonce', 'X-Signature'] },
        requestId: 'who-2',
      });
    } finally {
      await hub.close();
    }
  });

  test('is in the OpenAPI document with both security schemes and no scope', async () => {
    const hub = await startTestHub({ startJobs: false });
    try {
      const doc = (await (await hub.app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, { get?: Record<string, unknown> }> };
      const op = doc.paths['/api/v1/debug/whoami']?.get;
      assert.ok(op, 'whoami is documented');
      assert.deepEqual(op.security, [{ hmac: [] }, { bearer: [] }]);
      assert.equal(op['x-required-scope'], null);
      assert.ok((op.responses as Record<string, unknown>)['200']);
    } finally {
      await hub.close();
    }
  });
});
