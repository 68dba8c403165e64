#!/usr/bin/env node
// Regenerates the BQE provider validator from provider.schema.json (run after editing the schema).
// Runs the TypeScript generator through tsx, so it works before a build.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = `
  import fs from 'node:fs';
  import { GENERATED_VALIDATOR_FILE, providerValidatorSource } from './src/plugins/bqe/provider-validator-source.ts';
  const schema = JSON.parse(fs.readFileSync('src/plugins/bqe/provider.schema.json', 'utf8'));
  fs.writeFileSync(GENERATED_VALIDATOR_FILE, await providerValidatorSource(schema));
  console.log('wrote ' + GENERATED_VALIDATOR_FILE);
`;
const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
