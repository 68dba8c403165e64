import { adfError } from './adf-validator.js';
import type { FieldMeta } from './createmeta.js';
import type { FieldSchema, SimUser } from './jira-model.js';
import { isJiraDate, isJiraDateTime } from './jira-time.js';

/**
 * Checks a create/edit `fields` object against createmeta the way Jira Cloud
 * does, collecting one message per field, and turns accepted values into the
 * shape Jira returns them in (options and users as objects, labels deduplicated).
 */

export interface FieldCheckContext {
  findUser(accountId: string): SimUser | undefined;
  origin: string;
}

export interface FieldValidation {
  errors: Record<string, string>;
  values: Record<string, unknown>;
}

type Check = { value: unknown } | { error: string };
type Kind = 'string' | 'adf' | 'url' | 'number' | 'date' | 'datetime' | 'option' | 'options' | 'cascading' | 'user' | 'users' | 'labels' | 'priority' | 'components' | 'unsupported';

const CUSTOM = 'com.atlassian.jira.plugin.system.customfieldtypes:';

const ARRAY_KINDS: Record<string, Kind> = { option: 'options', user: 'users', string: 'labels', component: 'components' };
const SCALAR_KINDS: Record<string, Kind> = { string: 'string', number: 'number', date: 'date', datetime: 'datetime', option: 'option', 'option-with-child': 'cascading', user: 'user', priority: 'priority' };

const fieldKind = (schema: FieldSchema): Kind => {
  if (schema.system === 'description' || schema.system === 'environment' || schema.custom === `${CUSTOM}textarea`) return 'adf';
  if (schema.custom === `${CUSTOM}url`) return 'url';
  if (schema.type === 'array') return ARRAY_KINDS[schema.items ?? ''] ?? 'unsupported';
  return SCALAR_KINDS[schema.type] ?? 'unsupported';
};

const CANNOT_BE_SET = (fieldId: string): string => `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.`;

const requiredMessage = (meta: FieldMeta): string => (meta.fieldId === 'summary' ? 'You must specify a summary of the issue.' : `${meta.name} is required.`);

const isEmptyValue = (value: unknown): boolean => value === null || value === '' || (Array.isArray(value) && value.length === 0);

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const idOf = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

const without = (record: Record<string, unknown>, key: string): Record<string, unknown> => {
  const { [key]: _dropped, ...rest } = record;
  return rest;
};

const checkString = (value: unknown, meta: FieldMeta): Check => {
  if (typeof value !== 'string') return { error: 'Operation value must be a string' };
  if (meta.fieldId === 'summary') {
    if (value.trim() === '') return { error: requiredMessage(meta) };
    if (/[\r\n]/.test(value)) return { error: 'The summary is invalid because it contains newline characters.' };
    if (value.length > 255) return { error: 'Summary must be less than 255 characters.' };
  } else if (value.length > 255) return { error: 'The entered text is too long. It exceeds the allowed limit of 255 characters.' };
  return { value };
};

const checkUrl = (value: unknown): Check => {
  if (typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)) return { value };
  return { error: `Not a valid URL: ${String(value)}` };
};

const checkOption = (value: unknown, allowed: Record<string, unknown>[]): Check => {
  if (!isRecord(value)) return { error: "Could not find valid 'id' or 'value' in the Option object." };
  const id = idOf(value.id);
  if (id !== undefined) {
    const found = allowed.find((o) => o.id === id);
    return found ? { value: without(found, 'children') } : { error: `Option id '${id}' is not valid` };
  }
  if (typeof value.value === 'string') {
    const found = allowed.find((o) => o.value === value.value);
    return found ? { value: without(found, 'children') } : { error: `Option value '${value.value}' is not valid` };
  }
  return { error: "Could not find valid 'id' or 'value' in the Option object." };
};

const checkCascading = (value: unknown, allowed: Record<string, unknown>[]): Check => {
  const parent = checkOption(value, allowed);
  if ('error' in parent || !isRecord(value) || value.child === undefined || value.child === null) return parent;
  const parentValue = parent.value as Record<string, unknown>;
  const children = (allowed.find((o) => o.id === parentValue.id)?.children ?? []) as Record<string, unknown>[];
  const child = checkOption(value.child, children);
  if ('error' in child) return { error: `${child.error} for parent '${String(parentValue.value)}'` };
  return { value: { ...parentValue, child: child.value } };
};

const checkUser = (value: unknown, meta: FieldMeta, ctx: FieldCheckContext): Check => {
  if (!isRecord(value)) return { error: `Specify a valid value for ${meta.name}: an object with an 'accountId'.` };
  if (typeof value.accountId !== 'string') {
    // Jira Cloud dropped usernames and user keys for privacy; only account ids identify people.
    if ('name' in value || 'key' in value) return { error: "The 'name' and 'key' user properties are not supported in Jira Cloud; use 'accountId'." };
    return { error: `Specify a valid value for ${meta.name}: an object with an 'accountId'.` };
  }
  const user = ctx.findUser(value.accountId);
  if (meta.fieldId === 'assignee' && !user?.active) return { error: `User '${value.accountId}' cannot be assigned issues.` };
  if (!user) return { error: `User '${value.accountId}' does not exist.` };
  return {
    value: {
      self: `${ctx.origin}/rest/api/3/user?accountId=${user.accountId}`,
      accountId: user.accountId,
      emailAddress: user.emailAddress,
      displayName: user.displayName,
      active: user.active,
      timeZone: user.timeZone,
      accountType: 'atlassian',
    },
  };
};

