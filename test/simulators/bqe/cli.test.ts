import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../src/simulators/bqe/cli.js';

test('prints the identity URL, API base, client id and secret', async () => {
  const lines: string[] = [];
  const handle = await runCli([], { BQE_SIM_PORT: '0' }, (l) => lines.push(l));
  try {
    const { url } = handle.running;
    assert.deepEqual(lines, [
      `bqe simulator: identity ${url}/idp, API ${url}/t/switchyard-demo/api/ (state: ${url}/__sim/state)`,
      'bqe simulator: client id switchyardsimulatorbqecoreclient.apps.bqe.com, client secret switchyard-bqe-sim-secret',
      'bqe simulator: redirect URIs http://127.0.0.1:3000/admin/bqe/oauth/callback, http://localhost:3000/admin/bqe/oauth/callback',
      'bqe simulator: 60 projects, 15 clients, 100 requests/minute, X-UTC-OFFSET required',
    ]);
    assert.equal((await fetch(`${url}/idp/.well-known/openid-configuration`)).status, 200);
  } finally {
    await handle.stop();
  }
});

test('seeds more projects with --projects and takes settings from BQE_SIM_* variables', async () => {
  const lines: string[] = [];
  const env = {
    BQE_SIM_PORT: '0',
    BQE_SIM_CLIENT_ID: `${'c'.repeat(32)}.apps.bqe.com`,
    BQE_SIM_CLIENT_SECRET: 'env-secret',
    BQE_SIM_TENANT: 'acme',
    BQE_SIM_ACCEPT_ANY_REDIRECT: 'true',
    BQE_SIM_RATE_LIMIT: '0',
  };
  const handle = await runCli(['--projects', '500', '--clients', '3'], env, (l) => lines.push(l));
  try {
    assert.match(lines[0] ?? '', /API http:\/\/127\.0\.0\.1:\d+\/t\/acme\/api\//);
    assert.equal(lines[1], `bqe simulator: client id ${'c'.repeat(32)}.apps.bqe.com, client secret env-secret`);
    assert.match(lines[2] ?? '', /any http\(s\) URI/);
    assert.equal(lines[3], 'bqe simulator: 500 projects, 3 clients, no rate cap, X-UTC-OFFSET required');
  } finally {
    await handle.stop();
  }
});

test('refuses a port or project count that is not a whole number', async () => {
  await assert.rejects(runCli([], { BQE_SIM_PORT: 'abc' }, () => undefined), /BQE_SIM_PORT must be a whole number/);
  await assert.rejects(runCli(['--projects', 'many'], { BQE_SIM_PORT: '0' }, () => undefined), /--projects must be a whole number/);
});

test('runs as a program and stops cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../../src/simulators/bqe/cli.ts', import.meta.url))], {
    env: { ...process.env, BQE_SIM_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const url = /identity (http:\/\/\S+)\/idp/.exec(line)?.[1];
  assert.ok(url, line);
  assert.equal((await fetch(`${url}/__sim/state`)).status, 200);
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
});
