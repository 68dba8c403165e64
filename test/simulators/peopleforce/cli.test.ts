import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../src/simulators/peopleforce/cli.js';

test('serves on the given port with the key from the environment and prints both on one line', async () => {
  const lines: string[] = [];
  const handle = await runCli([], { PEOPLEFORCE_SIM_PORT: '0', PEOPLEFORCE_SIM_API_KEY: 'env-key' }, (l) => lines.push(l));
  try {
    const { url } = handle.running;
    assert.deepEqual(lines, [`peopleforce simulator: ${url}/api/public/v2 (and /v3), X-API-KEY env-key`]);
    assert.equal((await fetch(`${url}/api/public/v2/employees`, { headers: { 'X-API-KEY': 'env-key' } })).status, 200);
  } finally {
    await handle.stop();
  }
});

test('uses the demo key when none is set and points webhooks at the configured URL', async () => {
  const lines: string[] = [];
  const env = { PEOPLEFORCE_SIM_PORT: '0', PEOPLEFORCE_SIM_WEBHOOK_URL: 'http://127.0.0.1:9/hook', PEOPLEFORCE_SIM_WEBHOOK_SECRET: 'shh' };
  const handle = await runCli([], env, (l) => lines.push(l));
  try {
    assert.match(lines[0] ?? '', /X-API-KEY demo-pf-key, webhooks to http:\/\/127\.0\.0\.1:9\/hook \(signed\)$/);
    assert.deepEqual(handle.running.sim.snapshot().webhook, { url: 'http://127.0.0.1:9/hook', topics: [], hasSecret: true });
  } finally {
    await handle.stop();
  }
});

test('trickles changes with --trickle and prints each one', async () => {
  let sawChange!: (line: string) => void;
  const change = new Promise<string>((resolve) => (sawChange = resolve));
  const handle = await runCli(['--trickle', '0.01'], { PEOPLEFORCE_SIM_PORT: '0' }, (l) => l.startsWith('trickle:') && sawChange(l));
  try {
    assert.match(await change, /^trickle: (hired|moved|terminated|approved|.* asked for)/);
  } finally {
    await handle.stop();
  }
});

test('refuses a port that is not a number', async () => {
  await assert.rejects(runCli([], { PEOPLEFORCE_SIM_PORT: 'abc' }, () => undefined), /PEOPLEFORCE_SIM_PORT must be a number/);
});

test('runs as a program and stops cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../../src/simulators/peopleforce/cli.ts', import.meta.url))], {
    env: { ...process.env, PEOPLEFORCE_SIM_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const url = /(http:\/\/\S+)\/api\/public\/v2/.exec(line)?.[1];
  assert.ok(url, line);
  assert.equal((await fetch(`${url}/__sim/state`)).status, 200);
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
});
