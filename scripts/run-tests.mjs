#!/usr/bin/env node
// Runs the node:test suites: `unit` (everything under test/ except test/e2e, with line coverage of src/)
// or `e2e` (browser tests, one file at a time). Node 20's --test takes no globs, so files are listed here.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const suite = process.argv[2] ?? 'unit';
const extra = process.argv.slice(3);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const find = (dir) =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
        const full = path.join(dir, d.name);
        if (d.isDirectory()) return suite === 'unit' && full === path.join(root, 'test', 'e2e') ? [] : find(full);
        return d.name.endsWith('.test.ts') ? [path.relative(root, full)] : [];
      })
    : [];

const files = (suite === 'e2e' ? find(path.join(root, 'test', 'e2e')) : find(path.join(root, 'test'))).sort();
if (files.length === 0) {
  console.error(`no ${suite} test files found`);
  process.exit(1);
}

// A file whose tests are done but which left a socket or timer open would otherwise keep the run waiting for ever.
// (--test-timeout is no help here: in Node 20 it limits each whole file, not each test.)
const nodeArgs = ['--enable-source-maps', '--import', 'tsx', '--test', '--test-reporter', 'spec', '--test-force-exit'];
// Unit files mostly wait on sockets, child processes and timers, so two at a time keep both cores busy; browser tests run alone.
nodeArgs.push('--test-concurrency', suite === 'e2e' ? '1' : '2');
const command =
  suite === 'unit'
    ? ['npx', ['c8', '--include', 'src/**', '--reporter', 'text-summary', '--reporter', 'text', '--check-coverage', '--lines', '85', 'node', ...nodeArgs, ...extra, ...files]]
    : ['node', [...nodeArgs, ...extra, ...files]];

// The whole run has a ceiling, so a test that never settles is reported in minutes rather than at CI's own limit.
const limitMinutes = Number(process.env.TEST_RUN_LIMIT_MINUTES || 20);
// Its own process group, so a stop ends the test files it started as well.
const child = spawn(command[0], command[1], { cwd: root, stdio: 'inherit', detached: true, env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' } });
const stopGroup = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group has already ended
  }
};
const ceiling = setTimeout(() => {
  console.error(`\n${suite} tests still running after ${limitMinutes} min: stopping them (TEST_RUN_LIMIT_MINUTES sets the limit)`);
  stopGroup('SIGKILL');
}, limitMinutes * 60_000);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopGroup(signal));
child.on('exit', (code, signal) => {
  clearTimeout(ceiling);
  process.exit(code ?? (signal ? 1 : 0));
});
