import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { createAppContext } from '../src/app-context.js';
import { loadConfig } from '../src/config.js';
import { AppError } from '../src/errors.js';
import { systemActor } from '../src/platform/actor.js';
import { ManualClock } from '../src/platform/clock.js';
import { createLogger } from '../src/platform/logger.js';
import { startTestHub, TEST_PASSWORD, TEST_SCRYPT, tempDir } from './helpers/hub.js';

/** Builds a context the way `serve` does, with the log lines captured as parsed JSON. */
const start = async (dataDir: string, env: Record<string, string> = {}) => {
  const lines: { msg: string; level: number }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { msg: string; level: number });
      done();
    },
  });
  const logger = createLogger({ level: 'info', format: 'json', destination });
  const config = loadConfig({ HUB_DATA_DIR: dataDir, ...env }, false);
  const ctx = await createAppContext(config, logger, { clock: new ManualClock(), pluginsDir: tempDir(), scrypt: TEST_SCRYPT, sleep: async () => undefined });
  return { ctx, messages: () => lines.map((l) => l.msg) };
};

describe('createAppContext', () => {
  test('logs every raised alert, critical ones as errors', async () => {
    const { ctx, messages } = await start(tempDir());
    try {
      ctx.events.emit('alert.raised', { source: 'test', severity: 'critical', title: 'Jira refused the credentials', message: '401' });
      ctx.events.emit('alert.raised', { source: 'test', severity: 'warning', title: 'A rule was turned off', message: 'invalid' });
      assert.equal(messages().filter((m) => m === 'alert raised').length, 2);
    } finally {
      ctx.close();
    }
  });

  test('prepares a new data dir: migrations, a generated key, the platform settings and readiness', async () => {
    const { ctx, messages } = await start(tempDir());
    try {
      assert.ok(messages().includes('migrations applied'));
      assert.ok(messages().includes('generated a new secret key in the data dir; back it up with the database'));
      const platform = ctx.platformSettings();
      assert.equal(platform.instanceName, 'Switchyard');
      assert.equal(platform.sessionHours, 12);
      const { checks } = ctx.readiness.run();
      assert.equal(checks.database, 'ok');
      assert.equal(checks.migrations, 'ok');
      assert.equal(ctx.users.needsSetup(), true);
    } finally {
      ctx.close();
    }
  });

  test('re-opens an existing data dir quietly, with the same key', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const sealed = first.ctx.secrets.encrypt('kept across restarts');
    first.ctx.close();
    const second = await start(dataDir);
    try {
      assert.ok(!second.messages().includes('migrations applied'));
      assert.ok(!second.messages().some((m) => m.startsWith('generated a new secret key')));
      assert.equal(second.ctx.secrets.decrypt(sealed), 'kept across restarts');
    } finally {
      second.ctx.close();
    }
  });

  test('creates the bootstrap admin from the environment on the first start only', async () => {
    const dataDir = tempDir();
    const env = { HUB_ADMIN_EMAIL: 'Boot@Example.com', HUB_ADMIN_PASSWORD: TEST_PASSWORD };
    const first = await start(dataDir, env);
    const admin = await first.ctx.users.authenticate('boot@example.com', TEST_PASSWORD, '127.0.0.1');
    assert.equal(admin.role, 'admin');
    first.ctx.close();

    const second = await start(dataDir, { HUB_ADMIN_EMAIL: 'boot@example.com', HUB_ADMIN_PASSWORD: 'a-different-password' });
    try {
      assert.equal(second.ctx.users.list(systemActor).length, 1);
      await second.ctx.users.authenticate('boot@example.com', TEST_PASSWORD, '127.0.0.1');
    } finally {
      second.ctx.close();
    }
  });

  test('gives sessions the lifetime the platform settings say, as soon as they change', async () => {
    const hub = await startTestHub();
    try {
      const user = await hub.ctx.users.create(systemActor, { email: 'ann@example.com', name: 'Ann', role: 'viewer', password: TEST_PASSWORD });
      assert.equal(hub.ctx.sessions.start(user.id, { ip: null, userAgent: null }).expiresAt, hub.clock.now() + 12 * 3_600_000);
      hub.ctx.domainConfig.update(systemActor, 'platform', { settings: { sessionHours: '2' } });
      assert.equal(hub.ctx.sessions.start(user.id, { ip: null, userAgent: null }).expiresAt, hub.clock.now() + 2 * 3_600_000);
    } finally {
      await hub.close();
    }
  });

  test('throttles sign-ins with the thresholds the platform settings say', async () => {
    const hub = await startTestHub();
    try {
      await hub.ctx.users.create(systemActor, { email: 'ann@example.com', name: 'Ann', role: 'viewer', password: TEST_PASSWORD });
      hub.ctx.domainConfig.update(systemActor, 'platform', { settings: { loginSlowdownAfter: '1', loginLockoutAfter: '2', loginLockoutMinutes: '1' } });
      for (let i = 0; i < 2; i++) await assert.rejects(hub.ctx.users.authenticate('ann@example.com', 'wrong-password-1', '10.0.0.1'), (err: unknown) => err instanceof AppError && err.status === 401);
      await assert.rejects(hub.ctx.users.authenticate('ann@example.com', TEST_PASSWORD, '10.0.0.1'), (err: unknown) => err instanceof AppError && err.status === 429);
      hub.clock.advance(60_001);
      await hub.ctx.users.authenticate('ann@example.com', TEST_PASSWORD, '10.0.0.1');
    } finally {
      await hub.close();
    }
  });
});
