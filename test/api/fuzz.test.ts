import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { listenHttp } from '../../src/web/http-server.js';
import { signRequest } from '../../src/auth/api-credentials/hmac-signature.js';
import { API_SCOPE_NAMES } from '../../src/auth/api-credentials/scopes.js';
import { systemActor } from '../../src/platform/actor.js';
import { startTestHub } from '../helpers/hub.js';

/*
 * 1,000 random and malformed requests against /api/v1 over a real socket,
 * from a seeded generator (FUZZ_SEED=<n> replays a run). Whatever arrives,
 * the hub must answer without a 5xx, and every error under /api/v1 must be
 * the API's error body. About half of the requests are correctly signed,
 * so they get past authentication and reach the operations' own checks.
 */

const REQUESTS = 1000;
const SEED = Number(process.env.FUZZ_SEED ?? 20260101);
const BODY_LIMIT_KB = 16;

/** mulberry32: small, fast and the same everywhere. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number): boolean => next() < p;
  const text = (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[int(alphabet.length)]).join('');
  return { next, int, pick, chance, text };
};
type Rng = ReturnType<typeof prng>;

const METHODS = ['GET', 'GET', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'PURGE', 'REPORT', 'SEARCH'];
const PRINTABLE = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join('');
const SEGMENT_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-_.~!$&\'()*+,;=:@';
const ODD_SEGMENTS = ['%00', '%zz', '%', '%2e%2e', '..', '.', '%2f', '%2F..%2F', '%C3%A9', '%C0%AE%C0%AE', '%ff%fe', 'é', '~', '%20', '+', '%0d%0a', '%u0041', '%%32%65', '""', '{id}', '[0]', ';a=1', '?', '#frag'];
const ID_VALUES = ['1', '0', '-1', '999999999999999999999999', '1e3', '0x10', 'NaN', 'null', 'abc', '%00', '1.5', '%201', '..', ''];
const CONTENT_TYPES = [undefined, 'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/json-patch+json', 'a/b/c;;;=', ''];
const TIMESTAMPS = ['-5', '0', '1e10', '99999999999999999999', '17672256000000', 'now', '', ' ', '1767225600.5'];

interface Credential {
  clientId: string;
  secret: string;
}

interface Plan {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** Chunked instead of Content-Length. */
  chunked: boolean;
}

const junkSegment = (r: Rng): string => {
  if (r.chance(0.35)) return r.pick(ODD_SEGMENTS);
  if (r.chance(0.05)) return r.text(SEGMENT_CHARS, 2000 + r.int(4000));
  return r.text(SEGMENT_CHARS, 1 + r.int(12));
};

const junkQuery = (r: Rng): string => {
  const pairs = Array.from({ length: 1 + r.int(4) }, () =>
    r.pick([
      () => `limit=${r.pick(['-1', '0', '1', '100000', '1e309', 'x', ''])}`,
      () => `offset=${r.pick(['-5', '0', '7', '9007199254740993', 'abc'])}`,
      () => `state=${r.pick(['dead', 'queued', 'nope', '', 'dead&state=queued'])}`,
      () => `${r.text(SEGMENT_CHARS, 1 + r.int(6))}=${r.text(SEGMENT_CHARS, r.int(8))}`,
      () => r.pick(['%', '=', '&&', 'a[]=1&a[]=2', 'q=%E2%82', 'x=%00']),
    ])(),
  );
  return `?${pairs.join('&')}`;
};

interface Operation {
  method: string;
  path: string;
}

/** A path under /api/v1: a real operation with odd parameters, or junk with odd encodings. */
const planPath = (r: Rng, operations: Operation[]): string => {
  let path: string;
  if (r.chance(0.6)) {
    path = r.pick(operations).path.replace(/\{[^}]+\}/g, () => (r.chance(0.5) ? String(1 + r.int(50)) : r.pick(ID_VALUES)));
    if (r.chance(0.15)) path += r.pick(['/', '//', '/extra', '/..', '.json', '%2F']);
  } else {
    path = `/api/v1/${Array.from({ length: r.int(5) }, () => junkSegment(r)).join(r.chance(0.1) ? '//' : '/')}`;
  }
  if (r.chance(0.3)) path += junkQuery(r);
  return path;
};

