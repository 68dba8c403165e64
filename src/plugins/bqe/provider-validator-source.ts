import { createHash } from 'node:crypto';
import type { AnySchema, ValidateFunction } from 'ajv/dist/2020.js';

/** The options the shipped validator is compiled with; the in-process fallback uses the same. */
const OPTIONS = { allErrors: true, strict: true } as const;

export const GENERATED_VALIDATOR_FILE = 'src/plugins/bqe/provider-validator.generated.ts';

/** Identifies the schema a generated validator was made from, so a stale one is never used. */
export const schemaFingerprint = (schema: AnySchema): string => createHash('sha256').update(JSON.stringify(schema)).digest('hex');

/** Ajv compiling the schema in process: the slow path, for a schema edited since the validator was generated. Ajv is loaded only here. */
export const compileProviderSchema = async <T>(schema: AnySchema): Promise<ValidateFunction<T>> => {
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  return new Ajv2020(OPTIONS).compile<T>(schema);
};

/**
 * The TypeScript module behind GENERATED_VALIDATOR_FILE: Ajv's standalone code for the schema, so the
 * hub validates provider.json at start without loading Ajv and compiling (about 10 MiB resident).
 * Ajv writes `require()` calls for its small runtime helpers even in ESM output; they become imports.
 */
export const providerValidatorSource = async (schema: AnySchema): Promise<string> => {
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  // A CommonJS module: its exports object is the function, and also carries it as `default`.
  const standaloneCode = (await import('ajv/dist/standalone/index.js')).default.default;
  const ajv = new Ajv2020({ ...OPTIONS, code: { source: true, esm: true } });
  let code = standaloneCode(ajv, ajv.compile(schema));
  const imports: string[] = [];
  code = code.replace(/const (\w+) = require\("([^"]+)"\)\.default;/g, (_match: string, local: string, specifier: string) => {
    imports.push(`import ${local}Module from '${specifier}.js';`);
    return `const ${local} = ${local}Module.default;`;
  });
  if (code.includes('require(')) throw new Error('Ajv wrote a require() this generator does not know how to turn into an import');
  return [
    '// @ts-nocheck',
    '// Generated from provider.schema.json by `npm run gen:provider-validator`; do not edit. provider.ts compares the fingerprint and compiles the schema itself when it differs.',
    ...imports,
    `export const SCHEMA_FINGERPRINT = '${schemaFingerprint(schema)}';`,
    code.replace(/^"use strict";/, ''),
    '',
  ].join('\n');
};
