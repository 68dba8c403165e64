import type { RuleSnapshot, RuleVersion } from './rule-types.js';

/** One saved version and what it changed compared with the version before it. */
export interface RuleVersionChange extends RuleVersion {
  changes: string[];
}

const LABELS: [keyof RuleSnapshot, string][] = [
  ['name', 'name'],
  ['priority', 'priority'],
  ['enabled', 'on/off'],
  ['action', 'action'],
  ['eventTypes', 'event types'],
  ['match', 'match all/any'],
  ['conditions', 'conditions'],
  ['projectKey', 'project'],
  ['issueTypeId', 'issue type'],
  ['boardId', 'board'],
  ['mappings', 'field mappings'],
];

/** Short values are worth showing as before → after; lists and objects are just named. */
const shown = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'string' || typeof value === 'number') return String(value).length <= 40 ? String(value) : undefined;
  return undefined;
};

const describe = (before: RuleSnapshot, after: RuleSnapshot): string[] => {
  const changes: string[] = [];
  for (const [key, label] of LABELS) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    const from = shown(before[key]);
    const to = shown(after[key]);
    changes.push(from !== undefined && to !== undefined ? `${label}: ${from} → ${to}` : label);
  }
  return changes.length ? changes : ['no visible change'];
};

/** Versions newest first (as the service lists them), each with what it changed. */
export const versionChanges = (versions: RuleVersion[]): RuleVersionChange[] =>
  versions.map((v, i) => {
    const previous = versions[i + 1];
    return { ...v, changes: previous ? describe(previous.snapshot, v.snapshot) : v.version === 1 ? ['created'] : ['first version on record'] };
  });
