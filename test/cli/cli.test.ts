import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';
import { projectRoot } from '../../src/paths.js';
import { tempDir } from '../helpers/hub.js';
import { copyProject } from '../helpers/project-copy.js';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment a CLI child sees: ours without any hub variables, plus the ones a test sets. */
const childEnv = (env: Record<string, string>): NodeJS.ProcessEnv => {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['PORT', 'HOST', 'LOG_LEVEL', 'LOG_FORMAT'].includes(k) && !k.startsWith('HUB_')));
  return { ...base, LOG_LEVEL: 'silent', LOG_FORMAT: 'json', ...env };
};

const spawnCli = (args: string[], env: Record<string, string>, root = projectRoot): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });

const finished = (child: ChildProcess): Promise<Run> => {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
};

const cli = (args: string[], options: { env?: Record<string, string>; stdin?: string; root?: string } = {}): Promise<Run> => {
  const child = spawnCli(args, { HUB_DATA_DIR: tempDir('switchyard-cli-'), ...options.env }, options.root);
  const done = finished(child);
  child.stdin!.end(options.stdin ?? '');
  return done;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe('switchyard --help', { concurrency: true }, () => {
  test('prints the usage and the commands', async () => {
    for (const flag of ['--help', 'help']) {
      const run = await cli([flag]);
      assert.equal(run.code, 0, flag);
      assert.match(run.stdout, /^Usage: switchyard \[command\] \[options\]/);
      for (const command of ['serve', 'migrate', 'user create', 'new-plugin <name>']) assert.ok(run.stdout.includes(command), command);
      assert.equal(run.stderr, '');
    }
  });

  test("prints each command's usage", async () => {
    const cases: [string[], RegExp][] = [
      [['serve', '--help'], /^Usage: switchyard serve\n/],
      [['migrate', '--help'], /^Usage: switchyard migrate \[--status \| --down\]\n/],
      [['user', 'create', '--help'], /^Usage: switchyard user create --email <email> --name <name>/],
      [['new-plugin', '-h'], /^Usage: switchyard new-plugin <name>\n/],
    ];
    await Promise.all(
      cases.map(async ([args, usage]) => {
        const run = await cli(args);
        assert.equal(run.code, 0, args.join(' '));
        assert.match(run.stdout, usage);
      }),
    );
  });
});

describe('switchyard usage errors', { concurrency: true }, () => {
  test('exits 2 on an unknown command, showing the usage', async () => {
    const run = await cli(['frobnicate']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^switchyard: unknown command "frobnicate"\n\nUsage: switchyard/);
    assert.equal(run.stdout, '');
  });

  test('exits 1 with one line on an unknown option', async () => {
    const run = await cli(['migrate', '--bogus']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^switchyard: Unknown option '--bogus'/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });

  test('exits 1 when user create misses --email or --name', async () => {
    const run = await cli(['user', 'create', '--name', 'Ann']);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'switchyard: user create needs --email and --name (see --help)\n');
  });

  test('exits 1 when new-plugin gets no name or a bad one', async () => {
    const none = await cli(['new-plugin']);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, 'switchyard: new-plugin needs exactly one name (see --help)\n');
    const bad = await cli(['new-plugin', 'Bad_Name']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^switchyard: plugin name "Bad_Name" must be 2-32 lower-case letters/);
  });

  test('exits 1 with exactly one line naming a bad variable', async () => {
    const run = await cli(['serve'], { env: { PORT: '99999' } });
    assert.equal(run.code, 1);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.ok(lines[0]!.startsWith('switchyard: PORT: '), lines[0]);
    assert.match(lines[0]!, /whole number from 1 to 65535/);
  });

  test('exits 1 with one line when the data dir is unusable', async () => {
    const run = await cli(['serve'], { env: { HUB_DATA_DIR: '/dev/null/data' } });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^switchyard: data dir \/dev\/null\/data cannot be created/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });
});

