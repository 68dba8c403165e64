import type { FieldMeta } from './jira-types.js';

/**
 * What a create-screen field takes, read from its createmeta `schema`
 * (contracts/jira-cloud.md, "Field value formats"). The kind decides how a
 * mapped value is coerced.
 */
export type FieldKind =
  | 'richtext'
  | 'singleLine'
  | 'string'
  | 'number'
  | 'date'
  | 'datetime'
  | 'url'
  | 'option'
  | 'options'
  | 'cascading'
  | 'labels'
  | 'named'
  | 'namedList'
  | 'user'
  | 'users'
  | 'parent'
  | 'passthrough';

const SINGLE_VALUE_BY_TYPE: Record<string, FieldKind> = {
  string: 'string',
  number: 'number',
  date: 'date',
  datetime: 'datetime',
  option: 'option',
  'option-with-child': 'cascading',
  user: 'user',
  priority: 'named',
  component: 'named',
  version: 'named',
  securitylevel: 'named',
  issuetype: 'named',
};

const ARRAY_BY_ITEMS: Record<string, FieldKind> = {
  option: 'options',
  string: 'labels',
  user: 'users',
  component: 'namedList',
  version: 'namedList',
};

export const fieldKind = (field: FieldMeta): FieldKind => {
  const { type, items, system, custom } = field.schema;
  if (system === 'description' || system === 'environment' || custom?.endsWith(':textarea')) return 'richtext';
  if (system === 'summary' || custom?.endsWith(':textfield')) return 'singleLine';
  if (custom?.endsWith(':url')) return 'url';
  if (system === 'parent') return 'parent';
  const known = type === 'array' ? ARRAY_BY_ITEMS[items ?? ''] : SINGLE_VALUE_BY_TYPE[type];
  if (known) return known;
  // Types we have no rule for still work when Jira lists their choices.
  return (field.allowedValues?.length ?? 0) > 0 ? 'named' : 'passthrough';
};

/** Kinds that take a list, so a JSONPath may select several values for them. */
export const takesList = (kind: FieldKind): boolean => kind === 'options' || kind === 'labels' || kind === 'users' || kind === 'namedList';
