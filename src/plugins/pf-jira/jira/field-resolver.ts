import { selectAll, selectOne } from '../rules/jsonpath.js';
import type { FieldMapping } from '../rules/rule-types.js';
import { renderTemplate, templateError } from '../rules/template.js';
import { coerceValue } from './field-coercion.js';
import { fieldKind, takesList } from './field-kind.js';
import type { FieldMeta } from './jira-types.js';
import type { UserLookup } from './user-values.js';

export type { UserLookup } from './user-values.js';

export interface FieldProblem {
  fieldId: string;
  fieldName: string;
  /** A sentence for the HR/IT admin who edits the rule. */
  message: string;
}

export interface ResolveInput {
  mappings: FieldMapping[];
  payload: unknown;
  /** The create screen of the rule's project and issue type (createmeta). */
  fields: FieldMeta[];
  users?: UserLookup;
  now?: () => number;
}

export interface ResolvedFields {
  fields: Record<string, unknown>;
  problems: FieldProblem[];
}

/** Set by the sync engine itself, never by a mapping. */
const ENGINE_FIELDS = new Set(['project', 'issuetype', 'reporter']);

interface RawValue {
  value: unknown;
  /** What found nothing, in words: set when the source came up empty. */
  missing?: string;
}

const isBlank = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.every(isBlank));

const readRaw = (mapping: FieldMapping, payload: unknown, many: boolean): RawValue | { problem: string } => {
  if (mapping.sourceType === 'STATIC') return { value: mapping.value, ...(isBlank(mapping.value) ? { missing: 'its fixed value is empty' } : {}) };
  if (mapping.sourceType === 'PF_PAYLOAD') {
    const found = many ? selectAll(payload, mapping.value) : [selectOne(payload, mapping.value)];
    const value = found.length > 1 ? found : found[0];
    return { value, ...(isBlank(value) ? { missing: `${mapping.value} found nothing in this event` } : {}) };
  }
  const broken = templateError(mapping.value);
  if (broken) return { problem: broken };
  const rendered = renderTemplate(mapping.value, payload);
  if (rendered.missing.length > 0) {
    const names = rendered.missing.map((n) => `{{ ${n} }}`).join(', ');
    return { value: rendered.text, missing: `${names} in its template found nothing in this event` };
  }
  return { value: rendered.text, ...(isBlank(rendered.text) ? { missing: 'its template gives empty text' } : {}) };
};

const indexFields = (fields: FieldMeta[]): Map<string, FieldMeta> => {
  const byId = new Map<string, FieldMeta>();
  for (const f of fields) {
    byId.set(f.fieldId, f);
    if (f.key && !byId.has(f.key)) byId.set(f.key, f);
  }
  return byId;
};

/** Required, with no default Jira would fill in when the field is left out. */
const mustBeSent = (field: FieldMeta): boolean => field.required && !field.hasDefaultValue;

/**
 * A rule's mappings, read from one event and turned into Jira's create
 * `fields`, with every reason the result would be refused named in plain words
 * before Jira is asked. A required field is strict (any placeholder that finds
 * nothing is a problem); an optional one is left out when empty.
 */
export const resolveFields = async (input: ResolveInput): Promise<ResolvedFields> => {
  const byId = indexFields(input.fields);
  const ctx = { now: input.now ?? Date.now, ...(input.users ? { users: input.users } : {}) };
  const fields: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  const mapped = new Set<string>();

  for (const mapping of input.mappings) {
    const field = byId.get(mapping.fieldId);
    if (!field) {
      problems.push({
        fieldId: mapping.fieldId,
        fieldName: mapping.fieldId,
        message: `${mapping.fieldId} is not on the create screen of this project and issue type. Remove the mapping, or ask a Jira admin to add the field to the screen.`,
      });
      continue;
    }
    mapped.add(field.fieldId);
    const problem = (message: string) => problems.push({ fieldId: field.fieldId, fieldName: field.name, message });
    const raw = readRaw(mapping, input.payload, takesList(fieldKind(field)));
    if ('problem' in raw) {
      problem(`The template for ${field.name} cannot be used: ${raw.problem}`);
      continue;
    }
    const required = mustBeSent(field);
    const emptyMessage = `${field.name} is required, but ${raw.missing ?? 'its mapping gives no value'}.`;
    if (isBlank(raw.value) || (required && raw.missing)) {
      if (required) problem(emptyMessage);
      continue;
    }
    const coerced = await coerceValue(field, raw.value, ctx);
    if ('problem' in coerced) problem(coerced.problem);
    else if ('value' in coerced) fields[field.fieldId] = coerced.value;
    else if (required) problem(emptyMessage);
  }

  for (const field of input.fields) {
    if (mustBeSent(field) && !mapped.has(field.fieldId) && !ENGINE_FIELDS.has(field.fieldId)) {
      problems.push({ fieldId: field.fieldId, fieldName: field.name, message: `Jira requires ${field.name}, and no mapping provides it.` });
    }
  }
  return { fields, problems };
};

const HINTS: { when: (message: string, field: FieldMeta | undefined) => boolean; hint: string }[] = [
  {
    when: (m) => /not on the appropriate screen|cannot be set/i.test(m),
    hint: 'The field is no longer on the create screen; ask a Jira admin to add it back, or remove the mapping.',
  },
  { when: (m) => /is required|must specify/i.test(m), hint: 'Jira now requires this field; add a mapping for it.' },
  {
    when: (_m, f) => f !== undefined && ['user', 'users'].includes(fieldKind(f)),
    hint: 'The person may have left, or may not be allowed in this field; check the mapping.',
  },
  {
    when: (m, f) => /option/i.test(m) || (f !== undefined && ['option', 'options', 'cascading'].includes(fieldKind(f))),
    hint: 'The option may have been removed in Jira; edit the mapping.',
  },
  {
    when: (_m, f) => f !== undefined && ['named', 'namedList'].includes(fieldKind(f)),
    hint: 'The value may have been renamed or removed in Jira; edit the mapping.',
  },
  {
    when: (m) => /atlassian document/i.test(m),
    hint: "The field's type may have changed in Jira; refresh the create-screen data and check the mapping.",
  },
  { when: (m) => /too long|less than \d+ characters|limit of \d+ characters/i.test(m), hint: 'The text is too long for this field; shorten the mapping.' },
  { when: (m) => /date|time/i.test(m), hint: 'Check the date the mapping gives.' },
];

/** Jira's per-field refusals (`errors` of a 400), named by the field's display name and with a hint on what to change. */
export const explainJiraErrors = (fieldErrors: Record<string, string>, fields: FieldMeta[]): FieldProblem[] => {
  const byId = indexFields(fields);
  return Object.entries(fieldErrors).map(([fieldId, said]) => {
    const field = byId.get(fieldId);
    const name = field?.name ?? fieldId;
    const hint = HINTS.find((h) => h.when(said, field))?.hint;
    return { fieldId: field?.fieldId ?? fieldId, fieldName: name, message: `${name}: Jira said “${said.trim()}”${hint ? ` ${hint}` : ''}` };
  });
};
