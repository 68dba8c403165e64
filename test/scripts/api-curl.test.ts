import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { serve } from '@hono/node-server';
import { projectPath } from '../../src/paths.js';
import { systemActor } from '../../src/platform/actor.js';
import { startTestHub, tempDir, type TestHub } from '../helpers/hub.js';

/*
 * scripts/api-curl.sh against a hub listening on a real port: the script
 * signs with openssl, curl sends, and the hub's own authentication decides.
 * Run with `sh`, which is dash on Debian, so bash-only syntax would fail.
 */

const SCRIPT = projectPath('scripts', 'api-curl.sh');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the script asynchronously: the hub answers from this same process, so a blocking spawn would deadlock. */
const apiCurl = (env: Record<string, string>, args: string[], stdin?: string): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn('sh', [SCRIPT, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A script that stops early (a missing variable) never reads its input; the pipe then breaks, which is fine.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
  });

/** The script's output with `-w '\n%{http_code}'`: the body, then the status on its own line. */
const answer = (run: Run): { status: number; json: any } => {
  assert.equal(run.code, 0, `api-curl.sh exited ${run.code}: ${run.stderr}`);
  const cut = run.stdout.lastIndexOf('\n');
  return { status: Number(run.stdout.slice(cut + 1)), json: JSON.parse(run.stdout.slice(0, cut)) };
};
const STATUS = ['-w', '\n%{http_code}'];

let hub: TestHub;
let server: ReturnType<typeof serve>;
let env: Record<string, string>;
let toolsMissing: string | undefined;

before(async () => {
  for (const tool of ['curl', 'openssl']) {
    await new Promise<void>((resolve) => execFile('sh', ['-c', `command -v ${tool}`], (err) => ((toolsMissing ??= err ? `${tool} is not installed` : undefined), resolve())));
  }
  hub = await startTestHub({ startJobs: false });
  server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: hub.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { credential, secret } = hub.ctx.apiCredentials.create(systemActor, { name: 'api-curl test', type: 'hmac', scopes: ['jobs:read', 'jobs:write'], allowedIps: [] });
  env = { SWITCHYARD_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, SWITCHYARD_CLIENT_ID: credential.clientId, SWITCHYARD_SECRET: secret };
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await hub.close();
});

test('the script passes the POSIX parser of sh', async () => {
  const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => execFile('sh', ['-n', SCRIPT], (err, _out, stderr) => resolve({ code: err ? (err.code as number) : 0, stderr })));
  assert.equal(run.code, 0, run.stderr);
});

test('a signed GET of whoami answers 200 with the caller as the hub sees it', async (t) => {
  if (toolsMissing) return t.skip(toolsMissing);
  const { status, json } = answer(await apiCurl(env, ['GET', '/api/v1/debug/whoami', ...STATUS]));
  assert.equal(status, 200);
  assert.equal(json.clientId, env.SWITCHYARD_CLIENT_ID);
  assert.equal(json.type, 'hmac');
  assert.deepEqual(json.scopes, ['jobs:read', 'jobs:write']);
  assert.equal(json.ip, '127.0.0.1');
  assert.ok(hub.ctx.apiCredentials.get(env.SWITCHYARD_CLIENT_ID!)!.lastUsedAt, 'last use is recorded');
});

test('a signed POST with a JSON body changes what it names, and the query string of a GET is signed as sent', async (t) => {
  if (toolsMissing) return t.skip(toolsMissing);
  const runAt = new Date(hub.clock.now() + 3_600_000);
  const first = await hub.ctx.queue.addJob('test.parked', { n: 1 }, { runAt });
  const second = await hub.ctx.queue.addJob('test.parked', { n: 2 }, { runAt });

  const inline = answer(await apiCurl(env, ['POST', '/api/v1/jobs/retry', JSON.stringify({ ids: [first.id] }), ...STATUS]));
  assert.equal(inline.status, 200);
  assert.deepEqual(inline.json, { changed: 1 });

  // From standard input, with the trailing newline a here-document or echo leaves: those bytes are signed too.
  const piped = answer(await apiCurl(env, ['post', '/api/v1/jobs/retry', '-', ...STATUS], `${JSON.stringify({ ids: [second.id, 999_999] })}\n`));
  assert.equal(piped.status, 200);
  assert.deepEqual(piped.json, { changed: 1 });

  const file = path.join(tempDir('switchyard-api-curl-'), 'body.json');
  fs.writeFileSync(file, JSON.stringify({ ids: [999_999] }));
  assert.deepEqual(answer(await apiCurl(env, ['POST', '/api/v1/jobs/retry', `@${file}`, ...STATUS])).json, { changed: 0 });

  const listed = answer(await apiCurl(env, ['GET', '/api/v1/jobs?task=test.parked&limit=1', ...STATUS]));
  assert.equal(listed.status, 200);
  assert.equal(listed.json.items.length, 1);
});

test('the wrong secret is refused with 401 and the error envelope', async (t) => {
  if (toolsMissing) return t.skip(toolsMissing);
  const { status, json } = answer(await apiCurl({ ...env, SWITCHYARD_SECRET: `${env.SWITCHYARD_SECRET}x` }, ['GET', '/api/v1/debug/whoami', ...STATUS]));
  assert.equal(status, 401);
  assert.equal(json.error.code, 'auth_bad_signature');
  assert.equal(typeof json.error.requestId, 'string');
});

test('a missing variable stops the script with a message naming it, before any request', async () => {
  const run = await apiCurl({ SWITCHYARD_URL: env.SWITCHYARD_URL!, SWITCHYARD_CLIENT_ID: env.SWITCHYARD_CLIENT_ID! }, ['GET', '/api/v1/debug/whoami']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^api-curl\.sh: SWITCHYARD_SECRET is not set/);
  assert.equal(run.stdout, '');
  const usage = await apiCurl(env, ['GET']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^usage: api-curl\.sh METHOD PATH/);
  const relative = await apiCurl(env, ['GET', 'api/v1/debug/whoami']);
  assert.equal(relative.code, 2);
  assert.match(relative.stderr, /PATH must start with \//);
});
