import { labelOf, matchAllowed, notAllowedMessage, usableValues } from './allowed-values.js';
import { EMPTY, isRecord, notText, textOf, type Coerced } from './mapped-value.js';
import type { AllowedValue, FieldMeta } from './jira-types.js';

interface Wanted {
  parent: string;
  child?: string;
}

const childrenOf = (v: AllowedValue): AllowedValue[] => usableValues(Array.isArray(v.children) ? (v.children as AllowedValue[]) : []);

/** "Parent / Child" is read against Jira's choices first, so a slash inside a choice's own name does not split it. */
const splitText = (text: string, parents: AllowedValue[]): Wanted => {
  const lower = text.toLowerCase();
  // The longest name first, so "R&D / Labs / North" finds "R&D / Labs" before "R&D".
  const labels = parents.map((p) => labelOf(p)?.trim() ?? '').sort((a, b) => b.length - a.length);
  for (const label of labels) {
    if (label === '' || !lower.startsWith(label.toLowerCase())) continue;
    if (lower.length === label.length) return { parent: text };
    const rest = /^\s*\/\s*(.+)$/.exec(text.slice(label.length));
    if (rest?.[1]) return { parent: text.slice(0, label.length), child: rest[1].trim() };
  }
  const [parent = '', ...child] = text.split('/');
  return child.length > 0 ? { parent: parent.trim(), child: child.join('/').trim() } : { parent: parent.trim() };
};

/** Jira's own shape `{value, child: {value}}`, or the simpler `{parent, child}`. */
const fromObject = (raw: Record<string, unknown>): Wanted => {
  const child = isRecord(raw.child) ? raw.child.value : raw.child;
  return { parent: String(raw.value ?? raw.parent).trim(), ...(typeof child === 'string' && child.trim() !== '' ? { child: child.trim() } : {}) };
};

/** A cascading select (`option-with-child`): a parent choice and optionally one of its children. */
export const coerceCascading = (field: FieldMeta, raw: unknown): Coerced => {
  const parents = usableValues(field.allowedValues);
  let wanted: Wanted;
  if (isRecord(raw) && (typeof raw.value === 'string' || typeof raw.parent === 'string')) wanted = fromObject(raw);
  else {
    const text = textOf(raw)?.trim();
    if (text === undefined) return notText(field);
    if (text === '') return EMPTY;
    wanted = splitText(text, parents);
  }
  if (parents.length === 0) return { value: { value: wanted.parent, ...(wanted.child ? { child: { value: wanted.child } } : {}) } };
  const parent = matchAllowed(wanted.parent, parents);
  if (!parent) return { problem: notAllowedMessage([wanted.parent], field, parents) };
  const parentValue = parent.by === 'id' ? { id: parent.id } : { value: parent.label };
  if (!wanted.child) return { value: parentValue };
  const children = childrenOf(parent.value);
  const child = matchAllowed(wanted.child, children);
  if (!child) return { problem: notAllowedMessage([wanted.child], { ...field, name: `${field.name} under “${wanted.parent}”` }, children) };
  return { value: { ...parentValue, child: child.by === 'id' ? { id: child.id } : { value: child.label } } };
};
