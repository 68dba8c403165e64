import type { FormFields } from '../../../web/form.js';
import type { Condition, Rule } from './rule-types.js';

export interface ConditionRow {
  path: string;
  operator: string;
  value: string;
}

export interface MappingRow {
  fieldId: string;
  sourceType: string;
  value: string;
}

/** The rule editor's form, exactly as typed: every value is text, so a form with errors shows what the admin entered. */
export interface RuleFormValues {
  name: string;
  priority: string;
  enabled: boolean;
  action: string;
  eventTypes: string[];
  match: string;
  conditions: ConditionRow[];
  projectKey: string;
  issueTypeId: string;
  issueTypeName: string;
  boardId: string;
  boardName: string;
  mappings: MappingRow[];
}

/** An edit to the form's rows, from the editor's add/remove buttons (`_op`). */
export type RowOp =
  | { kind: 'add-condition' }
  | { kind: 'remove-condition'; index: number }
  | { kind: 'add-mapping' }
  | { kind: 'remove-mapping'; index: number }
  | { kind: 'add-field'; fieldId: string };

const blankCondition = (): ConditionRow => ({ path: '', operator: 'equals', value: '' });
const blankMapping = (): MappingRow => ({ fieldId: '', sourceType: 'STATIC', value: '' });

const last = (form: FormFields, name: string): string => {
  const v = form[name];
  return (Array.isArray(v) ? v[v.length - 1] : v) ?? '';
};

const all = (form: FormFields, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter(Boolean);
};

/** Rows posted as prefix.N.part, in the order of N (gaps from removed rows close up). */
const rows = <K extends string>(form: FormFields, prefix: string, parts: readonly K[]): Record<K, string>[] => {
  const byIndex = new Map<number, Record<K, string>>();
  const pattern = new RegExp(`^${prefix}\\.(\\d{1,4})\\.(${parts.join('|')})$`);
  for (const key of Object.keys(form)) {
    const m = pattern.exec(key);
    if (!m) continue;
    const index = Number(m[1]);
    const row = byIndex.get(index) ?? (Object.fromEntries(parts.map((p) => [p, ''])) as Record<K, string>);
    row[m[2] as K] = last(form, key);
    byIndex.set(index, row);
  }
  return [...byIndex].sort(([a], [b]) => a - b).map(([, row]) => row);
};

/** Reads the editor's form; rows keep their blanks so a just-added row stays on screen. */
export const readRuleForm = (form: FormFields): RuleFormValues => ({
  name: last(form, 'name'),
  priority: last(form, 'priority').trim(),
  enabled: ['1', 'true', 'on', 'yes'].includes(last(form, 'enabled').trim().toLowerCase()),
  action: last(form, 'action') || 'SYNC',
  eventTypes: all(form, 'eventTypes'),
  match: last(form, 'match') || 'all',
  conditions: rows(form, 'conditions', ['path', 'operator', 'value'] as const),
  projectKey: last(form, 'projectKey').trim().toUpperCase(),
  issueTypeId: last(form, 'issueTypeId').trim(),
  issueTypeName: last(form, 'issueTypeName').trim(),
  boardId: last(form, 'boardId').trim(),
  boardName: last(form, 'boardName').trim(),
  mappings: rows(form, 'mappings', ['fieldId', 'sourceType', 'value'] as const),
});

const blankConditionRow = (c: ConditionRow): boolean => !c.path.trim() && !c.value.trim();
const blankMappingRow = (m: MappingRow): boolean => !m.fieldId.trim() && !m.value.trim();

/** Rows left entirely blank mean nothing; dropping them before parsing keeps error keys in step with the rows shown. */
export const withoutBlankRows = (values: RuleFormValues): RuleFormValues => ({
  ...values,
  conditions: values.conditions.filter((c) => !blankConditionRow(c)),
  mappings: values.mappings.filter((m) => !blankMappingRow(m)),
});

