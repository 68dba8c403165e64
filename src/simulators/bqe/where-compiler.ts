import { NAIVE_EXAMPLE, naiveToUtc, parseNaive } from './bqe-time.js';
import type { FieldDef, FieldType, ResourceCatalog } from './field-catalog.js';
import { GUID_PATTERN } from './seeded-random.js';
import { WhereError } from './where-lexer.js';
import { parseWhere, type CompareOp, type FieldRef, type Literal, type WhereNode } from './where-parser.js';

/**
 * Checks a parsed `where` against a resource's fields and turns it into a
 * predicate. Datetime literals are read in the request's X-UTC-OFFSET, the
 * same offset records are rendered in. Comparisons with a null value are
 * false (SQL semantics); only `is null` matches it.
 */
export type RecordPredicate<R> = (record: R) => boolean;

type Comparable = string | number;

const ORDERED_OPS: readonly CompareOp[] = ['<', '<=', '>', '>='];

const OPS_BY_TYPE: Record<Exclude<FieldType, 'list'>, readonly CompareOp[]> = {
  guid: ['=', '!='],
  string: ['=', '!=', ...ORDERED_OPS, 'like'],
  integer: ['=', '!=', ...ORDERED_OPS],
  number: ['=', '!=', ...ORDERED_OPS],
  datetime: ['=', '!=', ...ORDERED_OPS],
  date: ['=', '!=', ...ORDERED_OPS],
};

const EXPECTED: Record<Exclude<FieldType, 'list'>, string> = {
  guid: "a quoted GUID such as '21134e3a-ba25-4614-84c3-0d42b9012448'",
  string: "a quoted string such as 'Riverside'",
  integer: 'a number such as 0 (enums take their numeric value)',
  number: 'a number such as 1500.5',
  datetime: `a quoted date-time such as '${NAIVE_EXAMPLE}'`,
  date: `a quoted date-time such as '${NAIVE_EXAMPLE}'`,
};

const resolveField = <R>(catalog: ResourceCatalog<R>, ref: FieldRef): FieldDef<R> & { type: Exclude<FieldType, 'list'> } => {
  const def = catalog.byName.get(ref.name);
  if (!def) {
    const near = catalog.fields.find((f) => f.name.toLowerCase() === ref.name.toLowerCase());
    throw new WhereError(`unknown field "${ref.name}" on ${catalog.resource}${near ? ` (did you mean "${near.name}"?)` : ''}`, ref.position);
  }
  if (def.type === 'list') throw new WhereError(`field "${def.name}" cannot be used in where`, ref.position);
  return def as FieldDef<R> & { type: Exclude<FieldType, 'list'> };
};

/** The literal as the field's comparable value, or a type-mismatch error at the literal. */
const coerce = (type: Exclude<FieldType, 'list'>, field: string, literal: Literal, offsetMinutes: number): Comparable => {
  const mismatch = () => new WhereError(`"${field}" takes ${EXPECTED[type]}`, literal.position);
  if (type === 'integer' || type === 'number') {
    if (literal.kind !== 'number') throw mismatch();
    return literal.value;
  }
  if (literal.kind !== 'string') throw mismatch();
  switch (type) {
    case 'guid':
      if (!GUID_PATTERN.test(literal.value)) throw mismatch();
      return literal.value.toLowerCase();
    case 'string':
      return literal.value.toLowerCase();
    case 'datetime': {
      const ms = naiveToUtc(literal.value, offsetMinutes);
      if (ms === undefined) throw mismatch();
      return ms;
    }
    case 'date': {
      const ms = parseNaive(literal.value);
      if (ms === undefined) throw mismatch();
      return ms;
    }
  }
};

/** A record's value in the same comparable form as coerce gives literals. */
const readValue = <R>(def: FieldDef<R>, record: R): Comparable | null => {
  const raw = def.get(record);
  if (raw === null || Array.isArray(raw)) return null;
  if (def.type === 'date') return parseNaive(raw as string) ?? null;
  return typeof raw === 'string' ? raw.toLowerCase() : (raw as number);
};

const likePattern = (pattern: string): RegExp =>
  new RegExp(`^${[...pattern].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');

const compare = (op: CompareOp, a: Comparable, b: Comparable): boolean => {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case 'like':
      return false;
  }
};

const compile = <R>(node: WhereNode, catalog: ResourceCatalog<R>, offsetMinutes: number): RecordPredicate<R> => {
  switch (node.kind) {
    case 'and': {
      const left = compile(node.left, catalog, offsetMinutes);
      const right = compile(node.right, catalog, offsetMinutes);
      return (r) => left(r) && right(r);
    }
    case 'or': {
      const left = compile(node.left, catalog, offsetMinutes);
      const right = compile(node.right, catalog, offsetMinutes);
      return (r) => left(r) || right(r);
    }
    case 'null': {
      const def = resolveField(catalog, node.field);
      return (r) => (readValue(def, r) === null) !== node.negated;
    }
    case 'in': {
      const def = resolveField(catalog, node.field);
      const values = new Set(node.values.map((v) => coerce(def.type, def.name, v, offsetMinutes)));
      return (r) => {
        const value = readValue(def, r);
        return value !== null && values.has(value);
      };
    }
    case 'compare': {
      const def = resolveField(catalog, node.field);
      if (!OPS_BY_TYPE[def.type].includes(node.op)) {
        throw new WhereError(`operator "${node.op}" does not apply to "${def.name}" (${def.type}); use ${OPS_BY_TYPE[def.type].join(', ')}`, node.field.position);
      }
      const literal = coerce(def.type, def.name, node.value, offsetMinutes);
      if (node.op === 'like') {
        const re = likePattern(literal as string);
        return (r) => {
          const value = readValue(def, r);
          return value !== null && re.test(value as string);
        };
      }
      return (r) => {
        const value = readValue(def, r);
        return value !== null && compare(node.op, value, literal);
      };
    }
  }
};

/** Parses and type-checks `where`; throws a WhereError naming the position of the first problem. */
export const compileWhere = <R>(input: string, catalog: ResourceCatalog<R>, offsetMinutes: number): RecordPredicate<R> =>
  compile(parseWhere(input), catalog, offsetMinutes);