const deepJson = (r: Rng): string => {
  const depth = r.pick([100, 1000, 10_000, 100_000]);
  return r.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
};

const randomJsonValue = (r: Rng, depth = 0): unknown => {
  const kind = r.int(depth > 3 ? 5 : 8);
  if (kind === 0) return null;
  if (kind === 1) return r.chance(0.5);
  if (kind === 2) return r.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, 42]);
  if (kind === 3) return r.text(PRINTABLE, r.int(20));
  if (kind === 4) return r.pick(['', '__proto__', 'constructor', '\u0000', '😀', 'a'.repeat(5000)]);
  if (kind === 5) return Array.from({ length: r.int(5) }, () => randomJsonValue(r, depth + 1));
  const keys = ['ids', 'name', 'enabled', 'filter', 'settings', 'expectedVersion', 'priority', 'order', 'conditions', 'mappings', '__proto__', 'constructor', 'unknownField', r.text(SEGMENT_CHARS, 5)];
  return Object.fromEntries(Array.from({ length: r.int(6) }, () => [r.pick(keys), randomJsonValue(r, depth + 1)]));
};

const planBody = (r: Rng): Buffer | undefined => {
  switch (r.int(9)) {
    case 0:
    case 1:
      return undefined;
    case 2:
      return Buffer.alloc(0);
    case 3:
      return Buffer.from(Array.from({ length: 1 + r.int(2048) }, () => r.int(256)));
    case 4:
      return Buffer.alloc((BODY_LIMIT_KB + 1 + r.int(100)) * 1024, r.chance(0.5) ? 0x20 : 0x7b);
    case 5:
      return Buffer.from(r.pick(['{', '{"a":}', 'undefined', "{'a':1}", '\ufeff{}', 'NaN', '[1,]', 'true false', '\u0000']));
    case 6:
      return Buffer.from(deepJson(r));
    default:
      return Buffer.from(JSON.stringify(randomJsonValue(r)));
  }
};

const hmacHeaders = (credential: Credential, method: string, path: string, body: Buffer | undefined, timestamp: string, nonce: string): Record<string, string> => ({
  'X-Client-Id': credential.clientId,
  'X-Timestamp': timestamp,
  'X-Nonce': nonce,
  'X-Signature': signRequest(credential.secret, method, path, timestamp, nonce, body ?? Buffer.alloc(0)),
});

interface Keys {
  hmac: Credential;
  narrow: Credential;
  revoked: Credential;
  bearer: string;
  farBearer: string;
  now: () => number;
}

const planHeaders = (r: Rng, keys: Keys, method: string, path: string, body: Buffer | undefined, usedNonces: string[]): Record<string, string> => {
  const now = String(Math.floor(keys.now() / 1000));
  const nonce = () => r.text('abcdef0123456789', 32);
  const fresh = () => {
    const n = nonce();
    usedNonces.push(n);
    return n;
  };
  switch (r.int(12)) {
    case 0:
      return {};
    case 1: {
      const garbage: Record<string, string> = {};
      for (const name of ['X-Client-Id', 'X-Timestamp', 'X-Nonce', 'X-Signature', 'Authorization']) if (r.chance(0.5)) garbage[name] = r.text(PRINTABLE, r.int(r.chance(0.1) ? 4000 : 80));
      return garbage;
    }
    case 2:
      return { ...hmacHeaders(keys.hmac, method, path, body, now, fresh()), 'X-Signature': r.text('0123456789abcdef', 64) };
    case 3:
      return hmacHeaders(keys.hmac, method, path, body, r.pick(TIMESTAMPS), fresh());
    case 4:
      return { ...hmacHeaders(keys.hmac, method, path, body, now, usedNonces.length ? r.pick(usedNonces) : fresh()) };
    case 5:
      return { Authorization: r.pick(['Bearer', 'Bearer ', 'Bearer  a b', 'Basic dXNlcjpwYXNz', `Bearer ${r.text(PRINTABLE, 1 + r.int(700))}`, `bearer ${keys.bearer}x`, `Bearer ${keys.farBearer}`, 'Bearer syb_']) };
    case 6:
      return hmacHeaders(r.pick([keys.revoked, keys.narrow]), method, path, body, now, fresh());
    case 7:
      return { ...hmacHeaders(keys.hmac, method, path, body, now, fresh()), Authorization: `Bearer ${keys.bearer}` };
    case 8:
      return { Authorization: `Bearer ${keys.bearer}` };
    default:
      // Correctly signed with every scope: the request reaches the operation and its schema.
      return hmacHeaders(keys.hmac, method, path, body, now, fresh());
  }
};

