import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCredentialInput, type RawApiCredentialInput } from '../../../src/auth/api-credentials/credential-input.js';
import { API_AUTH_POLICY } from '../../../src/auth/api-credentials/credential-policy.js';
import { isAppError } from '../../../src/errors.js';

const fieldErrors = (raw: RawApiCredentialInput): Record<string, string> => {
  try {
    parseCredentialInput(raw, API_AUTH_POLICY);
  } catch (err) {
    assert.ok(isAppError(err));
    assert.equal(err.status, 422);
    assert.equal(err.code, 'validation_failed');
    return err.fieldErrors ?? {};
  }
  assert.fail('expected a validation error');
};

describe('API credential input', () => {
  test('gives the stored form: trimmed name, scopes in catalogue order, canonical unique addresses, default rate', () => {
    const input = parseCredentialInput({ name: '  HR script ', type: 'bearer', scopes: 'jobs:read, rules:read', allowedIps: ['10.0.0.0/8', '::ffff:127.0.0.1', '127.0.0.1'] }, API_AUTH_POLICY);
    assert.deepEqual(input, { name: 'HR script', type: 'bearer', scopes: ['rules:read', 'jobs:read'], allowedIps: ['10.0.0.0/8', '127.0.0.1'], rateLimitPerMinute: 120 });
  });

  test('accepts lists as arrays or as text separated by commas, spaces or lines, and a rate as text', () => {
    const input = parseCredentialInput({ name: 'x', type: 'hmac', scopes: ['rules:read', 'settings:read,bqe:read'], allowedIps: '192.0.2.1\n2001:db8::/32, 198.51.100.0/24', rateLimitPerMinute: ' 30 ' }, API_AUTH_POLICY);
    assert.deepEqual(input.scopes, ['rules:read', 'settings:read', 'bqe:read']);
    assert.deepEqual(input.allowedIps, ['192.0.2.1', '2001:db8::/32', '198.51.100.0/24']);
    assert.equal(input.rateLimitPerMinute, 30);
  });

  test('an HMAC credential may have no address list (any address)', () => {
    assert.deepEqual(parseCredentialInput({ name: 'x', type: 'hmac', scopes: ['rules:read'] }, API_AUTH_POLICY).allowedIps, []);
  });

  test('names every bad field at once', () => {
    const errors = fieldErrors({ name: ' ', type: 'basic', scopes: ['rules:read', 'rules:delete'], allowedIps: ['10.0.0.1/8', 'example.com'], rateLimitPerMinute: 0 });
    assert.deepEqual(Object.keys(errors).sort(), ['allowedIps', 'name', 'rateLimitPerMinute', 'scopes', 'type']);
    assert.match(errors.scopes!, /Unknown scope "rules:delete"; choose from rules:read, rules:write/);
    assert.match(errors.allowedIps!, /did you mean 10\.0\.0\.0\/8\?.*"example\.com" is not an IP address or CIDR block/);
    assert.match(errors.rateLimitPerMinute!, /from 1 to 6000/);
  });

  test('a Bearer credential needs at least one allowed address', () => {
    assert.match(fieldErrors({ name: 'x', type: 'bearer', scopes: ['rules:read'], allowedIps: [] }).allowedIps!, /add at least one IP address or CIDR block/);
  });

  test('needs at least one scope', () => {
    assert.equal(fieldErrors({ name: 'x', type: 'hmac', scopes: [] }).scopes, 'Choose at least one scope.');
  });

  test('refuses names that are too long or hold control characters', () => {
    assert.match(fieldErrors({ name: 'x'.repeat(81), type: 'hmac', scopes: ['rules:read'] }).name!, /at most 80 characters/);
    assert.match(fieldErrors({ name: 'a\nb', type: 'hmac', scopes: ['rules:read'] }).name!, /control characters/);
  });

  test('refuses lists of the wrong shape and rates that are not whole numbers', () => {
    const errors = fieldErrors({ name: 'x', type: 'hmac', scopes: [1], allowedIps: { a: 1 }, rateLimitPerMinute: '1.5' });
    assert.deepEqual(Object.keys(errors).sort(), ['allowedIps', 'rateLimitPerMinute', 'scopes']);
  });

  test('refuses more addresses than the policy allows', () => {
    const many = Array.from({ length: 101 }, (_, i) => `10.0.${Math.floor(i / 250)}.${i % 250}`);
    assert.match(fieldErrors({ name: 'x', type: 'hmac', scopes: ['rules:read'], allowedIps: many }).allowedIps!, /at most 100/);
  });
});
