import { SCOPE_EXTENSION, SCOPES_EXTENSION } from './api-route.js';

/**
 * The OpenAPI document turned into what the API reference page shows:
 * operations grouped by tag, and each schema as a list of fields (nested
 * fields indented), with references resolved. Plain data, so the page is
 * rendered on the server and needs no script.
 */

type Json = Record<string, unknown>;

export interface OutlineField {
  /** Dotted path from the top of the body (conditions[].path). */
  name: string;
  type: string;
  required: boolean;
  description: string;
  /** Allowed values, limits and defaults, in words. */
  constraints: string;
  depth: number;
}

/** Text with `code` spans split out, so the page can mark them without raw HTML. */
export type Segments = { text: string; code: boolean }[];

export interface OutlineOperation {
  id: string;
  anchor: string;
  method: string;
  path: string;
  summary: string;
  description: Segments[];
  scope: string | null;
  scopeDescription: string;
  parameters: (OutlineField & { in: string })[];
  body: OutlineField[] | null;
  bodyName: string | null;
  responses: { status: string; description: string; schema: string | null; fields: OutlineField[] }[];
}

export interface Outline {
  title: string;
  version: string;
  description: Segments;
  schemes: { name: string; description: Segments }[];
  sections: { tag: string; anchor: string; operations: OutlineOperation[] }[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** Deeper nesting is summarised by type only; no schema here goes deeper, and a cycle stops here. */
const MAX_DEPTH = 6;

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const segmentsOf = (text: string): Segments => text.split('`').map((part, i) => ({ text: part, code: i % 2 === 1 })).filter((s) => s.text !== '');
const anchorOf = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export const outlineOf = (document: object): Outline => {
  const doc = document as Json;
  const schemas = obj(obj(doc.components).schemas);
  const refName = (schema: Json): string | null => (typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() ?? null : null);
  const resolve = (schema: Json): Json => {
    const name = refName(schema);
    return name ? obj(schemas[name]) : schema;
  };

  const variants = (schema: Json): Json[] => ((schema.anyOf ?? schema.oneOf) as Json[] | undefined)?.map(obj) ?? [];

  const typeOf = (raw: Json): string => {
    const name = refName(raw);
    const schema = resolve(raw);
    const alternatives = variants(schema);
    if (alternatives.length) return alternatives.map(typeOf).join(' | ');
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === 'string');
    const shown = types.map((t) => (t === 'array' ? `array of ${typeOf(obj(schema.items))}` : t === 'object' && name ? name : t));
    return shown.join(' | ') || name || 'any';
  };

  const constraintsOf = (raw: Json): string => {
    const s = resolve(raw);
    const parts: string[] = [];
    if (Array.isArray(s.enum)) parts.push(`one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`);
    if (typeof s.minimum === 'number') parts.push(`≥ ${s.minimum}`);
    if (typeof s.exclusiveMinimum === 'number') parts.push(`> ${s.exclusiveMinimum}`);
    if (typeof s.maximum === 'number') parts.push(`≤ ${s.maximum}`);
    if (typeof s.minItems === 'number') parts.push(`at least ${s.minItems} items`);
    if (typeof s.maxItems === 'number') parts.push(`at most ${s.maxItems} items`);
    if (typeof s.maxLength === 'number') parts.push(`at most ${s.maxLength} characters`);
    if (typeof s.pattern === 'string') parts.push(`matches ${s.pattern}`);
    if ('default' in s) parts.push(`default ${JSON.stringify(s.default)}`);
    return parts.join('; ');
  };

  /** The fields inside a schema: its properties, an array's item properties, each alternative's properties. */
  const fieldsOf = (raw: Json, prefix: string, depth: number, seen: Set<string>): OutlineField[] => {
    const name = refName(raw);
    if (depth > MAX_DEPTH || (name && seen.has(name))) return [];
    const inner = name ? new Set([...seen, name]) : seen;
    const schema = resolve(raw);
    if (variants(schema).length) return variants(schema).flatMap((v) => fieldsOf(v, prefix, depth, inner));
    if (Array.isArray(schema.type) ? schema.type.includes('array') : schema.type === 'array') return fieldsOf(obj(schema.items), `${prefix}[]`, depth, inner);
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    return Object.entries(obj(schema.properties)).flatMap(([key, value]) => {
      const property = obj(value);
      const path = prefix ? `${prefix}.${key}` : key;
      const row: OutlineField = {
        name: path,
        type: typeOf(property),
        required: required.has(key),
        description: str(property.description) || str(resolve(property).description),
        constraints: constraintsOf(property),
        depth,
      };
      return [row, ...fieldsOf(property, path, depth + 1, inner)];
    });
  };

  const jsonSchemaOf = (content: unknown): Json | undefined => {
    const media = obj(obj(content)['application/json']);
    return media.schema === undefined ? undefined : obj(media.schema);
  };

  const operationOf = (method: string, path: string, op: Json): OutlineOperation => {
    const body = jsonSchemaOf(obj(op.requestBody).content);
    const scope = op[SCOPE_EXTENSION];
    return {
      id: str(op.operationId),
      anchor: `op-${anchorOf(str(op.operationId))}`,
      method: method.toUpperCase(),
      path,
      summary: str(op.summary),
      description: str(op.description).split(/\n{2,}/).filter(Boolean).map(segmentsOf),
      scope: typeof scope === 'string' ? scope : null,
      scopeDescription: typeof scope === 'string' ? str(obj(doc[SCOPES_EXTENSION])[scope]) : 'Any valid credential may call it.',
      parameters: ((op.parameters as Json[] | undefined) ?? []).map((raw) => {
        const p = obj(raw);
        const schema = obj(p.schema);
        return { name: str(p.name), in: str(p.in), type: typeOf(schema), required: p.required === true, description: str(p.description), constraints: constraintsOf(schema), depth: 0 };
      }),
      body: body ? fieldsOf(body, '', 0, new Set()) : null,
      bodyName: body ? typeOf(body) : null,
      responses: Object.entries(obj(op.responses)).map(([status, raw]) => {
        const response = obj(raw);
        const schema = jsonSchemaOf(response.content);
        const ok = status.startsWith('2');
        return { status, description: str(response.description), schema: schema ? typeOf(schema) : null, fields: schema && ok ? fieldsOf(schema, '', 0, new Set()) : [] };
      }),
    };
  };

  const sections = new Map<string, OutlineOperation[]>();
  for (const [path, item] of Object.entries(obj(doc.paths))) {
    for (const method of METHODS) {
      const op = obj(obj(item)[method]);
      if (!op.operationId) continue;
      const tag = str((op.tags as unknown[] | undefined)?.[0]) || 'Other';
      sections.set(tag, [...(sections.get(tag) ?? []), operationOf(method, path, op)]);
    }
  }

  const info = obj(doc.info);
  return {
    title: str(info.title),
    version: str(info.version),
    description: segmentsOf(str(info.description)),
    schemes: Object.entries(obj(obj(doc.components).securitySchemes)).map(([name, raw]) => ({ name, description: segmentsOf(str(obj(raw).description)) })),
    sections: [...sections].map(([tag, operations]) => ({ tag, anchor: `tag-${anchorOf(tag)}`, operations })),
  };
};