/** What parseRuleInput reads; a DROP rule's target and mappings are ignored there. */
export const ruleInputOf = (values: RuleFormValues): Record<string, unknown> => ({
  name: values.name,
  priority: values.priority,
  enabled: values.enabled ? 'true' : 'false',
  action: values.action,
  eventTypes: values.eventTypes,
  match: values.match,
  conditions: values.conditions.map((c) => ({ path: c.path, operator: c.operator, value: c.value })),
  projectKey: values.projectKey,
  issueTypeId: values.issueTypeId,
  issueTypeName: values.issueTypeName,
  boardId: values.boardId,
  boardName: values.boardName,
  mappings: values.mappings.map((m) => ({ fieldId: m.fieldId.trim(), sourceType: m.sourceType, value: m.value })),
});

const valueText = (value: Condition['value']): string => (value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value));

/** A saved rule as the form shows it. */
export const formValuesOf = (rule: Rule): RuleFormValues => ({
  name: rule.name,
  priority: String(rule.priority),
  enabled: rule.enabled,
  action: rule.action,
  eventTypes: rule.eventTypes,
  match: rule.match,
  conditions: rule.conditions.map((c) => ({ path: c.path, operator: c.operator, value: valueText(c.value) })),
  projectKey: rule.projectKey ?? '',
  issueTypeId: rule.issueTypeId ?? '',
  issueTypeName: rule.issueTypeName ?? '',
  boardId: rule.boardId === null ? '' : String(rule.boardId),
  boardName: rule.boardName ?? '',
  mappings: rule.mappings.map((m) => ({ ...m })),
});

/** A new rule's form: on, SYNC, after every existing rule, with a summary mapping to start from. */
export const newRuleValues = (priority: number): RuleFormValues => ({
  name: '',
  priority: String(priority),
  enabled: true,
  action: 'SYNC',
  eventTypes: [],
  match: 'all',
  conditions: [blankCondition()],
  projectKey: '',
  issueTypeId: '',
  issueTypeName: '',
  boardId: '',
  boardName: '',
  mappings: [{ fieldId: 'summary', sourceType: 'TEMPLATE', value: '{{ _event.label }}: {{ full_name }}' }],
});

/** Reads `_op` ("add-condition", "remove-mapping:1", "add-required:customfield_10030"); undefined when absent or unknown. */
export const parseRowOp = (op: string): RowOp | undefined => {
  const [kind, arg = ''] = op.split(':', 2);
  const index = /^\d{1,4}$/.test(arg) ? Number(arg) : undefined;
  if (kind === 'add-condition') return { kind };
  if (kind === 'add-mapping') return { kind };
  if (kind === 'remove-condition' && index !== undefined) return { kind, index };
  if (kind === 'remove-mapping' && index !== undefined) return { kind, index };
  if ((kind === 'add-required' || kind === 'add-field') && /^[A-Za-z0-9_]{1,64}$/.test(arg)) return { kind: 'add-field', fieldId: arg };
  return undefined;
};

/** Applies one row edit; adding a field that is already mapped changes nothing. */
export const applyRowOp = (values: RuleFormValues, op: RowOp): RuleFormValues => {
  switch (op.kind) {
    case 'add-condition':
      return { ...values, conditions: [...values.conditions, blankCondition()] };
    case 'remove-condition':
      return { ...values, conditions: values.conditions.filter((_, i) => i !== op.index) };
    case 'add-mapping':
      return { ...values, mappings: [...values.mappings, blankMapping()] };
    case 'remove-mapping':
      return { ...values, mappings: values.mappings.filter((_, i) => i !== op.index) };
    case 'add-field': {
      if (values.mappings.some((m) => m.fieldId.trim() === op.fieldId)) return values;
      const kept = values.mappings.filter((m) => !blankMappingRow(m));
      return { ...values, mappings: [...kept, { ...blankMapping(), fieldId: op.fieldId }] };
    }
  }
};
