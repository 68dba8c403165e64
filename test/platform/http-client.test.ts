import assert from 'node:assert/strict';
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import pino from 'pino';
import { createHttpClient, parseRetryAfter, type HttpClientOptions } from '../../src/platform/http-client.js';
import { UpstreamError } from '../../src/platform/upstream-error.js';
import { closeLocal, listenLocal } from '../helpers/net.js';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

type Handler = (req: Seen, res: ServerResponse) => void;

let handler: Handler = (_req, res) => res.end();
let seen: Seen[] = [];
let baseUrl = '';

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const s = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers };
    seen.push(s);
    handler(s, res);
  });
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

before(async () => {
  baseUrl = await listenLocal(server);
});

after(() => closeLocal(server));

beforeEach(() => {
  seen = [];
});

/** A pino logger whose lines land in an array, to check what one call logs. */
const capturingLogger = () => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
};

const client = (overrides: Partial<HttpClientOptions> = {}) =>
  createHttpClient({
    service: 'testapi',
    baseUrl: `${baseUrl}/`,
    headers: () => ({ Authorization: 'Bearer sekrit-token-42' }),
    timeoutMs: 2000,
    logger: pino({ level: 'silent' }),
    maxInlineWaitMs: 5000,
    maxRetries: 2,
    ...overrides,
  });

const rejectsWith = async (promise: Promise<unknown>, check: (err: UpstreamError) => void) => {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof UpstreamError, String(err));
    check(err);
    return true;
  });
};

/** Records each wait instead of sleeping. */
const recordingSleep = () => {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
};

describe('parseRetryAfter', () => {
  test('reads delay-seconds as milliseconds', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(' 1.5 '), 1500);
    assert.equal(parseRetryAfter('0'), 0);
  });

  test('reads an HTTP-date as the time left until then', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now), 30_000);
  });

  test('treats an HTTP-date in the past as no wait', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now), 0);
  });

  test('ignores missing, empty and garbage values', () => {
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter(''), undefined);
    assert.equal(parseRetryAfter('   '), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter('5 minutes'), undefined);
  });
});

