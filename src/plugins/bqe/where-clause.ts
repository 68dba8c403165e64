import { AppError } from '../../errors.js';
import { isNaiveTimestamp, NAIVE_FORMAT } from './bqe-time.js';
import type { FieldType } from './provider.js';

/**
 * The only way a BQE `where` string is made. Predicates are checked and encoded when they are built, so
 * a value that cannot be written safely (a quote in a GUID, a control character, 2025-02-30, NaN) fails
 * where it enters, with the field and the reason, and never reaches a URL.
 * Syntax (contract §4): `field op value`, strings and GUIDs and dates single-quoted with `'` doubled,
 * numbers and enums bare, `is null` / `is not null`, lowercase `and` / `or`, parentheses for mixed groups.
 */

/**
 * Longest text value accepted. BQE's longest known text key (project code) is 65 characters and BQE
 * warns that long `where` expressions can time out, so anything longer is a mistake rather than a filter.
 */
export const MAX_STRING_VALUE_LENGTH = 255;

/** Most values in one `in (…)` list, for the same reason: long expressions can time out upstream. */
export const MAX_IN_VALUES = 100;

export class WhereClauseError extends AppError {
  readonly field: string | undefined;

  constructor(reason: string, field?: string) {
    const message = field === undefined ? `Cannot build the BQE filter: ${reason}.` : `Cannot filter BQE on "${field}": ${reason}.`;
    super(422, 'bqe_where_unsafe', message, { details: field === undefined ? { reason } : { field, reason } });
    this.name = 'WhereClauseError';
    this.field = field;
  }
}

declare const predicateBrand: unique symbol;

/** A checked, encoded condition; only a builder makes one and only `render` reads it. */
export interface Predicate {
  readonly [predicateBrand]: 'BqeWherePredicate';
}

type GroupOperator = 'and' | 'or';
interface Encoded {
  text: string;
  /** Set for a group of two or more children, so a parent with the other operator knows to add parentheses. */
  group?: GroupOperator;
}

const encodedByPredicate = new WeakMap<Predicate, Encoded>();

const predicate = (encoded: Encoded): Predicate => {
  const p = Object.freeze({}) as Predicate;
  encodedByPredicate.set(p, encoded);
  return p;
};

const read = (p: unknown): Encoded => {
  const encoded = typeof p === 'object' && p !== null ? encodedByPredicate.get(p as Predicate) : undefined;
  if (encoded === undefined) throw new WhereClauseError('a condition was given that was not made by the where-clause builder');
  return encoded;
};

/** The TypeScript value type of a field type; for a field map that is not a literal this is the union. */
export type WhereValue<T extends FieldType = FieldType> = T extends 'integer' | 'number' | 'enum' ? number : T extends 'boolean' ? boolean : string;

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAIVE_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udfff]/u;

const TYPE_NAMES: Record<FieldType, string> = {
  guid: 'a GUID',
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  enum: 'an enum number',
  datetime: 'a date and time',
  boolean: 'a true/false value',
};

const shown = (value: unknown): string => {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value !== 'string') return typeof value;
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
};

const codePoint = (text: string): string => {
  const ch = CONTROL.exec(text)?.[0] ?? '';
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
};

const quoted = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Refusals shared by every string that is not free text: quotes and control characters are never part of one. */
const refuseUnsafeCharacters = (field: string, type: FieldType, value: string): void => {
  if (value.includes("'")) throw new WhereClauseError(`the value ${shown(value)} contains a quote ('), which is never part of ${TYPE_NAMES[type]}`, field);
  if (CONTROL.test(value)) throw new WhereClauseError(`the value ${shown(value)} contains the control character ${codePoint(value)}, which is never part of ${TYPE_NAMES[type]}`, field);
};

const encodeNumber = (field: string, type: FieldType, value: unknown): string => {
  if (typeof value === 'string') {
    refuseUnsafeCharacters(field, type, value);
    throw new WhereClauseError(`the value ${shown(value)} is text, but the field holds ${TYPE_NAMES[type]}`, field);
  }
  if (typeof value !== 'number') throw new WhereClauseError(`a ${shown(value)} was given, but the field holds ${TYPE_NAMES[type]}`, field);
  if (Number.isNaN(value)) throw new WhereClauseError('the value is NaN (not a number)', field);
  if (!Number.isFinite(value)) throw new WhereClauseError(`the value ${shown(value)} is not a finite number`, field);
  if (type !== 'number' && !Number.isSafeInteger(value)) throw new WhereClauseError(`the value ${shown(value)} is not a whole number, but the field holds ${TYPE_NAMES[type]}`, field);
  const text = String(value);
  // BQE's number syntax is not documented; exponent notation (1e+21, 1e-7) is not risked.
  if (/e/i.test(text)) throw new WhereClauseError(`the value ${text} is too large or too small to write without an exponent`, field);
  return text;
};

