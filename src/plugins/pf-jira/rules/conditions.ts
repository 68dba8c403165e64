import { compilePath, jsonPathError, type PathReader } from './jsonpath.js';
import { OPERATOR_DEFS } from './operators.js';
import { OPERATORS, type Condition } from './rule-types.js';

export interface ConditionsResult {
  matched: boolean;
  /** Why, in words: "$.employment_type.name equals "Contractor" (found "Contractor")". */
  detail: string;
}

/** Explains the outcome; `test` answers only whether the conditions hold, for the hot path of evaluating many rules. */
export type CompiledConditions = ((reader: PathReader) => ConditionsResult) & { test(reader: PathReader): boolean };

/** Enough of a found value to recognise it in a reason, never a whole record. */
const MAX_SHOWN_CHARS = 60;
const MAX_SHOWN_VALUES = 3;

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS - 1)}…` : text;
};

const found = (values: unknown[]): string => {
  if (!values.length) return 'found nothing';
  const shown = values.slice(0, MAX_SHOWN_VALUES).map(show).join(', ');
  return values.length > MAX_SHOWN_VALUES ? `found ${shown} and ${values.length - MAX_SHOWN_VALUES} more` : `found ${shown}`;
};

interface CompiledCondition {
  holds(reader: PathReader): boolean;
  describe(reader: PathReader, held: boolean): string;
}

const compileOne = (condition: Condition): CompiledCondition => {
  const def = OPERATOR_DEFS[condition.operator];
  const path = compilePath(condition.path);
  const test = def.compile(condition.value);
  const phrase = `${condition.path} ${def.label}${def.needsValue ? ` ${show(condition.value)}` : ''}`;
  return {
    holds: (reader) => test(reader.read(path)),
    describe: (reader, held) => `${phrase}${held ? '' : ' did not hold'} (${found(reader.read(path))})`,
  };
};

/**
 * Compiles a rule's conditions once (paths, patterns, dates) into one test per
 * event. `all` stops at the first condition that fails and `any` at the first
 * that holds, and the detail names the conditions that decided the outcome.
 * A rule without conditions matches every event it considers.
 */
export const compileConditions = (conditions: Condition[], match: 'all' | 'any'): CompiledConditions => {
  if (!conditions.length) {
    return Object.assign(() => ({ matched: true, detail: 'it has no conditions, so it takes every event it considers' }), { test: () => true });
  }
  const parts = conditions.map(compileOne);
  if (match === 'all') {
    const explain = (reader: PathReader): ConditionsResult => {
      const failed = parts.find((p) => !p.holds(reader));
      if (failed) return { matched: false, detail: failed.describe(reader, false) };
      return { matched: true, detail: parts.map((p) => p.describe(reader, true)).join(' and ') };
    };
    return Object.assign(explain, { test: (reader: PathReader) => parts.every((p) => p.holds(reader)) });
  }
  const explain = (reader: PathReader): ConditionsResult => {
    const held = parts.find((p) => p.holds(reader));
    if (held) return { matched: true, detail: held.describe(reader, true) };
    return { matched: false, detail: `none of: ${parts.map((p) => p.describe(reader, false)).join('; ')}` };
  };
  return Object.assign(explain, { test: (reader: PathReader) => parts.some((p) => p.holds(reader)) });
};

export type ConditionPart = 'path' | 'operator' | 'value';

/** What is wrong with one condition, by part; empty when it is usable. */
export const conditionError = (c: Condition): Partial<Record<ConditionPart, string>> => {
  const errors: Partial<Record<ConditionPart, string>> = {};
  const pathError = c.path.trim() ? jsonPathError(c.path) : 'Enter a JSONPath, for example $.department.name.';
  if (pathError) errors.path = pathError;
  if (!OPERATORS.includes(c.operator)) {
    errors.operator = `Choose one of: ${OPERATORS.map((o) => OPERATOR_DEFS[o].label).join(', ')}.`;
    return errors;
  }
  const valueError = OPERATOR_DEFS[c.operator].valueError(c.value);
  if (valueError) errors.value = valueError;
  return errors;
};

/** What is wrong with each condition, keyed conditions.<i>.path|operator|value for the form. */
export const conditionErrors = (conditions: Condition[]): Record<string, string> => {
  const errors: Record<string, string> = {};
  conditions.forEach((c, i) => {
    for (const [part, message] of Object.entries(conditionError(c))) errors[`conditions.${i}.${part}`] = message;
  });
  return errors;
};
