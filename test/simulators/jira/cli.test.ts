import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('prints one line with the URL and credentials, serves, and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulators/jira/cli.ts'], {
    cwd: root,
    env: { ...process.env, JIRA_SIM_PORT: '0', JIRA_SIM_EMAIL: 'cli@example.com', JIRA_SIM_TOKEN: 'cli-token' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    const line = chunk.toString().trim();
    assert.match(line, /^jira-sim: listening on http:\/\/127\.0\.0\.1:\d+ \(email cli@example\.com, API token cli-token\)$/);
    const url = /(http:\/\/\S+)/.exec(line)?.[1] as string;
    const res = await fetch(`${url}/rest/api/3/myself`, { headers: { Authorization: `Basic ${Buffer.from('cli@example.com:cli-token').toString('base64')}` } });
    assert.equal(res.status, 200);
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0);
});
