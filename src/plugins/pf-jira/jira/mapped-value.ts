import type { FieldMeta } from './jira-types.js';

/** A value Jira accepts for the field, nothing to send, or why the value does not fit. */
export type Coerced = { value: unknown } | { empty: true } | { problem: string };

export const EMPTY: Coerced = { empty: true };

export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A payload value as text: scalars as written, and a PeopleForce-style `{id, name}` object by its name. */
export const textOf = (raw: unknown): string | undefined => {
  if (typeof raw === 'string') return raw;
  if ((typeof raw === 'number' && Number.isFinite(raw)) || typeof raw === 'boolean') return String(raw);
  if (isRecord(raw) && (typeof raw.name === 'string' || typeof raw.name === 'number')) return String(raw.name);
  return undefined;
};

/** A list from a JSON array or from comma-separated text. */
export const itemsOf = (raw: unknown): unknown[] => {
  if (Array.isArray(raw)) return raw;
  if (typeof raw === 'string') return raw.split(',');
  return [raw];
};

export const notText = (field: FieldMeta): { problem: string } => ({
  problem: `${field.name} takes text, but the mapped value is a group of fields; map one value inside it (for example its name).`,
});

/** Reads one value as trimmed text and converts it; blank text is nothing to send. */
export const single = (field: FieldMeta, raw: unknown, convert: (text: string) => Coerced): Coerced => {
  const text = textOf(raw)?.trim();
  if (text === undefined) return notText(field);
  return text === '' ? EMPTY : convert(text);
};