const encodeValue = (field: string, type: FieldType, value: unknown): string => {
  if (value === null || value === undefined) throw new WhereClauseError('no value was given; use isNull or isNotNull to test for a missing value', field);
  switch (type) {
    case 'integer':
    case 'number':
    case 'enum':
      return encodeNumber(field, type, value);
    case 'boolean':
      if (typeof value === 'string') refuseUnsafeCharacters(field, type, value);
      if (typeof value !== 'boolean') throw new WhereClauseError(`the value ${shown(value)} is not true or false`, field);
      return value ? 'true' : 'false';
    case 'guid':
      if (typeof value !== 'string') throw new WhereClauseError(`a ${typeof value} was given, but the field holds a GUID`, field);
      refuseUnsafeCharacters(field, type, value);
      if (!GUID.test(value)) throw new WhereClauseError(`the value ${shown(value)} is not a GUID (expected 8-4-4-4-12 hexadecimal digits)`, field);
      return quoted(value);
    case 'datetime':
      if (typeof value !== 'string') throw new WhereClauseError(`a ${typeof value} was given, but the field holds a date and time written ${NAIVE_FORMAT}`, field);
      refuseUnsafeCharacters(field, type, value);
      if (!NAIVE_SHAPE.test(value)) throw new WhereClauseError(`the value ${shown(value)} is not written ${NAIVE_FORMAT} (BQE local time, no fraction of a second or time zone)`, field);
      if (!isNaiveTimestamp(value)) throw new WhereClauseError(`the value ${shown(value)} is not a real calendar date and time`, field);
      return quoted(value);
    case 'string':
      if (typeof value !== 'string') throw new WhereClauseError(`a ${typeof value} was given, but the field holds text`, field);
      if (CONTROL.test(value)) throw new WhereClauseError(`the text ${shown(value)} contains the control character ${codePoint(value)}, which cannot be sent in a filter`, field);
      if (LONE_SURROGATE.test(value)) throw new WhereClauseError(`the text ${shown(value)} contains a broken Unicode character, which cannot be sent in a filter`, field);
      if (value.length > MAX_STRING_VALUE_LENGTH) throw new WhereClauseError(`the text is ${value.length} characters long; at most ${MAX_STRING_VALUE_LENGTH} are accepted`, field);
      return quoted(value);
  }
};

/**
 * A builder for one object's fields (provider metadata `objects.<name>.fields`). With a literal field map
 * the field names and value types are checked by TypeScript too; the runtime checks apply either way.
 */
export const whereBuilder = <F extends Record<string, FieldType>>(fields: F) => {
  type Name = keyof F & string;
  type TextName = { [K in Name]: 'string' extends F[K] ? K : never }[Name];

  for (const name of Object.keys(fields)) {
    if (!FIELD_NAME.test(name)) throw new WhereClauseError('the field name is not a plain identifier, so it cannot be written into a filter', name);
  }

  const typeOf = (field: unknown): FieldType => {
    const name = typeof field === 'string' ? field : String(field);
    if (typeof field !== 'string' || !Object.hasOwn(fields, field)) {
      throw new WhereClauseError(`it is not a field of this object (known fields: ${Object.keys(fields).join(', ')})`, name);
    }
    return fields[field] as FieldType;
  };

  const compare = (field: string, op: string, value: unknown): Predicate => {
    const type = typeOf(field);
    if (type === 'boolean' && op !== '=' && op !== '!=') throw new WhereClauseError(`"${op}" does not apply to a true/false field; use eq or ne`, field);
    return predicate({ text: `${field} ${op} ${encodeValue(field, type, value)}` });
  };

  const group = (op: GroupOperator, children: readonly Predicate[]): Predicate => {
    if (children.length === 0) throw new WhereClauseError(`"${op}" needs at least one condition`);
    const encoded = children.map(read);
    if (encoded.length === 1) return children[0] as Predicate;
    const text = encoded.map((c) => (c.group !== undefined && c.group !== op ? `(${c.text})` : c.text)).join(` ${op} `);
    return predicate({ text, group: op });
  };

  const inList = <K extends Name>(field: K, values: readonly WhereValue<F[K]>[]): Predicate => {
    const type = typeOf(field);
    if (!Array.isArray(values)) throw new WhereClauseError('"in" needs a list of values', field);
    if (values.length === 0) throw new WhereClauseError('"in" needs at least one value', field);
    if (values.length > MAX_IN_VALUES) throw new WhereClauseError(`"in" was given ${values.length} values; at most ${MAX_IN_VALUES} are accepted`, field);
    return predicate({ text: `${field} in (${values.map((v) => encodeValue(field, type, v)).join(', ')})` });
  };

  return {
    eq: <K extends Name>(field: K, value: WhereValue<F[K]>) => compare(field, '=', value),
    ne: <K extends Name>(field: K, value: WhereValue<F[K]>) => compare(field, '!=', value),
    lt: <K extends Name>(field: K, value: WhereValue<F[K]>) => compare(field, '<', value),
    lte: <K extends Name>(field: K, value: WhereValue<F[K]>) => compare(field, '<=', value),
    gt: <K extends Name>(field: K, value: WhereValue<F[K]>) => compare(field, '>', value),
    gte: <K extends Name>(field: K, value: WhereValue<F[K]>) => compare(field, '>=', value),
    /** BQE's wildcard syntax is not documented; the pattern is sent as given, escaped like any text. */
    like: <K extends TextName>(field: K, pattern: string) => {
      const type = typeOf(field);
      if (type !== 'string') throw new WhereClauseError(`"like" only applies to text fields, and this field holds ${TYPE_NAMES[type]}`, field);
      return compare(field, 'like', pattern);
    },
    in: inList,
    isNull: (field: Name): Predicate => {
      typeOf(field);
      return predicate({ text: `${field} is null` });
    },
    isNotNull: (field: Name): Predicate => {
      typeOf(field);
      return predicate({ text: `${field} is not null` });
    },
    and: (...children: Predicate[]) => group('and', children),
    or: (...children: Predicate[]) => group('or', children),
    render: (p: Predicate): string => read(p).text,
  };
};

export type WhereBuilder<F extends Record<string, FieldType> = Record<string, FieldType>> = ReturnType<typeof whereBuilder<F>>;
