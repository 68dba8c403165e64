import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { signWebhook, verifyWebhook } from '../../../../src/plugins/pf-jira/peopleforce/webhook-verifier.js';

const body = '{"action":"employee_update","data":{"id":1}}';
const secret = 's3cret';
const good = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifyWebhook', () => {
  test('accepts the HMAC-SHA256 of the raw body under the secret', () => {
    assert.deepEqual(verifyWebhook(body, good, secret), { ok: true });
    assert.deepEqual(verifyWebhook(new TextEncoder().encode(body), good, secret), { ok: true });
  });

  test('accepts upper-case hex and surrounding spaces', () => {
    assert.deepEqual(verifyWebhook(body, ` ${good.toUpperCase().replace('SHA256', 'sha256')} `, secret), { ok: true });
  });

  test('refuses every delivery while no secret is configured', () => {
    for (const configured of [undefined, '']) {
      const result = verifyWebhook(body, good, configured);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.status, 503);
      assert.equal(!result.ok && result.code, 'webhook_not_configured');
    }
  });

  test('refuses a delivery without the signature header', () => {
    assert.deepEqual(pick(verifyWebhook(body, undefined, secret)), [401, 'signature_missing']);
    assert.deepEqual(pick(verifyWebhook(body, '  ', secret)), [401, 'signature_missing']);
  });

  test('refuses a signature that is not sha256=<64 hex digits>', () => {
    for (const header of ['abc', good.slice(7), 'sha1=' + 'a'.repeat(40), 'sha256=' + 'z'.repeat(64), good + '00']) {
      assert.deepEqual(pick(verifyWebhook(body, header, secret)), [401, 'signature_malformed'], header);
    }
  });

  test('refuses a signature made with another secret or over another body', () => {
    assert.deepEqual(pick(verifyWebhook(body, signWebhook(body, 'other'), secret)), [401, 'signature_invalid']);
    assert.deepEqual(pick(verifyWebhook(body + ' ', good, secret)), [401, 'signature_invalid']);
  });

  test('signWebhook makes the header PeopleForce sends', () => {
    assert.equal(signWebhook(body, secret), good);
  });
});

const pick = (r: ReturnType<typeof verifyWebhook>) => (r.ok ? ['ok'] : [r.status, r.code]);
