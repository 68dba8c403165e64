import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectPath } from '../../src/paths.js';

/**
 * Runs a fresh Node (this runner's young generation has long grown) that holds growth, allocates a
 * burst of short-lived objects like module compiling does, releases, and allocates again; it prints
 * the young generation's size in MiB after each burst.
 */
const youngSizes = (execArgv: string[] = []): { held: number; released: number } => {
  const script = `
    import v8 from 'node:v8';
    const { holdYoungGenerationGrowth } = await import(${JSON.stringify(pathToFileURL(projectPath('src', 'platform', 'young-generation.ts')).href)});
    const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    const burst = () => { let keep = []; for (let i = 0; i < 400000; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20000) keep = []; } };
    const release = holdYoungGenerationGrowth();
    burst();
    const held = young();
    release();
    burst(); burst();
    console.log(JSON.stringify({ held, released: young() }));
  `;
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_TEST_CONTEXT'));
  const run = spawnSync(process.execPath, [...execArgv, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: base });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as { held: number; released: number };
};

test('holds the young generation at its start size through a start-up burst, and lets it grow once released', () => {
  const sizes = youngSizes();
  // Left to grow, the same bursts take it to V8's 32 MiB maximum.
  assert.ok(sizes.held < 8, `held at ${sizes.held} MiB`);
  assert.ok(sizes.released >= 16, `released to only ${sizes.released} MiB`);
});

test('leaves a growth factor the operator set alone', () => {
  const sizes = youngSizes(['--semi-space-growth-factor=4']);
  assert.ok(sizes.held >= 16, `held at ${sizes.held} MiB although the operator asked for fast growth`);
});