describe('switchyard migrate', { concurrency: true }, () => {
  test('applies the migrations once and reports the status', async () => {
    const dataDir = tempDir('switchyard-cli-');
    const env = { HUB_DATA_DIR: dataDir };
    const before = await cli(['migrate', '--status'], { env });
    assert.equal(before.code, 0);
    assert.match(before.stdout, /^0 of (\d+) migrations applied; pending: 0000_platform/);
    const known = Number(/of (\d+) migrations/.exec(before.stdout)![1]);

    const first = await cli(['migrate'], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^applied: 0000_platform/);

    const second = await cli(['migrate'], { env });
    assert.equal(second.stdout, 'database is up to date\n');

    const after = await cli(['migrate', '--status'], { env });
    assert.equal(after.stdout, `${known} of ${known} migrations applied\n`);

    const down = await cli(['migrate', '--down'], { env });
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /^rolled back: \d{4}_\w+\n$/);
    const rolledBack = await cli(['migrate', '--status'], { env });
    assert.match(rolledBack.stdout, new RegExp(`^${known - 1} of ${known} migrations applied; pending: `));
  });
});

describe('switchyard user create', { concurrency: true }, () => {
  test('creates a user with the password read from stdin, and refuses the same email again', async () => {
    const env = { HUB_DATA_DIR: tempDir('switchyard-cli-') };
    const args = ['user', 'create', '--email', 'a@b.co', '--name', 'A', '--role', 'operator'];
    const created = await cli(args, { env, stdin: 'correct-horse-battery-staple\n' });
    assert.equal(created.code, 0, created.stderr);
    const lines = created.stdout.trim().split('\n');
    assert.match(lines[lines.length - 1]!, /^created operator a@b\.co \(id \d+\)$/);
    // A first start in a new data dir makes a key, and says so: the operator must back it up.
    assert.match(created.stdout, /generated a new secret key in the data dir/);

    const again = await cli(args, { env, stdin: 'correct-horse-battery-staple\n' });
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'switchyard: The user could not be saved. email: A user with this email already exists.\n');
  });

  test('refuses a short password with a clear message', async () => {
    const run = await cli(['user', 'create', '--email', 'b@b.co', '--name', 'B'], { stdin: 'short\n' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^switchyard: The user could not be saved; check the highlighted fields\. password: Use at least 12 characters\.\n$/);
  });
});

describe('switchyard serve', { concurrency: true }, () => {
  test('serves /healthz and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawnCli(['serve'], { HUB_DATA_DIR: tempDir('switchyard-cli-'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    const done = finished(child);
    try {
      // The log line says when the server listens; no polling needed.
      await new Promise<void>((resolve, reject) => {
        let seen = '';
        const onData = (d: Buffer) => {
          seen += d.toString();
          if (seen.includes('switchyard listening')) {
            child.stdout!.off('data', onData);
            resolve();
          }
        };
        child.stdout!.on('data', onData);
        child.once('close', (code) => reject(new Error(`serve exited with ${code} before listening`)));
      });
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      assert.equal(ready.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    const run = await done;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /"msg":"signal received"/);
    assert.match(run.stdout, /"msg":"stopped"/);
  });

  test('exits 1 with one line when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as net.AddressInfo;
      const run = await cli(['serve'], { env: { PORT: String(port), HOST: '127.0.0.1' } });
      assert.equal(run.code, 1);
      assert.equal(run.stderr, `switchyard: PORT: 127.0.0.1:${port} is already in use; stop the other process or set PORT to a free port\n`);
    } finally {
      blocker.close();
    }
  });
});

describe('switchyard new-plugin', () => {
  test('scaffolds a plugin into the project it runs from and lists the files it wrote', async () => {
    // A copy: other test files start hubs that load whatever is in the real src/plugins.
    const root = copyProject();
    const run = await cli(['new-plugin', 'zz-cli'], { root });
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines[0], 'created plugin zz-cli:');
    assert.equal(lines.length, 8);
    assert.equal(lines[7], 'It appears in the menu on the next start.');
    for (const rel of lines.slice(1, 7).map((l) => l.trim())) assert.ok(fs.existsSync(path.join(root, rel)), rel);
    assert.equal(fs.existsSync(path.join(projectRoot, 'src', 'plugins', 'zz-cli')), false, 'the real project is untouched');
  });

});
