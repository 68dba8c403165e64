import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { projectPath } from '../../../src/paths.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import * as generated from '../../../src/plugins/bqe/provider-validator.generated.js';
import { compileProviderSchema, GENERATED_VALIDATOR_FILE, providerValidatorSource, schemaFingerprint } from '../../../src/plugins/bqe/provider-validator-source.js';

const schema = JSON.parse(fs.readFileSync(projectPath('src', 'plugins', 'bqe', 'provider.schema.json'), 'utf8')) as Record<string, unknown>;
const generatedValidate = generated.validate as unknown as ValidateFunction;
const shipped = JSON.parse(fs.readFileSync(projectPath('src', 'plugins', 'bqe', 'provider.json'), 'utf8')) as Record<string, unknown>;

describe('the generated provider validator', () => {
  test('is what provider.schema.json generates today (run npm run gen:provider-validator after editing the schema)', async () => {
    assert.equal(fs.readFileSync(projectPath(GENERATED_VALIDATOR_FILE), 'utf8'), await providerValidatorSource(schema));
    assert.equal(generated.SCHEMA_FINGERPRINT, schemaFingerprint(schema));
  });

  test('imports Ajv runtime helpers instead of requiring them', async () => {
    const source = await providerValidatorSource(schema);
    assert.doesNotMatch(source, /require\(/);
    assert.match(source, /^import func\d+Module from 'ajv\/dist\/runtime\/ucs2length\.js';$/m);
  });

  test('accepts the shipped file and reports the same errors as Ajv compiling in process', async () => {
    const inProcess = await compileProviderSchema(schema);
    assert.equal(generatedValidate(structuredClone(shipped)), true);
    const bad = structuredClone(shipped) as { api: { paging: { pageSize: number } }; extra?: boolean; title?: unknown };
    bad.api.paging.pageSize = 5000;
    bad.extra = true;
    delete bad.title;
    assert.equal(generatedValidate(bad), false);
    assert.equal(inProcess(bad), false);
    assert.deepEqual(generatedValidate.errors, inProcess.errors);
    assert.equal(generatedValidate.errors!.length, 3);
  });

  test('fingerprints by content, so any edit to the schema changes it', () => {
    const edited = structuredClone(schema);
    edited.title = 'edited';
    assert.notEqual(schemaFingerprint(edited), schemaFingerprint(schema));
    assert.equal(schemaFingerprint(structuredClone(schema)), schemaFingerprint(schema));
  });
});
