import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';

export const NOT_AN_ADF_DOCUMENT = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';

/** Compiling Atlassian's schema takes ~350 ms, so every simulator in the process shares one validator. */
let compiled: ValidateFunction | undefined;

const validator = (): ValidateFunction => {
  if (compiled) return compiled;
  const pkg = createRequire(import.meta.url).resolve('@atlaskit/adf-schema/package.json');
  const schema = JSON.parse(fs.readFileSync(path.join(path.dirname(pkg), 'dist/json-schema/v1/full.json'), 'utf8')) as object;
  // ajv-draft-04 is CommonJS; under NodeNext its class is reached through `default`.
  compiled = new Ajv.default({ strict: false, allErrors: false }).compile(schema);
  return compiled;
};

/**
 * The schema's anyOf branches report many errors; the deepest concrete one
 * (not the anyOf summary) points closest to what is wrong.
 */
const mostSpecific = (errors: ErrorObject[]): ErrorObject | undefined =>
  errors.filter((e) => e.keyword !== 'anyOf').sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0] ?? errors[0];

/** Undefined when `value` is a valid ADF document, else the message Jira-style clients see for the field. */
export const adfError = (value: unknown): string | undefined => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return NOT_AN_ADF_DOCUMENT;
  const validate = validator();
  if (validate(value)) return undefined;
  const error = mostSpecific(validate.errors ?? []);
  const where = error?.instancePath || '/';
  return `Invalid Atlassian Document at ${where}: ${error?.message ?? 'does not match the ADF schema'}.`;
};
