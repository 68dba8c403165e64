import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createAppContext } from '../../src/app-context.js';
import { signRequest } from '../../src/auth/api-credentials/hmac-signature.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { projectRoot } from '../../src/paths.js';
import { tempDir } from '../helpers/hub.js';
import { credentialsList, credentialsRetire, credentialsRevoke, credentialsRotate } from '../../src/cli/credentials-command.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in a child with only the data dir set from the hub's variables, as an operator would. */
const cli = (args: string[], dataDir: string): Promise<Run> => {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['PORT', 'HOST', 'LOG_LEVEL', 'LOG_FORMAT'].includes(k) && !k.startsWith('HUB_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: projectRoot,
    env: { ...base, LOG_LEVEL: 'silent', LOG_FORMAT: 'json', HUB_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
};

/** A data dir whose key was made already, so the CLI's output holds only what the command prints. */
const preparedDataDir = async (): Promise<string> => {
  const dataDir = tempDir('switchyard-cli-');
  const ctx = await createAppContext(loadConfig({ HUB_DATA_DIR: dataDir, LOG_LEVEL: 'silent', LOG_FORMAT: 'json' }, false), createLogger({ level: 'silent', format: 'json' }), {
    pluginsDir: tempDir('switchyard-plugins-'),
  });
  ctx.close();
  return dataDir;
};

const field = (stdout: string, name: string): string => {
  const match = new RegExp(`^${name}: (\\S+)$`, 'm').exec(stdout);
  assert.ok(match, `"${name}:" in ${stdout}`);
  return match[1]!;
};

/** Opens the data dir the CLI wrote and asks the hub's own authenticator whether a signed request passes. */
const signedRequestPasses = async (dataDir: string, clientId: string, secret: string): Promise<string> => {
  const ctx = await createAppContext(loadConfig({ HUB_DATA_DIR: dataDir, LOG_LEVEL: 'silent', LOG_FORMAT: 'json' }, false), createLogger({ level: 'silent', format: 'json' }), {
    pluginsDir: tempDir('switchyard-plugins-'),
  });
  try {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = crypto.randomBytes(16).toString('hex');
    const result = ctx.apiAuthenticator.authenticate({
      headers: { clientId, timestamp, nonce, signature: signRequest(secret, 'GET', '/api/v1/debug/whoami', timestamp, nonce, Buffer.alloc(0)) },
      method: 'GET',
      target: '/api/v1/debug/whoami',
      body: Buffer.alloc(0),
      ip: '127.0.0.1',
    });
    return result.ok ? 'ok' : result.code;
  } finally {
    ctx.close();
  }
};

describe('switchyard credentials', { concurrency: true }, () => {
  test('create prints the client id and a working secret once, with a warning; list never shows it', async () => {
    const dataDir = await preparedDataDir();
    const created = await cli(['credentials', 'create', '--name', 'HR script', '--type', 'hmac', '--scopes', 'rules:read,jobs:read'], dataDir);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^created hmac credential "HR script"\nclient id: sy_[0-9a-f]{20}\nsecret: sys_[A-Za-z0-9_-]{43}\n$/);
    const clientId = field(created.stdout, 'client id');
    const secret = field(created.stdout, 'secret');
    assert.match(created.stderr, /^Copy the secret now: it is shown only this once and cannot be shown again\. If it is lost, run "switchyard credentials rotate sy_/);
    assert.equal(await signedRequestPasses(dataDir, clientId, secret), 'ok');

    const listed = await cli(['credentials', 'list'], dataDir);
    assert.equal(listed.code, 0, listed.stderr);
    const [header, row] = listed.stdout.trim().split('\n');
    assert.match(header!, /^CLIENT ID\s+NAME\s+TYPE\s+STATUS\s+SCOPES\s+ALLOWED IPS\s+RATE\/MIN\s+LAST USED$/);
    assert.match(row!, new RegExp(`^${clientId}\\s+HR script\\s+hmac\\s+active\\s+rules:read,jobs:read\\s+any\\s+120\\s+\\S+ from 127\\.0\\.0\\.1$`));
    assert.ok(!listed.stdout.includes(secret));
    for (const file of fs.readdirSync(dataDir).filter((f) => f.startsWith('switchyard.db'))) {
      assert.ok(!fs.readFileSync(path.join(dataDir, file)).includes(secret), `${file} holds no plain secret`);
    }
  });

  test('create takes Bearer addresses repeated or comma-separated, and a rate', async () => {
    const dataDir = await preparedDataDir();
    const created = await cli(['credentials', 'create', '--name', 'CI', '--type', 'bearer', '--scopes', 'jobs:read', '--ip', '10.0.0.0/8', '--ip', '::1,127.0.0.1', '--rate', '30'], dataDir);
    assert.equal(created.code, 0, created.stderr);
    assert.match(field(created.stdout, 'token'), /^syb_[A-Za-z0-9_-]{43}$/);
    const listed = await cli(['credentials', 'list'], dataDir);
    assert.match(listed.stdout, /bearer\s+active\s+jobs:read\s+10\.0\.0\.0\/8,::1,127\.0\.0\.1\s+30\s+never/);
  });

  test('create refuses bad input naming each field, and stores nothing', async () => {
    const dataDir = await preparedDataDir();
    const refused = await cli(['credentials', 'create', '--name', 'CI', '--type', 'bearer', '--scopes', 'jobs:read,jobs:nuke'], dataDir);
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /^switchyard: The credential was not created; check the fields marked\. scopes: Unknown scope "jobs:nuke"; .* allowedIps: A Bearer token is only accepted from the addresses listed here/);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    const missing = await cli(['credentials', 'create', '--name', 'CI'], dataDir);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'switchyard: credentials create needs --name, --type and --scopes (see --help)\n');
    assert.match((await cli(['credentials', 'list'], dataDir)).stdout, /^No API credentials yet\./);
  });

  test('rotate prints a new secret once and keeps the old one for the overlap; retire and revoke end them', async () => {
    const dataDir = await preparedDataDir();
    const created = await cli(['credentials', 'create', '--name', 'Rotating', '--type', 'hmac', '--scopes', 'rules:read'], dataDir);
    const clientId = field(created.stdout, 'client id');
    const old = field(created.stdout, 'secret');
    // The dispatch from argv is proven by the spawned runs in this file; the steps after create call the same command functions in process.
    process.env.HUB_DATA_DIR = dataDir;
    const run = async (fn: (out: (line: string) => void, warn: (line: string) => void) => Promise<void>) => {
      const lines = { stdout: '', stderr: '' };
      await fn((line) => (lines.stdout += `${line}\n`), (line) => (lines.stderr += `${line}\n`));
      return lines;
    };

    const rotated = await run((out, warn) => credentialsRotate(clientId, out, warn));
    assert.match(rotated.stdout, new RegExp(`^rotated ${clientId}; the previous secret keeps working until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ unless you retire it sooner\\n`));
    const secret = field(rotated.stdout, 'secret');
    assert.notEqual(secret, old);
    assert.match(rotated.stderr, /shown only this once/);
    assert.equal(await signedRequestPasses(dataDir, clientId, old), 'ok');
    assert.equal(await signedRequestPasses(dataDir, clientId, secret), 'ok');
    assert.match((await run((out) => credentialsList(out))).stdout, /active \(previous secret until \S+\)/);

    const retired = await run((out) => credentialsRetire(clientId, out));
    assert.equal(retired.stdout, `retired the previous secret of ${clientId}; only the current one works now\n`);
    assert.equal(await signedRequestPasses(dataDir, clientId, old), 'auth_secret_retired');

    const revoked = await run((out) => credentialsRevoke(clientId, out));
    assert.equal(revoked.stdout, `revoked ${clientId} ("Rotating"); requests with it are refused from now on\n`);
    assert.equal(await signedRequestPasses(dataDir, clientId, secret), 'auth_revoked');
    assert.match((await run((out) => credentialsList(out))).stdout, new RegExp(`${clientId}\\s+Rotating\\s+hmac\\s+revoked`));

    const again = await cli(['credentials', 'revoke', clientId], dataDir);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, `switchyard: Credential ${clientId} is revoked and cannot be revoked again; create a new one instead.\n`);
  });

  test('an unknown client id or a missing one is one line and exit status 1', async () => {
    const dataDir = await preparedDataDir();
    const unknown = await cli(['credentials', 'rotate', 'sy_nothere'], dataDir);
    assert.deepEqual([unknown.code, unknown.stderr], [1, 'switchyard: No API credential has the client id sy_nothere.\n']);
    const none = await cli(['credentials', 'revoke'], dataDir);
    assert.deepEqual([none.code, none.stderr], [1, 'switchyard: credentials revoke needs exactly one client id (see --help)\n']);
  });

  test('prints the usage of the group and of each action', async () => {
    const dataDir = tempDir('switchyard-cli-');
    const group = await cli(['credentials', '--help'], dataDir);
    assert.equal(group.code, 0);
    assert.match(group.stdout, /^Usage: switchyard credentials create\|list\|rotate\|retire\|revoke/);
    const bare = await cli(['credentials'], dataDir);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /^Usage: switchyard credentials/);
    const create = await cli(['credentials', 'create', '--help'], dataDir);
    assert.match(create.stdout, /^Usage: switchyard credentials create --name <name> --type hmac\|bearer --scopes <scope,\.\.\.>/);
    assert.match(create.stdout, /rules:read, rules:write, settings:read/);
    const main = await cli(['--help'], dataDir);
    assert.match(main.stdout, /credentials <action>\s+create, list, rotate, retire or revoke API credentials/);
  });
});