const checkLabels = (value: unknown): Check => {
  if (!Array.isArray(value)) return { error: 'data was not an array' };
  for (const label of value) {
    if (typeof label !== 'string' || label === '') return { error: 'Labels must be non-empty strings.' };
    if (/\s/.test(label)) return { error: `The label '${label}' contains spaces which is invalid.` };
    if (label.length > 255) return { error: `The label '${label}' exceeds the maximum length for a single label of 255 characters.` };
  }
  return { value: [...new Set(value as string[])] };
};

const checkPriority = (value: unknown, allowed: Record<string, unknown>[]): Check => {
  const id = isRecord(value) ? idOf(value.id) : undefined;
  const found = isRecord(value) ? allowed.find((p) => (id !== undefined ? p.id === id : p.name === value.name)) : undefined;
  return found ? { value: found } : { error: "Specify a valid 'id' or 'name' for Priority" };
};

const checkComponent = (value: unknown, allowed: Record<string, unknown>[]): Check => {
  const id = isRecord(value) ? idOf(value.id) : undefined;
  if (id !== undefined) {
    const found = allowed.find((c) => c.id === id);
    return found ? { value: found } : { error: `Component with id '${id}' does not exist.` };
  }
  const name = isRecord(value) && typeof value.name === 'string' ? value.name : JSON.stringify(value);
  const found = allowed.find((c) => c.name === name);
  return found ? { value: found } : { error: `Component name '${name}' is not valid` };
};

/** Applies `check` to each item of an array value, stopping at the first refusal as Jira does. */
const each = (value: unknown, check: (item: unknown) => Check): Check => {
  if (!Array.isArray(value)) return { error: 'data was not an array' };
  const out: unknown[] = [];
  for (const item of value) {
    const result = check(item);
    if ('error' in result) return result;
    out.push(result.value);
  }
  return { value: out };
};

const checkValue = (value: unknown, meta: FieldMeta, ctx: FieldCheckContext): Check => {
  const allowed = meta.allowedValues ?? [];
  switch (fieldKind(meta.schema)) {
    case 'string':
      return checkString(value, meta);
    case 'adf': {
      const error = adfError(value);
      return error ? { error } : { value };
    }
    case 'url':
      return checkUrl(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : { error: 'Operation value must be a number' };
    case 'date':
      return typeof value === 'string' && isJiraDate(value) ? { value } : { error: `Error parsing date string: ${String(value)}` };
    case 'datetime':
      return typeof value === 'string' && isJiraDateTime(value) ? { value } : { error: `Error parsing date string: ${String(value)}` };
    case 'option':
      return checkOption(value, allowed);
    case 'options':
      return each(value, (item) => checkOption(item, allowed));
    case 'cascading':
      return checkCascading(value, allowed);
    case 'user':
      return checkUser(value, meta, ctx);
    case 'users':
      return each(value, (item) => checkUser(item, meta, ctx));
    case 'labels':
      return checkLabels(value);
    case 'priority':
      return checkPriority(value, allowed);
    case 'components':
      return each(value, (item) => checkComponent(item, allowed));
    case 'unsupported':
      return { error: `Field '${meta.fieldId}' has a type the simulator cannot set.` };
  }
};

/** What a cleared field reads as afterwards: arrays become empty, the rest null. */
const clearedValue = (meta: FieldMeta): unknown => (meta.schema.type === 'array' ? [] : null);

/**
 * `mode: 'create'` also enforces required fields and fills defaults; on edit
 * only the fields present are checked (a required one may not be cleared).
 * Project and issue type are the caller's business and are not in `input`.
 */
export const validateFields = (input: Record<string, unknown>, metas: FieldMeta[], mode: 'create' | 'edit', ctx: FieldCheckContext): FieldValidation => {
  const screen = metas.filter((m) => m.schema.type !== 'project' && m.schema.type !== 'issuetype');
  const errors: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [fieldId, value] of Object.entries(input)) {
    const meta = screen.find((m) => m.fieldId === fieldId);
    if (!meta) errors[fieldId] = CANNOT_BE_SET(fieldId);
    else if (isEmptyValue(value)) {
      if (meta.required) errors[fieldId] = requiredMessage(meta);
      else values[fieldId] = clearedValue(meta);
    } else {
      const result = checkValue(value, meta, ctx);
      if ('error' in result) errors[fieldId] = result.error;
      else values[fieldId] = result.value;
    }
  }
  if (mode === 'create') {
    for (const meta of screen) {
      if (meta.fieldId in input) continue;
      if (meta.hasDefaultValue) values[meta.fieldId] = meta.defaultValue;
      else if (meta.required) errors[meta.fieldId] = requiredMessage(meta);
    }
  }
  return { errors, values };
};