/** Anything: a random method, path, body, content type and set of auth headers. */
const wild = (r: Rng, keys: Keys, operations: Operation[], usedNonces: string[]): Plan => {
  const method = r.pick(METHODS);
  const path = planPath(r, operations);
  const body = method === 'HEAD' ? undefined : planBody(r);
  const headers = planHeaders(r, keys, method, path, body, usedNonces);
  const contentType = body !== undefined ? r.pick(CONTENT_TYPES) : r.chance(0.1) ? 'application/json' : undefined;
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  return { method, path, headers, body, chunked: body !== undefined && r.chance(0.15) };
};

/** A real operation, correctly signed with every scope, with small ids and a JSON body that may or may not fit its schema. */
const plausible = (r: Rng, keys: Keys, operations: Operation[], usedNonces: string[]): Plan => {
  const op = r.pick(operations);
  const path = op.path.replace(/\{[^}]+\}/g, () => String(1 + r.int(5))) + (op.method === 'GET' && r.chance(0.3) ? junkQuery(r) : '');
  const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : Buffer.from(JSON.stringify(r.chance(0.3) ? {} : randomJsonValue(r)));
  const nonce = r.text('abcdef0123456789', 32);
  usedNonces.push(nonce);
  const headers = hmacHeaders(keys.hmac, op.method, path, body, String(Math.floor(keys.now() / 1000)), nonce);
  if (body) headers['Content-Type'] = 'application/json';
  return { method: op.method, path, headers, body, chunked: false };
};

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const send = (port: number, agent: http.Agent, plan: Plan): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...plan.headers };
    // Node's client frames a GET, DELETE or OPTIONS body only when told how.
    if (plan.body !== undefined) {
      if (plan.chunked) headers['Transfer-Encoding'] = 'chunked';
      else headers['Content-Length'] = String(plan.body.length);
    }
    const req = http.request({ host: '127.0.0.1', port, method: plan.method, path: plan.path, headers, agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    if (plan.body !== undefined && plan.body.length) req.write(plan.body);
    req.end();
  });

/**
 * A request target must be ASCII (RFC 3986). The Node adapter cannot build a
 * Request from one with raw bytes above 0x7f, so no route runs: the hub's
 * adapter error handler answers 400 bad_request_target in the envelope.
 */
const RAW_NON_ASCII = /[\u0080-\u00ff]/;

/** Where the server routes the request: the URL parser resolves dot segments (%2e%2e included) before routing. */
const landsUnderApi = (path: string): boolean => {
  try {
    return new URL(path, 'http://hub').pathname.startsWith('/api/v1');
  } catch {
    return false;
  }
};

const envelopeProblem = (answer: Answer): string | undefined => {
  let parsed: { error?: { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown } };
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    return 'the body is not JSON';
  }
  const e = parsed.error;
  if (!e || typeof e !== 'object') return 'no "error" object';
  if (typeof e.code !== 'string' || !/^[a-z_]+$/.test(e.code)) return 'error.code is not a code';
  if (typeof e.message !== 'string' || !e.message) return 'error.message is missing';
  if (e.details !== null && (typeof e.details !== 'object' || Array.isArray(e.details))) return 'error.details is neither an object nor null';
  if (typeof e.requestId !== 'string' || e.requestId !== answer.headers['x-request-id']) return 'error.requestId is not the X-Request-Id of the answer';
  if (!/^application\/json/.test(String(answer.headers['content-type']))) return `Content-Type is ${answer.headers['content-type']}`;
  return undefined;
};

