import { RULE_ACTIONS, type Rule, type RuleAction, type ValidationStatus } from './rule-types.js';

export const RULE_STATUSES: readonly ValidationStatus[] = ['pending', 'validating', 'valid', 'invalid'];

/** The dashboard's search and filters; empty fields do not narrow. */
export interface RuleFilter {
  q: string;
  status: ValidationStatus | '';
  action: RuleAction | '';
  enabled: 'on' | 'off' | '';
}

const MAX_QUERY = 100;

/** Reads the filter from query parameters, ignoring values that are not offered. */
export const parseRuleFilter = (query: Record<string, string | undefined>): RuleFilter => {
  const status = query.status as ValidationStatus;
  const action = query.action as RuleAction;
  return {
    q: (query.q ?? '').trim().slice(0, MAX_QUERY),
    status: RULE_STATUSES.includes(status) ? status : '',
    action: RULE_ACTIONS.includes(action) ? action : '',
    enabled: query.enabled === 'on' || query.enabled === 'off' ? query.enabled : '',
  };
};

export const isFiltered = (f: RuleFilter): boolean => Boolean(f.q || f.status || f.action || f.enabled);

/** The filter as a query string (without "?"), for links and the live refresh. */
export const filterQuery = (f: RuleFilter): string =>
  new URLSearchParams(Object.entries(f).filter(([, v]) => v !== '') as [string, string][]).toString();

/** What the search box looks through: name, target and conditions. */
const searchText = (r: Rule): string =>
  [r.name, r.projectKey, r.issueTypeName, r.boardName, r.action, ...r.eventTypes, ...r.conditions.map((c) => `${c.path} ${c.operator} ${c.value === undefined ? '' : JSON.stringify(c.value)}`)]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();

export const filterRules = (rules: Rule[], f: RuleFilter): Rule[] => {
  if (!isFiltered(f)) return rules;
  const words = f.q.toLowerCase().split(/\s+/).filter(Boolean);
  return rules.filter((r) => {
    if (f.status && r.validationStatus !== f.status) return false;
    if (f.action && r.action !== f.action) return false;
    if (f.enabled && r.enabled !== (f.enabled === 'on')) return false;
    if (!words.length) return true;
    const text = searchText(r);
    return words.every((w) => text.includes(w));
  });
};
