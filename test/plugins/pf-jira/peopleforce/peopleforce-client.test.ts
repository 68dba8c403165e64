import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import pino from 'pino';
import { UpstreamError } from '../../../../src/platform/upstream-error.js';
import { createPeopleForceClient, type PeopleForceClientOptions } from '../../../../src/plugins/pf-jira/peopleforce/peopleforce-client.js';
import { closeLocal, listenLocal } from '../../../helpers/net.js';

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  apiKey: string | undefined;
}

type Answer = { status?: number; body: unknown; headers?: Record<string, string> };

/** A tiny PeopleForce: each test sets how it answers; every request is recorded. */
let answer: (seen: Seen) => Answer;
let seen: Seen[] = [];
let baseUrl = '';
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const request: Seen = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), apiKey: req.headers['x-api-key'] as string | undefined };
  seen.push(request);
  const a = answer(request);
  res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
  res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
});

const page = (n: number, pages: number, ids: number[], count = ids.length) => ({
  data: ids.map((id) => ({ id, first_name: `P${id}` })),
  metadata: { pagination: { page: n, pages, count, items: ids.length } },
});

const client = (options: Partial<PeopleForceClientOptions> = {}) =>
  createPeopleForceClient({ baseUrl, apiVersion: 'v3', apiKey: 'key-123', timeoutMs: 2000, maxInlineWaitMs: 0, logger: pino({ level: 'silent' }), ...options });

const rejectsWith = async (promise: Promise<unknown>, check: (err: UpstreamError) => void) => {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof UpstreamError, `expected an UpstreamError, got ${String(err)}`);
    check(err);
    return true;
  });
};

describe('PeopleForce client', () => {
  before(async () => {
    baseUrl = `${await listenLocal(server)}/`;
  });
  after(() => closeLocal(server));
  beforeEach(() => {
    seen = [];
  });

  test('lists a page of employees with the API key, under /api/public/<version>', async () => {
    answer = () => ({ body: page(2, 3, [7, 8], 250) });
    const result = await client().listEmployees({ page: 2, perPage: 100, status: 'employed' });
    assert.deepEqual(result, { data: [{ id: 7, first_name: 'P7' }, { id: 8, first_name: 'P8' }], page: 2, pages: 3, count: 250 });
    assert.deepEqual(seen, [{ method: 'GET', path: '/api/public/v3/employees', query: { page: '2', per_page: '100', status: 'employed' }, apiKey: 'key-123' }]);
  });

  test('calls the configured API version', async () => {
    answer = () => ({ body: page(1, 1, []) });
    await client({ apiVersion: 'v2' }).listEmployees({ page: 1, perPage: 50 });
    assert.equal(seen[0]?.path, '/api/public/v2/employees');
  });

  test('refuses a list body without the documented pagination, saying what is wrong', async () => {
    answer = () => ({ body: { data: [{ id: 1 }], meta: {} } });
    await rejectsWith(client().listEmployees({ page: 1, perPage: 100 }), (err) => {
      assert.equal(err.kind, 'bad_response');
      assert.match(err.message, /not the documented shape \(metadata: /);
    });
  });

  test('refuses records without an integer id', async () => {
    answer = () => ({ body: { data: [{ id: 'x' }], metadata: { pagination: { page: 1, pages: 1, count: 1 } } } });
    await rejectsWith(client().listEmployees({ page: 1, perPage: 100 }), (err) => {
      assert.equal(err.kind, 'bad_response');
      assert.match(err.message, /data\.0\.id/);
    });
  });

  test('walks every page of employees in order', async () => {
    answer = (s) => {
      const n = Number(s.query.page);
      return { body: page(n, 3, [n * 10, n * 10 + 1], 6) };
    };
    const ids: number[] = [];
    for await (const p of client().employeePages({ perPage: 2 })) ids.push(...p.data.map((e) => e.id));
    assert.deepEqual(ids, [10, 11, 20, 21, 30, 31]);
    assert.deepEqual(seen.map((s) => s.query.page), ['1', '2', '3']);
  });

  test('counts pages itself, so a server that ignores page= cannot loop it forever', async () => {
    answer = () => ({ body: page(1, 2, [1]) });
    let pages = 0;
    for await (const _ of client().employeePages({ perPage: 1 })) pages++;
    assert.equal(pages, 2);
  });

  test('stops between pages once the signal aborts', async () => {
    answer = (s) => ({ body: page(Number(s.query.page), 5, [Number(s.query.page)]) });
    const controller = new AbortController();
    const read: number[] = [];
    await assert.rejects(async () => {
      for await (const p of client().employeePages({ perPage: 1 }, { signal: controller.signal })) {
        read.push(p.page);
        controller.abort(new Error('shutting down'));
      }
    }, /shutting down/);
    assert.deepEqual(read, [1]);
    assert.equal(seen.length, 1);
  });

  test('reads one employee, and undefined when PeopleForce has none', async () => {
    answer = (s) => (s.path.endsWith('/133710') ? { body: { data: { id: 133710, email: 'o@example.com' } } } : { status: 404, body: { message: 'Not found' } });
    assert.deepEqual(await client().getEmployee(133710), { id: 133710, email: 'o@example.com' });
    assert.equal(await client().getEmployee(1), undefined);
  });

  test('counts employees from a one-record page', async () => {
    answer = () => ({ body: page(1, 243, [1], 243) });
    assert.equal(await client().countEmployees(), 243);
    assert.equal(seen[0]?.query.per_page, '1');
  });

  test('a refused API key becomes an auth failure saying what to check', async () => {
    answer = () => ({ status: 401, body: { message: 'Bad Credentials' } });
    await rejectsWith(client().countEmployees(), (err) => {
      assert.equal(err.authFailure, true);
      assert.match(err.message, /refused the API key \(Bad Credentials\)/);
    });
  });

  test('passes on the message of other errors', async () => {
    answer = () => ({ status: 422, body: { message: 'per_page is too large' } });
    await rejectsWith(client().listEmployees({ page: 1, perPage: 1000 }), (err) => {
      assert.equal(err.status, 422);
      assert.equal(err.message, 'PeopleForce answered HTTP 422: per_page is too large');
    });
  });

  test('waits out a short Retry-After and tries again', async () => {
    let calls = 0;
    answer = () => (++calls === 1 ? { status: 429, body: {}, headers: { 'retry-after': '2' } } : { body: page(1, 1, [1]) });
    const waited: number[] = [];
    const result = await client({ maxInlineWaitMs: 5000, sleep: async (ms) => void waited.push(ms) }).listEmployees({ page: 1, perPage: 100 });
    assert.equal(result.count, 1);
    assert.deepEqual(waited, [2000]);
  });

  test('lists leave requests', async () => {
    answer = () => ({ body: page(1, 1, [16]) });
    const result = await client().listLeaveRequests({ page: 1, perPage: 100 });
    assert.equal(result.data[0]?.id, 16);
    assert.equal(seen[0]?.path, '/api/public/v3/leave_requests');
  });

  test('walks every page of leave requests', async () => {
    answer = (s) => ({ body: page(Number(s.query.page), 2, [Number(s.query.page)]) });
    const ids: number[] = [];
    for await (const p of client().leaveRequestPages({ perPage: 1 })) ids.push(...p.data.map((l) => l.id));
    assert.deepEqual(ids, [1, 2]);
    assert.ok(seen.every((s) => s.path === '/api/public/v3/leave_requests'));
  });
});
