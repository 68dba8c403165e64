import { isAdfDoc, textToAdf } from './adf.js';
import { matchAllowed, notAllowedMessage, usableValues } from './allowed-values.js';
import { coerceCascading } from './cascading-values.js';
import { fieldKind, type FieldKind } from './field-kind.js';
import { toJiraDate, toJiraDateTime } from './jira-dates.js';
import type { FieldMeta } from './jira-types.js';
import { EMPTY, itemsOf, notText, single, textOf, type Coerced } from './mapped-value.js';
import { coerceUser, coerceUsers, type UserLookup } from './user-values.js';

export interface CoerceContext {
  users?: UserLookup;
  now: () => number;
}

/** Options, priorities, components and versions: an allowed value by id or by (any-case) label; free text when Jira lists none. */
const pick = (field: FieldMeta, texts: string[], labelKey: 'value' | 'name'): { picked: Record<string, string>[] } | { problem: string } => {
  const allowed = usableValues(field.allowedValues);
  const picked: Record<string, string>[] = [];
  const bad: string[] = [];
  for (const text of texts) {
    if (allowed.length === 0) {
      picked.push({ [labelKey]: text });
      continue;
    }
    const match = matchAllowed(text, allowed);
    if (!match) bad.push(text);
    else picked.push(match.by === 'id' ? { id: match.id } : { [labelKey]: match.label });
  }
  return bad.length > 0 ? { problem: notAllowedMessage(bad, field, allowed) } : { picked };
};

const pickOne = (field: FieldMeta, raw: unknown, labelKey: 'value' | 'name'): Coerced =>
  single(field, raw, (text) => {
    const result = pick(field, [text], labelKey);
    return 'problem' in result ? result : { value: result.picked[0] };
  });

const pickList = (field: FieldMeta, raw: unknown, labelKey: 'value' | 'name'): Coerced => {
  const texts: string[] = [];
  // A whole string that names one allowed value wins over splitting it at commas ("Sales, EMEA").
  const whole = typeof raw === 'string' ? matchAllowed(raw, usableValues(field.allowedValues)) : undefined;
  for (const item of whole ? [raw] : itemsOf(raw)) {
    const text = textOf(item)?.trim();
    if (text === undefined) return notText(field);
    if (text !== '' && !texts.includes(text)) texts.push(text);
  }
  if (texts.length === 0) return EMPTY;
  const result = pick(field, texts, labelKey);
  if ('problem' in result) return result;
  // "IT" and "it" name the same option; send it once.
  const unique = new Map(result.picked.map((p) => [JSON.stringify(p), p]));
  return { value: [...unique.values()] };
};

const labels = (field: FieldMeta, raw: unknown): Coerced => {
  const out: string[] = [];
  for (const item of itemsOf(raw)) {
    const text = textOf(item);
    if (text === undefined) return notText(field);
    // Jira refuses spaces inside a label.
    const label = text.trim().replace(/\s+/g, '-');
    if (label !== '' && !out.includes(label)) out.push(label);
  }
  return out.length > 0 ? { value: out } : EMPTY;
};

/** Jira's fixed limit for a summary or a single-line text field. */
const SINGLE_LINE_MAX = 255;

/**
 * Jira refuses line breaks and more than 255 characters in a summary or a
 * single-line text field; a summary built from an event is better shortened
 * than refused.
 */
const oneLine = (text: string): string => {
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ');
  return line.length <= SINGLE_LINE_MAX ? line : `${line.slice(0, SINGLE_LINE_MAX - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
};

const COERCERS: Record<FieldKind, (field: FieldMeta, raw: unknown, ctx: CoerceContext) => Coerced | Promise<Coerced>> = {
  richtext: (field, raw) => {
    if (isAdfDoc(raw)) return { value: raw };
    const text = textOf(raw);
    if (text === undefined) return notText(field);
    return text.trim() === '' ? EMPTY : { value: textToAdf(text) };
  },
  singleLine: (field, raw) => single(field, raw, (text) => ({ value: oneLine(text) })),
  string: (field, raw) => single(field, raw, (text) => ({ value: text })),
  // A type we have no rule for: send what the mapping gives and let Jira judge it.
  passthrough: (field, raw) => (typeof raw === 'object' && raw !== null ? { value: raw } : single(field, raw, (text) => ({ value: text }))),
  number: (field, raw) =>
    single(field, raw, (text) => {
      const n = Number(text);
      return Number.isFinite(n) ? { value: n } : { problem: `${field.name} takes a number, and “${text}” is not one.` };
    }),
  date: (field, raw, ctx) =>
    single(field, raw, (text) => {
      const date = toJiraDate(text, ctx.now);
      return date ? { value: date } : { problem: `${field.name} takes a date like 2025-01-31, and “${text}” is not one.` };
    }),
  datetime: (field, raw, ctx) =>
    single(field, raw, (text) => {
      const at = toJiraDateTime(text, ctx.now);
      return at ? { value: at } : { problem: `${field.name} takes a date and time like 2025-01-31T14:39:00Z, and “${text}” is not one.` };
    }),
  url: (field, raw) =>
    single(field, raw, (text) =>
      /^https?:\/\/[^\s/]+\S*$/i.test(text) && URL.canParse(text)
        ? { value: text }
        : { problem: `${field.name} takes a web address starting with https://, and “${text}” is not one.` },
    ),
  option: (field, raw) => pickOne(field, raw, 'value'),
  options: (field, raw) => pickList(field, raw, 'value'),
  named: (field, raw) => pickOne(field, raw, 'name'),
  namedList: (field, raw) => pickList(field, raw, 'name'),
  cascading: coerceCascading,
  labels,
  user: (field, raw, ctx) => coerceUser(field, raw, ctx.users),
  users: (field, raw, ctx) => coerceUsers(field, raw, ctx.users),
  parent: (field, raw) => single(field, raw, (text) => ({ value: { key: text.toUpperCase() } })),
};

/** Turns a mapped value into the JSON Jira's create call takes for this field (contracts/jira-cloud.md). */
export const coerceValue = async (field: FieldMeta, raw: unknown, ctx: CoerceContext): Promise<Coerced> => COERCERS[fieldKind(field)](field, raw, ctx);
