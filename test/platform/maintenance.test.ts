import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { describe, test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { parseCrontab } from '../../src/jobs/crontab.js';
import type { JobHelpers } from '../../src/jobs/types.js';
import { systemActor } from '../../src/platform/actor.js';
import { createLogger } from '../../src/platform/logger.js';
import { maintenanceTasks } from '../../src/platform/maintenance.js';
import { startTestHub } from '../helpers/hub.js';

const DAY = 86_400_000;

const setup = async (t: TestContext) => {
  const hub = await startTestHub({ startJobs: false });
  t.after(() => hub.close());
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const { ctx } = hub;
  const maintenance = maintenanceTasks({
    handle: ctx.db,
    clock: hub.clock,
    logger: createLogger({ level: 'info', format: 'json', destination }),
    audit: ctx.audit,
    jobs: ctx.jobs,
    settings: ctx.platformSettings,
    pruneSessions: () => ctx.sessions.prune(),
    pruneLoginFailures: () => ctx.throttle.prune(),
    pruneApiAuth: () => ctx.apiCredentials.prune(),
  });
  const run = async (name: string) => {
    const task = maintenance.tasks[name];
    assert.ok(task, `task ${name} exists`);
    await task({}, {} as JobHelpers);
  };
  return { hub, maintenance, run, lines, sql: ctx.db.sqlite };
};

describe('maintenance tasks', () => {
  test('the crontab is valid and every entry names a maintenance task', async (t) => {
    const { maintenance } = await setup(t);
    const items = parseCrontab(maintenance.crontab);
    assert.deepEqual(items.map((i) => i.task).sort(), Object.keys(maintenance.tasks).sort());
    assert.equal(items.find((i) => i.task === 'maintenance.prune_history')!.fillMs, DAY, 'a missed nightly prune runs after a restart');
  });

  test('the hub registers the maintenance tasks and their cron entries', async (t) => {
    const { hub } = await setup(t);
    assert.deepEqual(hub.ctx.runner.cron.status().map((s) => s.item.task).sort(), ['maintenance.incremental_vacuum', 'maintenance.prune_api_auth', 'maintenance.prune_history', 'maintenance.wal_checkpoint']);
  });

  test('prune_history removes audit rows older than the retention, old job statistics, expired sessions and old login failures', async (t) => {
    const { hub, run, sql, lines } = await setup(t);
    const now = hub.clock.now();
    hub.ctx.domainConfig.update(systemActor, 'platform', { settings: { auditRetentionDays: 30, jobHistoryRetentionDays: 7 } });
    sql.prepare('DELETE FROM audit_log').run();
    const audit = sql.prepare("INSERT INTO audit_log (at, actor_email, action, target_type) VALUES (?, 'a@example.com', ?, 'x')");
    audit.run(now - 31 * DAY, 'old');
    audit.run(now - 29 * DAY, 'recent');
    audit.run(now, 'today');
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const stats = sql.prepare('INSERT INTO job_stats VALUES (?, ?, 1, 0, 0, 1, 1)');
    stats.run('t', day(now - 8 * DAY));
    stats.run('t', day(now - 6 * DAY));
    sql.prepare("INSERT INTO users (email, name, role, password_hash, active, created_at, updated_at) VALUES ('u@example.com', 'U', 'viewer', 'x', 1, 0, 0)").run();
    const userId = sql.prepare('SELECT id FROM users').pluck().get();
    const session = sql.prepare("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) VALUES (?, ?, 'c', 0, ?, 0)");
    session.run('expired', userId, now - 1);
    session.run('valid', userId, now + 3_600_000);
    const failure = sql.prepare('INSERT INTO login_failures (key, count, first_failed_at, last_failed_at) VALUES (?, 3, 0, ?)');
    failure.run('ip:old', now - 16 * 60_000);
    failure.run('ip:recent', now - 60_000);

    await run('maintenance.prune_history');

    assert.deepEqual(sql.prepare("SELECT action FROM audit_log WHERE action IN ('old', 'recent', 'today') ORDER BY id").pluck().all(), ['recent', 'today']);
    assert.deepEqual(sql.prepare('SELECT day FROM job_stats').pluck().all(), [day(now - 6 * DAY)]);
    assert.deepEqual(sql.prepare('SELECT id_hash FROM sessions').pluck().all(), ['valid']);
    assert.deepEqual(sql.prepare('SELECT key FROM login_failures').pluck().all(), ['ip:recent']);
    const logged = lines.find((l) => l.msg === 'history pruned');
    assert.deepEqual([logged?.audit, logged?.jobStats, logged?.sessions, logged?.loginFailures], [1, 1, 1, 1]);
  });

  test('incremental_vacuum returns free pages to the file system', async (t) => {
    const { run, sql, lines } = await setup(t);
    sql.exec('CREATE TABLE filler (x BLOB)');
    const insert = sql.prepare('INSERT INTO filler VALUES (randomblob(4000))');
    sql.transaction(() => {
      for (let i = 0; i < 300; i++) insert.run();
    })();
    sql.exec('DROP TABLE filler');
    const free = sql.pragma('freelist_count', { simple: true }) as number;
    assert.ok(free > 100);
    await run('maintenance.incremental_vacuum');
    assert.equal(sql.pragma('freelist_count', { simple: true }), 0);
    assert.equal(lines.find((l) => l.msg === 'free pages returned to the file system')?.pages, free);
    lines.length = 0;
    await run('maintenance.incremental_vacuum');
    assert.deepEqual(lines, [], 'nothing to report when there was nothing to free');
  });

  test('wal_checkpoint runs without error and the -wal file shrinks after writes', async (t) => {
    const { hub, run, sql } = await setup(t);
    sql.exec('CREATE TABLE t (x TEXT)');
    const insert = sql.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run('x'.repeat(2000));
    const wal = `${hub.ctx.db.file}-wal`;
    const before = fs.statSync(wal).size;
    assert.ok(before > 100_000);
    await run('maintenance.wal_checkpoint');
    assert.ok(fs.statSync(wal).size < before);
    assert.equal(fs.statSync(wal).size, 0);
  });

  test('wal_checkpoint warns when a reader keeps it from finishing', async (t) => {
    const { hub, run, sql, lines } = await setup(t);
    sql.exec('CREATE TABLE t (x TEXT)');
    sql.prepare('INSERT INTO t VALUES (?)').run('x');
    const reader = new Database(hub.ctx.db.file, { readonly: true });
    t.after(() => reader.close());
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').get();
    sql.prepare('INSERT INTO t VALUES (?)').run('y');
    // The checkpoint would otherwise wait the full busy timeout for the reader.
    sql.pragma('busy_timeout = 10');
    await run('maintenance.wal_checkpoint');
    sql.pragma('busy_timeout = 5000');
    reader.exec('COMMIT');
    const warning = lines.find((l) => l.msg === 'WAL checkpoint could not finish; readers were busy');
    assert.ok(warning, 'a warning was logged');
    assert.equal(warning.busy, 1);
  });
});
