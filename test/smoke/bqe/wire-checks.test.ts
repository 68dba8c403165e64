import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WireRequest } from '../../../src/smoke/bqe/recording-proxy.js';
import { allAnswered, bearerJsonOnEvery, offsetOnEvery, onlyAllowedQueryKeys, pageParamOnEvery } from '../../../src/smoke/bqe/wire-checks.js';

const request = (seq: number, changes: Partial<WireRequest> = {}): WireRequest => ({
  seq,
  at: '2025-01-15T10:22:31.000Z',
  t: seq * 100,
  from: 'hub',
  method: 'GET',
  path: '/t/acme/api/project',
  query: { page: '1,1000', orderBy: 'lastUpdated asc' },
  headers: { utcOffset: '-300', authorization: 'Bearer', accept: 'application/json' },
  status: 200,
  ...changes,
});

const ALLOWED = new Set(['page', 'where', 'orderBy']);

describe('checks over the requests the smoke run recorded', () => {
  test('pass when every request is as BQE documents it', () => {
    const requests = [request(1), request(2, { query: { page: '2,1000', where: "lastUpdated >= '2025-01-15T10:17:31'", orderBy: 'lastUpdated asc' } })];
    for (const verdict of [onlyAllowedQueryKeys(requests, ALLOWED), offsetOnEvery(requests, 'X-UTC-OFFSET', -300), bearerJsonOnEvery(requests), pageParamOnEvery(requests, 1000), allAnswered(requests)]) {
      assert.equal(verdict.ok, true, verdict.detail);
    }
  });

  test('fail when a query key other than page, where and orderBy was sent, naming the request and the key', () => {
    const verdict = onlyAllowedQueryKeys([request(1), request(2, { query: { page: '1,100', pageSize: '100' } })], ALLOWED);
    assert.equal(verdict.ok, false);
    assert.match(verdict.detail, /1 of 2 requests did not: #2 GET \/t\/acme\/api\/project sent pageSize/);
  });

  test('fail when a request lacks the offset header or sends another value', () => {
    const verdict = offsetOnEvery([request(1, { headers: { utcOffset: null, authorization: 'Bearer', accept: 'application/json' } }), request(2, { headers: { utcOffset: '60', authorization: 'Bearer', accept: 'application/json' } })], 'X-UTC-OFFSET', -300);
    assert.equal(verdict.ok, false);
    assert.match(verdict.detail, /X-UTC-OFFSET: \(none\).*X-UTC-OFFSET: 60/);
  });

  test('fail when a request is not a bearer call asking for JSON', () => {
    assert.equal(bearerJsonOnEvery([request(1, { headers: { utcOffset: '-300', authorization: 'Basic', accept: 'application/json' } })]).ok, false);
    assert.equal(bearerJsonOnEvery([request(1, { headers: { utcOffset: '-300', authorization: 'Bearer', accept: '*/*' } })]).ok, false);
  });

  test('fail when the page parameter is missing, malformed or larger than the page size', () => {
    for (const query of [{}, { page: '1' }, { page: '1,0' }, { page: '1,1001' }] as Record<string, string>[]) assert.equal(pageParamOnEvery([request(1, { query })], 1000).ok, false, JSON.stringify(query));
  });

  test('fail when BQE refused a request', () => {
    const verdict = allAnswered([request(1), request(2, { status: 429 })]);
    assert.equal(verdict.ok, false);
    assert.match(verdict.detail, /#2 GET .* got HTTP 429/);
  });

  test('fail when nothing was recorded, since nothing was checked', () => {
    assert.deepEqual(onlyAllowedQueryKeys([], ALLOWED), { ok: false, detail: 'no request was recorded' });
  });
});
