import type { Condition, Operator } from './rule-types.js';

export type ConditionValue = Condition['value'];

/** A test with its comparison value prepared once (a pattern compiled, a date parsed), run per event. */
export type ValueTest = (actualValues: unknown[]) => boolean;

export interface OperatorDef {
  /** Reads as a phrase after the path in the UI and in decision reasons: "$.department.name is one of …". */
  label: string;
  needsValue: boolean;
  /** Why the comparison value cannot be used with this operator, or null when it can. */
  valueError(expected: ConditionValue): string | null;
  compile(expected: ConditionValue): ValueTest;
  test(actualValues: unknown[], expected: ConditionValue): boolean;
}

/** Longer patterns are refused: a rule's regex runs on every event, and length bounds the damage a bad one can do. */
export const MAX_PATTERN_LENGTH = 500;

type Scalar = string | number | boolean;

const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const numeric = (v: unknown): number | undefined => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

const isoDate = (v: unknown): number | undefined => {
  if (typeof v !== 'string' || !ISO_DATE.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * Equality as an admin means it: text compares exactly, but a number equals
 * the same number written as text (forms send "10", payloads carry 10), and a
 * boolean equals "true"/"false". Objects and null never equal a value.
 */
export const looseEquals = (actual: unknown, expected: unknown): boolean => {
  if (!isScalar(actual) || !isScalar(expected)) return false;
  if (typeof actual === 'number' || typeof expected === 'number') {
    const a = numeric(actual);
    const e = numeric(expected);
    return a !== undefined && a === e;
  }
  return String(actual) === String(expected);
};

const present = (v: unknown): boolean => v !== null && v !== undefined;

const list = (expected: ConditionValue): Scalar[] => (Array.isArray(expected) ? expected : expected === undefined ? [] : [expected]);

const missingValue = (expected: ConditionValue): boolean => expected === undefined || expected === null || expected === '' || (Array.isArray(expected) && expected.length === 0);

const oneValueError = (expected: ConditionValue): string | null => {
  if (missingValue(expected)) return 'Enter a value to compare with.';
  if (Array.isArray(expected)) return 'Enter one value; use "is one of" to compare with a list.';
  return null;
};

const listError = (expected: ConditionValue): string | null => {
  if (missingValue(expected)) return 'Enter at least one value.';
  if (!Array.isArray(expected)) return 'Enter a list of values.';
  return null;
};

const patternError = (expected: ConditionValue): string | null => {
  if (missingValue(expected)) return 'Enter a regular expression.';
  if (typeof expected !== 'string') return 'Enter the pattern as text.';
  if (expected.length > MAX_PATTERN_LENGTH) return `Use a pattern of at most ${MAX_PATTERN_LENGTH} characters.`;
  try {
    new RegExp(expected);
    return null;
  } catch (err) {
    return `This is not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}.`;
  }
};

/** gt/lt compare numbers, or dates when the comparison value is a date, so "hired after 2024-01-01" works. */
const orderingKey = (expected: ConditionValue): ((v: unknown) => number | undefined) | undefined => {
  if (numeric(expected) !== undefined) return numeric;
  if (isoDate(expected) !== undefined) return isoDate;
  return undefined;
};

const orderingError = (expected: ConditionValue): string | null => {
  if (missingValue(expected)) return 'Enter a number or a date to compare with.';
  if (!orderingKey(expected)) return 'Enter a number, or a date as YYYY-MM-DD (or a full ISO date and time).';
  return null;
};

const ordering = (compare: (a: number, e: number) => boolean) => (expected: ConditionValue): ValueTest => {
  const key = orderingKey(expected);
  if (!key) return () => false;
  const e = key(expected) as number;
  return (actual) =>
    actual.some((v) => {
      const a = key(v);
      return a !== undefined && compare(a, e);
    });
};

const contains = (expected: ConditionValue): ValueTest => {
  const needle = String(expected).toLowerCase();
  return (actual) => actual.some((v) => (typeof v === 'string' ? v.toLowerCase().includes(needle) : Array.isArray(v) && v.some((item) => looseEquals(item, expected))));
};

const matches = (expected: ConditionValue): ValueTest => {
  if (patternError(expected)) return () => false;
  const re = new RegExp(expected as string);
  return (actual) => actual.some((v) => (typeof v === 'string' || typeof v === 'number') && re.test(String(v)));
};

const anyIn = (expected: ConditionValue): ValueTest => {
  const items = list(expected);
  return (actual) => actual.some((v) => items.some((e) => looseEquals(v, e)));
};

const anyEquals = (expected: ConditionValue): ValueTest => (actual) => actual.some((v) => looseEquals(v, expected));

const not = (make: (expected: ConditionValue) => ValueTest) => (expected: ConditionValue): ValueTest => {
  const inner = make(expected);
  return (actual) => !inner(actual);
};

const define = (def: Omit<OperatorDef, 'test'>): OperatorDef => ({ ...def, test: (actual, expected) => def.compile(expected)(actual) });

const noValue = (): null => null;

/**
 * Every operator a condition can use. A path may select several values:
 * positive operators hold when ANY value satisfies them, their negations when
 * NONE does (so not_equals holds when the path selects nothing).
 */
export const OPERATOR_DEFS: Record<Operator, OperatorDef> = {
  equals: define({ label: 'equals', needsValue: true, valueError: oneValueError, compile: anyEquals }),
  not_equals: define({ label: 'does not equal', needsValue: true, valueError: oneValueError, compile: not(anyEquals) }),
  in: define({ label: 'is one of', needsValue: true, valueError: listError, compile: anyIn }),
  not_in: define({ label: 'is not one of', needsValue: true, valueError: listError, compile: not(anyIn) }),
  contains: define({ label: 'contains', needsValue: true, valueError: oneValueError, compile: contains }),
  matches: define({ label: 'matches the pattern', needsValue: true, valueError: patternError, compile: matches }),
  exists: define({ label: 'exists', needsValue: false, valueError: noValue, compile: () => (actual) => actual.some(present) }),
  not_exists: define({ label: 'does not exist', needsValue: false, valueError: noValue, compile: () => (actual) => !actual.some(present) }),
  gt: define({ label: 'is greater than', needsValue: true, valueError: orderingError, compile: ordering((a, e) => a > e) }),
  lt: define({ label: 'is less than', needsValue: true, valueError: orderingError, compile: ordering((a, e) => a < e) }),
};
