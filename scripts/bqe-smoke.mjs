#!/usr/bin/env node
// npm run bqe:smoke: OAuth, a full sync, changes in BQE, a delta sync and a full re-sync against the BQE
// simulator, driven through the built hub's own pages (dist/). Writes reports/bqe-smoke-<time>.json and .md
// (and the hub's log beside them), prints a summary, and exits 0 when every check passed, 1 otherwise.
// --reports-dir <dir> writes elsewhere.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { 'reports-dir': { type: 'string', default: path.join(ROOT, 'reports') } } });
const { runBqeSmoke } = await import(pathToFileURL(path.join(ROOT, 'dist', 'smoke', 'bqe', 'run-smoke.js')).href);

try {
  const { passed } = await runBqeSmoke({ reportsDir: path.resolve(values['reports-dir']), print: (line) => console.log(line) });
  process.exit(passed ? 0 : 1);
} catch (err) {
  console.error(`bqe smoke could not run: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
