import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { TestHub } from '../helpers/hub.js';

/* The OpenAPI document as tests read it: its operations, and its schemas as validators for real answers. */

type Json = Record<string, any>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export const documentOf = async (hub: TestHub): Promise<Json> => (await (await hub.app.request('/api/v1/openapi.json')).json()) as Json;

export const operationsOf = (doc: Json): { method: string; path: string; op: Json }[] =>
  Object.entries(doc.paths as Json).flatMap(([path, item]) => METHODS.flatMap((method) => ((item as Json)[method] ? [{ method, path, op: (item as Json)[method] as Json }] : [])));

/** Checks a real answer against the component schema the document names for it, so the document cannot drift from what the API sends. */
export const schemaChecker = (doc: Json) => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addKeyword('example');
  for (const [name, schema] of Object.entries(doc.components.schemas as Json)) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
  return (name: string, value: unknown): void => {
    const validate = ajv.getSchema(`#/components/schemas/${name}`);
    assert.ok(validate, `the document has a schema ${name}`);
    assert.ok(validate(value), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  };
};