test(`${REQUESTS} random and malformed requests get no 5xx, and every API error is the error body (seed ${SEED})`, async (t) => {
  const hub = await startTestHub({ plugins: ['pf-jira', 'bqe'], startJobs: false, env: { HUB_BODY_LIMIT_KB: String(BODY_LIMIT_KB) } });
  const server = await listenHttp(hub.app.fetch, { port: 0, host: '127.0.0.1', logger: hub.ctx.logger });
  // A connection per request: after an early 413 the adapter may close the connection while the client still writes,
  // and a reused socket would then fail the next, unrelated request.
  const agent = new http.Agent({ keepAlive: false, maxSockets: 1 });
  try {
    const port = (server.address() as AddressInfo).port;
    const issue = (name: string, type: 'hmac' | 'bearer', scopes: string[], allowedIps: string[]) =>
      hub.ctx.apiCredentials.create(systemActor, { name, type, scopes, allowedIps, rateLimitPerMinute: 6000 });
    const full = issue('fuzz all scopes', 'hmac', API_SCOPE_NAMES, []);
    const narrow = issue('fuzz bqe:read only', 'hmac', ['bqe:read'], []);
    const revoked = issue('fuzz revoked', 'hmac', ['jobs:read'], []);
    hub.ctx.apiCredentials.revoke(systemActor, revoked.credential.clientId);
    const bearer = issue('fuzz bearer', 'bearer', API_SCOPE_NAMES, ['127.0.0.1', '::1']);
    const far = issue('fuzz far bearer', 'bearer', ['jobs:read'], ['10.0.0.0/8']);
    const keys: Keys = {
      hmac: { clientId: full.credential.clientId, secret: full.secret },
      narrow: { clientId: narrow.credential.clientId, secret: narrow.secret },
      revoked: { clientId: revoked.credential.clientId, secret: revoked.secret },
      bearer: bearer.secret,
      farBearer: far.secret,
      now: () => hub.clock.now(),
    };

    const documentAnswer = await send(port, agent, { method: 'GET', path: '/api/v1/openapi.json', headers: {}, body: undefined, chunked: false });
    assert.equal(documentAnswer.status, 200);
    const operations = Object.entries((JSON.parse(documentAnswer.body) as { paths: Record<string, Record<string, unknown>> }).paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path: `/api/v1${path.replace(/^\/api\/v1/, '')}` })),
    );
    assert.ok(operations.length >= 5, 'the document lists the operations');

    const r = prng(SEED);
    const usedNonces: string[] = [];
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const started = performance.now();
    for (let i = 0; i < REQUESTS; i++) {
      const plan = r.chance(0.3) ? plausible(r, keys, operations, usedNonces) : wild(r, keys, operations, usedNonces);
      const { method, path, headers, body } = plan;
      const what = `#${i} ${method} ${path.length > 120 ? `${path.slice(0, 120)}…` : path} [${Object.keys(headers).join(', ')}] body ${body?.length ?? 'none'}`;
      let answer: Answer;
      try {
        answer = await send(port, agent, plan);
      } catch (err) {
        failures.push(`${what}: ${(err as Error).message}`);
        continue;
      }
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status >= 500) failures.push(`${what}: ${answer.status} ${answer.body.slice(0, 200)}`);
      else if (RAW_NON_ASCII.test(path)) {
        const problem = envelopeProblem(answer);
        if (answer.status !== 400 || problem || !answer.body.includes('"bad_request_target"')) failures.push(`${what}: ${answer.status} ${problem ?? ''} for a request target with raw non-ASCII bytes: ${answer.body.slice(0, 200)}`);
      } else if (answer.status >= 400 && method !== 'HEAD' && landsUnderApi(path)) {
        const problem = envelopeProblem(answer);
        if (problem) failures.push(`${what}: ${answer.status} ${problem}: ${answer.body.slice(0, 200)}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const summary = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    t.diagnostic(`statuses ${summary} in ${seconds.toFixed(1)} s`);
    assert.deepEqual(failures.slice(0, 15), [], `seed ${SEED}: ${failures.length} bad answers (statuses ${summary})`);
    assert.ok((statuses.get(200) ?? 0) > 20, `some signed requests succeeded (statuses ${summary})`);
    for (const status of [401, 403, 404, 413, 415, 422]) assert.ok(statuses.has(status), `the run reached ${status} (statuses ${summary})`);
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await hub.close();
  }
});
