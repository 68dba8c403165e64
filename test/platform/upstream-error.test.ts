import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUpstreamError, UpstreamError, type UpstreamErrorKind } from '../../src/platform/upstream-error.js';

const err = (kind: UpstreamErrorKind, status?: number) => new UpstreamError({ service: 'jira', kind, status, message: 'm' });

test('treats timeouts, network failures and bad bodies as transient and not auth failures', () => {
  for (const kind of ['timeout', 'network', 'bad_response'] as const) {
    assert.equal(err(kind).transient, true, kind);
    assert.equal(err(kind).authFailure, false, kind);
  }
});

test('treats a bad body on a 401 as transient, not an auth failure, because only kind http carries auth meaning', () => {
  const e = err('bad_response', 401);
  assert.equal(e.transient, true);
  assert.equal(e.authFailure, false);
});

test('treats 429 and every 5xx as transient', () => {
  for (const status of [429, 500, 502, 503, 504]) {
    assert.equal(err('http', status).transient, true, String(status));
    assert.equal(err('http', status).authFailure, false, String(status));
  }
});

test('treats other 4xx answers as permanent', () => {
  for (const status of [400, 404, 409, 422]) {
    assert.equal(err('http', status).transient, false, String(status));
    assert.equal(err('http', status).authFailure, false, String(status));
  }
});

test('reads 401 and 403 as auth failures that are not transient', () => {
  for (const status of [401, 403]) {
    assert.equal(err('http', status).authFailure, true, String(status));
    assert.equal(err('http', status).transient, false, String(status));
  }
});

test('defaults status to 0 and fieldErrors to empty, and keeps the cause', () => {
  const cause = new Error('socket hang up');
  const e = new UpstreamError({ service: 'peopleforce', kind: 'network', message: 'could not reach', cause });
  assert.equal(e.status, 0);
  assert.deepEqual(e.fieldErrors, {});
  assert.equal(e.retryAfterMs, undefined);
  assert.equal(e.cause, cause);
  assert.equal(e.name, 'UpstreamError');
  assert.equal(e.service, 'peopleforce');
  assert.equal(e.message, 'could not reach');
});

test('keeps retryAfterMs, fieldErrors and body as given', () => {
  const e = new UpstreamError({ service: 'jira', kind: 'http', status: 429, message: 'slow down', retryAfterMs: 1500, fieldErrors: { summary: 'required' }, body: { x: 1 } });
  assert.equal(e.retryAfterMs, 1500);
  assert.deepEqual(e.fieldErrors, { summary: 'required' });
  assert.deepEqual(e.body, { x: 1 });
});

test('isUpstreamError recognises only UpstreamError instances', () => {
  assert.equal(isUpstreamError(err('timeout')), true);
  assert.equal(isUpstreamError(new Error('x')), false);
  assert.equal(isUpstreamError({ kind: 'http', status: 500 }), false);
  assert.equal(isUpstreamError(undefined), false);
});
