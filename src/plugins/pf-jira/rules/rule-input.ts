import { z } from 'zod';
import { validationError, type FieldErrors } from '../../../errors.js';
import { conditionError } from './conditions.js';
import { jsonPathError } from './jsonpath.js';
import { OPERATOR_DEFS } from './operators.js';
import { templateError } from './template.js';
import { OPERATORS, RULE_ACTIONS, SOURCE_TYPES, type Condition, type FieldMapping, type RuleInput } from './rule-types.js';

const MAX_CONDITIONS = 50;
const MAX_MAPPINGS = 100;
const MAX_PRIORITY = 1_000_000;
// Written out rather than formatted with toLocaleString, which would load ICU's number data at start-up for one message.
const MAX_PRIORITY_TEXT = '1,000,000';
/** Jira's limit for a text field: a longer value could never be stored. */
const MAX_MAPPING_VALUE = 32_767;

const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;
const EVENT_TYPE = /^[a-z_]+$/;
const FIELD_ID = /^(summary|description|labels|priority|duedate|assignee|components|environment|customfield_\d+|[a-z][a-zA-Z]+)$/;

// Forms send text: these turn it into what API clients send directly.
const splitList = (v: unknown): unknown =>
  typeof v === 'string'
    ? v
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean)
    : v;
const formBoolean = (v: unknown): unknown => (typeof v === 'string' ? ['1', 'true', 'on', 'yes'].includes(v.trim().toLowerCase()) : v);
const wholeNumber = (v: unknown): unknown => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v);
const optionalText = (v: unknown): unknown => (v === undefined || v === null ? null : typeof v === 'string' ? v.trim() || null : v);
const orEmpty = (v: unknown): unknown => v ?? [];

const conditionValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);

/** Lists for in/not_in, nothing for exists/not_exists, trimmed text otherwise. */
const normalizeValue = (operator: Condition['operator'], value: Condition['value']): Condition['value'] => {
  if (!OPERATOR_DEFS[operator].needsValue) return undefined;
  if (operator === 'in' || operator === 'not_in') {
    const items = typeof value === 'string' ? (splitList(value) as string[]) : value;
    return Array.isArray(items) ? items.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '') : items;
  }
  if (typeof value !== 'string') return value;
  return value.trim() || undefined;
};

const conditionSchema = z
  .object({
    path: z.string({ error: 'Enter a JSONPath, for example $.department.name.' }).trim(),
    operator: z.enum(OPERATORS, { error: `Choose one of: ${OPERATORS.map((o) => OPERATOR_DEFS[o].label).join(', ')}.` }),
    value: conditionValue.optional(),
  })
  .transform((c): Condition => {
    const value = normalizeValue(c.operator, c.value);
    return value === undefined ? { path: c.path, operator: c.operator } : { path: c.path, operator: c.operator, value };
  })
  .superRefine((c, ctx) => {
    for (const [part, message] of Object.entries(conditionError(c))) ctx.addIssue({ code: 'custom', message, path: [part] });
  });

const mappingValueError = (m: FieldMapping): string | null => {
  if (!m.value) return m.sourceType === 'STATIC' ? 'Enter the value to put in the field.' : m.sourceType === 'PF_PAYLOAD' ? 'Enter a JSONPath, for example $.email.' : 'Enter a template, for example {{ full_name }}.';
  if (m.sourceType === 'PF_PAYLOAD') return jsonPathError(m.value);
  if (m.sourceType === 'TEMPLATE') return templateError(m.value);
  return null;
};

const mappingSchema = z
  .object({
    fieldId: z
      .string({ error: 'Enter a Jira field id.' })
      .trim()
      .regex(FIELD_ID, 'Use a Jira field id such as summary, duedate or customfield_10030.'),
    sourceType: z.enum(SOURCE_TYPES, { error: 'Choose where the value comes from: STATIC, PF_PAYLOAD or TEMPLATE.' }),
    value: z.string({ error: 'Enter a value.' }).trim().max(MAX_MAPPING_VALUE, `Use at most ${MAX_MAPPING_VALUE} characters.`),
  })
  .superRefine((m, ctx) => {
    const message = mappingValueError(m);
    if (message) ctx.addIssue({ code: 'custom', message, path: ['value'] });
  });

const mappingsSchema = z
  .preprocess(orEmpty, z.array(mappingSchema, { error: 'Send mappings as a list.' }).max(MAX_MAPPINGS, `Use at most ${MAX_MAPPINGS} mappings.`))
  .superRefine((mappings, ctx) => {
    const first = new Map<string, number>();
    mappings.forEach((m, i) => {
      const earlier = first.get(m.fieldId);
      if (earlier === undefined) first.set(m.fieldId, i);
      else ctx.addIssue({ code: 'custom', message: `${m.fieldId} is already mapped (mapping ${earlier + 1}); map each field once.`, path: [i, 'fieldId'] });
    });
  });