describe('http client', () => {
  test('returns the parsed JSON with status and headers', async () => {
    handler = (_req, res) => json(res, 200, { ok: true }, { 'X-Thing': 'yes' });
    const res = await client().request<{ ok: boolean }>({ method: 'GET', path: '/ping' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.data, { ok: true });
    assert.equal(res.headers.get('x-thing'), 'yes');
    assert.equal(seen[0]?.path, '/ping');
    assert.equal(seen[0]?.headers.accept, 'application/json');
    assert.equal(seen[0]?.headers.authorization, 'Bearer sekrit-token-42');
  });

  test('returns undefined data for an empty 204 body', async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const res = await client().request({ method: 'DELETE', path: '/thing/1' });
    assert.equal(res.status, 204);
    assert.equal(res.data, undefined);
  });

  test('retries a 429 after a short Retry-After, waiting the time it asks for', async () => {
    let calls = 0;
    handler = (_req, res) => (++calls === 1 ? json(res, 429, {}, { 'Retry-After': '2' }) : json(res, 200, { n: calls }));
    const { waits, sleep } = recordingSleep();
    const res = await client({ sleep }).request({ method: 'GET', path: '/limited' });
    assert.deepEqual(res.data, { n: 2 });
    assert.deepEqual(waits, [2000]);
    assert.equal(seen.length, 2);
  });

  test('retries a 503 whose Retry-After is short', async () => {
    let calls = 0;
    handler = (_req, res) => (++calls === 1 ? json(res, 503, {}, { 'Retry-After': '0' }) : json(res, 200, {}));
    const { waits, sleep } = recordingSleep();
    const res = await client({ sleep }).request({ method: 'GET', path: '/busy' });
    assert.equal(res.status, 200);
    assert.deepEqual(waits, [0]);
  });

  test('throws a 503 without Retry-After at once instead of guessing a wait', async () => {
    handler = (_req, res) => json(res, 503, {});
    const { waits, sleep } = recordingSleep();
    await rejectsWith(client({ sleep }).request({ method: 'GET', path: '/busy' }), (err) => {
      assert.equal(err.status, 503);
      assert.equal(err.retryAfterMs, undefined);
      assert.equal(err.transient, true);
    });
    assert.deepEqual(waits, []);
    assert.equal(seen.length, 1);
  });

  test('throws a 429 whose Retry-After is longer than the inline wait, carrying retryAfterMs', async () => {
    handler = (_req, res) => json(res, 429, {}, { 'Retry-After': '60' });
    const { waits, sleep } = recordingSleep();
    await rejectsWith(client({ sleep, maxInlineWaitMs: 5000 }).request({ method: 'GET', path: '/limited' }), (err) => {
      assert.equal(err.kind, 'http');
      assert.equal(err.status, 429);
      assert.equal(err.retryAfterMs, 60_000);
      assert.equal(err.transient, true);
    });
    assert.deepEqual(waits, []);
    assert.equal(seen.length, 1);
  });

  test('gives up after maxRetries waits and throws the last 429', async () => {
    handler = (_req, res) => json(res, 429, {}, { 'Retry-After': '1' });
    const { waits, sleep } = recordingSleep();
    await rejectsWith(client({ sleep, maxRetries: 2 }).request({ method: 'GET', path: '/limited' }), (err) => {
      assert.equal(err.status, 429);
      assert.equal(err.retryAfterMs, 1000);
    });
    assert.deepEqual(waits, [1000, 1000]);
    assert.equal(seen.length, 3);
  });

  test('does not retry a 500 and leaves retryAfterMs unset for it', async () => {
    handler = (_req, res) => json(res, 500, { oops: true }, { 'Retry-After': '1' });
    const { waits, sleep } = recordingSleep();
    await rejectsWith(client({ sleep }).request({ method: 'GET', path: '/boom' }), (err) => {
      assert.equal(err.status, 500);
      assert.equal(err.retryAfterMs, undefined);
      assert.deepEqual(err.body, { oops: true });
      assert.match(err.message, /testapi answered GET \/boom with HTTP 500/);
    });
    assert.deepEqual(waits, []);
    assert.equal(seen.length, 1);
  });

  test('reports a call that takes longer than the timeout as kind timeout', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, {}), 500).unref();
    await rejectsWith(client({ timeoutMs: 50 }).request({ method: 'GET', path: '/slow' }), (err) => {
      assert.equal(err.kind, 'timeout');
      assert.equal(err.status, 0);
      assert.equal(err.transient, true);
      assert.match(err.message, /did not answer GET \/slow within 50 ms/);
    });
  });

  test('lets a per-request timeout override the client default', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, {}), 500).unref();
    await rejectsWith(client({ timeoutMs: 5000 }).request({ method: 'GET', path: '/slow', timeoutMs: 40 }), (err) => {
      assert.equal(err.kind, 'timeout');
      assert.match(err.message, /within 40 ms/);
    });
  });

  test('reports a refused connection as kind network', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await rejectsWith(client({ baseUrl: `http://127.0.0.1:${port}` }).request({ method: 'GET', path: '/x' }), (err) => {
      assert.equal(err.kind, 'network');
      assert.equal(err.status, 0);
      assert.equal(err.transient, true);
      assert.match(err.message, /could not reach testapi at http:\/\/127\.0\.0\.1:/);
    });
  });

  test('refuses an HTML page on a 200 as kind bad_response', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>Maintenance</body></html>');
    };
    await rejectsWith(client().request({ method: 'GET', path: '/page' }), (err) => {
      assert.equal(err.kind, 'bad_response');
      assert.equal(err.status, 200);
      assert.equal(err.transient, true);
      assert.match(err.message, /an HTML page/);
    });
  });

  test('refuses truncated JSON on a 200 as kind bad_response', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"values":[1,2');
    };
    await rejectsWith(client().request({ method: 'GET', path: '/cut' }), (err) => {
      assert.equal(err.kind, 'bad_response');
      assert.match(err.message, /malformed or truncated JSON/);
    });
  });

  test('keeps the status of an HTML 401 so it reads as an auth failure, not a transient one', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'Content-Type': 'text/html' });
      res.end('<html>Unauthorized</html>');
    };
    let described = 0;
    await rejectsWith(client({ describeError: () => ((described++), { message: 'should not be used' }) }).request({ method: 'GET', path: '/me' }), (err) => {
      assert.equal(err.kind, 'http');
      assert.equal(err.status, 401);
      assert.equal(err.authFailure, true);
      assert.equal(err.transient, false);
      assert.match(err.message, /HTTP 401 and a body that is not JSON/);
    });
    assert.equal(described, 0);
  });

  test('uses describeError for the message and field errors of an error body', async () => {
    handler = (_req, res) => json(res, 400, { errorMessages: ['Bad summary'], errors: { summary: 'Too long' } });
    const calls: [number, unknown][] = [];
    const describeError = (status: number, body: unknown) => {
      calls.push([status, body]);
      const b = body as { errorMessages: string[]; errors: Record<string, string> };
      return { message: b.errorMessages.join('; '), fieldErrors: b.errors };
    };
    await rejectsWith(client({ describeError }).request({ method: 'POST', path: '/issue', body: { summary: 'x' } }), (err) => {
      assert.equal(err.message, 'Bad summary');
      assert.deepEqual(err.fieldErrors, { summary: 'Too long' });
      assert.equal(err.transient, false);
    });
    assert.deepEqual(calls, [[400, { errorMessages: ['Bad summary'], errors: { summary: 'Too long' } }]]);
    assert.equal(seen[0]?.headers['content-type'], 'application/json');
  });

  test('appends array query values once each and skips undefined ones', async () => {
    handler = (_req, res) => json(res, 200, {});
    await client().request({ method: 'GET', path: '/search', query: { expand: ['names', 'schema'], max: 5, flag: true, gone: undefined } });
    const q = seen[0]?.query;
    assert.deepEqual(q?.getAll('expand'), ['names', 'schema']);
    assert.equal(q?.get('max'), '5');
    assert.equal(q?.get('flag'), 'true');
    assert.equal(q?.has('gone'), false);
  });

  test('passes the caller\'s abort reason through instead of an UpstreamError', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, {}), 500).unref();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 30);
    await assert.rejects(client().request({ method: 'GET', path: '/slow', signal: controller.signal }), (err: unknown) => {
      assert.equal(err, reason);
      return true;
    });
  });

  test('stops waiting out a Retry-After when the caller aborts', async () => {
    handler = (_req, res) => json(res, 429, {}, { 'Retry-After': '2' });
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 30);
    const started = Date.now();
    await assert.rejects(client().request({ method: 'GET', path: '/limited', signal: controller.signal }), (err: unknown) => err === reason);
    assert.ok(Date.now() - started < 1500);
    assert.equal(seen.length, 1);
  });

  test('logs one line per successful call with method, path, status and time', async () => {
    handler = (_req, res) => json(res, 200, { secret: 'body-value' });
    const { logger, lines } = capturingLogger();
    await client({ logger }).request({ method: 'GET', path: '/ping', query: { a: '1' } });
    assert.equal(lines.length, 1);
    const line = lines[0]!;
    assert.equal(line.msg, 'upstream call');
    assert.equal(line.upstream, 'testapi');
    assert.equal(line.method, 'GET');
    assert.equal(line.path, '/ping');
    assert.equal(line.status, 200);
    assert.equal(line.attempt, 1);
    assert.equal(typeof line.ms, 'number');
  });

  test('logs to the request\'s own logger when one is given', async () => {
    handler = (_req, res) => json(res, 200, {});
    const own = capturingLogger();
    const request = capturingLogger();
    await client({ logger: own.logger }).request({ method: 'GET', path: '/ping', log: request.logger });
    assert.equal(own.lines.length, 0);
    assert.equal(request.lines.length, 1);
  });

  test('never logs headers, credentials or bodies', async () => {
    handler = (_req, res) => json(res, 400, { detail: 'body-secret-value' });
    const { logger, lines } = capturingLogger();
    await assert.rejects(client({ logger }).request({ method: 'POST', path: '/issue', body: { password: 'p4ss' } }));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.msg, 'upstream call refused');
    assert.equal(lines[0]?.status, 400);
    const text = JSON.stringify(lines);
    assert.doesNotMatch(text, /sekrit-token-42/);
    assert.doesNotMatch(text, /body-secret-value/);
    assert.doesNotMatch(text, /p4ss/);
    assert.doesNotMatch(text, /headers/i);
  });

  test('logs one line per attempt while waiting out a Retry-After', async () => {
    let calls = 0;
    handler = (_req, res) => (++calls === 1 ? json(res, 429, {}, { 'Retry-After': '1' }) : json(res, 200, {}));
    const { logger, lines } = capturingLogger();
    const { sleep } = recordingSleep();
    await client({ logger, sleep }).request({ method: 'GET', path: '/limited' });
    assert.deepEqual(lines.map((l) => [l.msg, l.attempt, l.retryAfterMs]), [
      ['upstream call refused', 1, 1000],
      ['upstream call', 2, undefined],
    ]);
  });
});

test('reads only an HTTP-date as a date in Retry-After, so junk never means "retry now"', () => {
  assert.equal(parseRetryAfter('-5'), undefined);
  assert.equal(parseRetryAfter('foo 1'), undefined);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('2015-10-21T07:28:00Z')), 10_000);
});
