import type { AllowedValue, FieldMeta } from './jira-types.js';

/** How many allowed values a problem message lists before trailing off: enough to spot a typo, short enough to read. */
const LISTED_VALUES = 10;

/** The label Jira shows for an allowed value: `value` for options, `name` for priorities, components, versions. */
export const labelOf = (v: AllowedValue): string | undefined => (typeof v.value === 'string' ? v.value : typeof v.name === 'string' ? v.name : undefined);

/** Values a create call may use; Jira refuses disabled options. */
export const usableValues = (values: AllowedValue[] | undefined): AllowedValue[] => (values ?? []).filter((v) => v.disabled !== true);

export type AllowedMatch = { by: 'id'; id: string; value: AllowedValue } | { by: 'label'; label: string; value: AllowedValue };

/** An id matches exactly; a label matches ignoring case and surrounding spaces, and Jira's own spelling is kept. */
export const matchAllowed = (text: string, values: AllowedValue[]): AllowedMatch | undefined => {
  const wanted = text.trim();
  const byId = values.find((v) => v.id !== undefined && String(v.id) === wanted);
  if (byId) return { by: 'id', id: String(byId.id), value: byId };
  const lower = wanted.toLowerCase();
  const byLabel = values.find((v) => labelOf(v)?.trim().toLowerCase() === lower);
  const label = byLabel && labelOf(byLabel);
  return byLabel && label !== undefined ? { by: 'label', label, value: byLabel } : undefined;
};

export const listAllowed = (values: AllowedValue[]): string => {
  const labels = values.map(labelOf).filter((l): l is string => l !== undefined);
  return labels.length > LISTED_VALUES ? `${labels.slice(0, LISTED_VALUES).join(', ')}, …` : labels.join(', ');
};

export const quoteList = (texts: string[]): string => texts.map((t) => `“${t}”`).join(', ');

export const notAllowedMessage = (bad: string[], field: FieldMeta, values: AllowedValue[]): string => {
  const what = bad.length === 1 ? `${quoteList(bad)} is not one of the allowed values` : `${quoteList(bad)} are not among the allowed values`;
  const allowed = listAllowed(values);
  if (allowed === '') return `${what} for ${field.name}.`;
  return `${what} for ${field.name}: ${allowed}${allowed.endsWith('…') ? '' : '.'}`;
};