const eventTypesSchema = z
  .preprocess(orEmpty, z.preprocess(splitList, z.array(z.string().trim(), { error: 'Send event types as a list.' })))
  .superRefine((types, ctx) => {
    const bad = types.find((t) => !EVENT_TYPE.test(t));
    if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `“${bad}” is not an event type: use lower-case letters and underscores, like employee_create.` });
  })
  .transform((types) => [...new Set(types)]);

const FIELDS = {
  name: z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(120, 'Use at most 120 characters.'),
  priority: z.preprocess(
    wholeNumber,
    z
      .number({ error: 'Enter a whole number.' })
      .int('Enter a whole number.')
      .min(1, `Use a priority from 1 to ${MAX_PRIORITY_TEXT}.`)
      .max(MAX_PRIORITY, `Use a priority from 1 to ${MAX_PRIORITY_TEXT}.`),
  ),
  // An API client that leaves it out means a working rule; the form sends its checkbox state explicitly.
  enabled: z.preprocess((v) => (v === undefined ? true : formBoolean(v)), z.boolean({ error: 'Choose whether the rule is on.' })),
  action: z.enum(RULE_ACTIONS, { error: 'Choose SYNC (create or update an issue) or DROP (ignore the event).' }),
  eventTypes: eventTypesSchema,
  match: z.preprocess((v) => v ?? 'all', z.enum(['all', 'any'], { error: 'Choose all or any.' })),
  conditions: z.preprocess(orEmpty, z.array(conditionSchema, { error: 'Send conditions as a list.' }).max(MAX_CONDITIONS, `Use at most ${MAX_CONDITIONS} conditions.`)),
} as const;

const TARGET = {
  projectKey: z.preprocess(
    (v) => {
      const t = optionalText(v);
      return typeof t === 'string' ? t.toUpperCase() : t;
    },
    z.string().regex(PROJECT_KEY, 'Use a Jira project key: a capital letter, then 1–9 capitals, digits or underscores.').nullable(),
  ),
  issueTypeId: z.preprocess(optionalText, z.string().max(50, 'Use at most 50 characters.').nullable()),
  issueTypeName: z.preprocess(optionalText, z.string().max(255, 'Use at most 255 characters.').nullable()),
  boardId: z.preprocess(
    (v) => wholeNumber(optionalText(v)),
    z.number({ error: 'Choose a board from the list, or leave it empty.' }).int('Choose a board from the list, or leave it empty.').positive('Choose a board from the list, or leave it empty.').nullable(),
  ),
  boardName: z.preprocess(optionalText, z.string().max(255, 'Use at most 255 characters.').nullable()),
  mappings: mappingsSchema,
} as const;

type Parsed<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.output<S[K]> };

const parseFields = <S extends Record<string, z.ZodType>>(schemas: S, raw: Record<string, unknown>, errors: FieldErrors): Partial<Parsed<S>> => {
  const out: Partial<Parsed<S>> = {};
  for (const key of Object.keys(schemas) as (keyof S & string)[]) {
    const result = (schemas[key] as z.ZodType).safeParse(raw[key]);
    if (result.success) out[key] = result.data as Parsed<S>[typeof key];
    else for (const issue of result.error.issues) errors[[key, ...issue.path.map(String)].join('.')] ??= issue.message;
  }
  return out;
};

/**
 * Reads a rule from a form or API JSON, reporting every problem at once as
 * field errors (name, priority, conditions.2.path, mappings.0.value, …).
 * A DROP rule creates nothing, so its target and mappings are ignored.
 * `priorityHolder` names another rule already at the priority.
 */
export const parseRuleInput = (raw: unknown, priorityHolder: (priority: number) => { id: number; name: string } | undefined): RuleInput => {
  const source = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const errors: FieldErrors = {};
  const base = parseFields(FIELDS, source, errors);
  const target = base.action === 'DROP' ? { projectKey: null, issueTypeId: null, issueTypeName: null, boardId: null, boardName: null, mappings: [] } : parseFields(TARGET, source, errors);

  if (base.action === 'SYNC') {
    if (target.projectKey === null && !errors.projectKey) errors.projectKey = 'Choose the Jira project this rule creates issues in.';
    if (target.issueTypeId === null && target.issueTypeName === null && !errors.issueTypeId) errors.issueTypeId = 'Choose the issue type to create.';
  }
  if (base.priority !== undefined) {
    const holder = priorityHolder(base.priority);
    if (holder) errors.priority = `Rule “${holder.name}” already has priority ${base.priority}; choose another number.`;
  }
  if (Object.keys(errors).length) throw validationError('The rule has problems; nothing was saved.', errors);

  return { ...(base as Parsed<typeof FIELDS>), ...(target as Parsed<typeof TARGET>) };
};
