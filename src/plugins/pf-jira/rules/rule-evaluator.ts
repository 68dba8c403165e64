import { compileConditions, type CompiledConditions } from './conditions.js';
import { PathReader } from './jsonpath.js';
import type { Decision, Rule } from './rule-types.js';

export interface FallbackTarget {
  noMatchAction: 'fallback' | 'drop';
  /** The first fallback project in settings, if any. */
  fallbackProject: string | undefined;
  fallbackIssueType: string;
}

export interface RoutableEvent {
  type: string;
  payload: unknown;
}

export interface CompiledRuleSet {
  evaluate(event: RoutableEvent, fallback: FallbackTarget): Decision;
  /** How many enabled rules the set holds. */
  readonly size: number;
}

interface CompiledRule {
  rule: Rule;
  /** Null: the rule considers every event type. */
  types: ReadonlySet<string> | null;
  conditions: CompiledConditions;
}

const ruleTitle = (rule: Rule): string => `Rule “${rule.name}” v${rule.version}`;

const ruleDecision = (rule: Rule, detail: string): Decision => ({
  action: rule.action,
  via: 'rule',
  ruleId: rule.id,
  ruleVersion: rule.version,
  ruleName: rule.name,
  projectKey: rule.action === 'SYNC' ? rule.projectKey : null,
  issueTypeId: rule.action === 'SYNC' ? rule.issueTypeId : null,
  issueTypeName: rule.action === 'SYNC' ? rule.issueTypeName : null,
  reason: rule.action === 'SYNC' ? `${ruleTitle(rule)} matched: ${detail}` : `${ruleTitle(rule)} matched, so the event is dropped: ${detail}`,
});

const unmatched = (considered: number, fallback: FallbackTarget): Decision => {
  const none = considered ? `No rule matched (${considered} considered this event type)` : 'No rule considers this event type';
  const base = { ruleId: null, ruleVersion: null, ruleName: null, issueTypeId: null };
  if (fallback.noMatchAction === 'fallback' && fallback.fallbackProject) {
    return { ...base, action: 'SYNC', via: 'fallback', projectKey: fallback.fallbackProject, issueTypeName: fallback.fallbackIssueType, reason: `${none}, so it goes to the fallback project ${fallback.fallbackProject}.` };
  }
  const why = fallback.noMatchAction === 'drop' ? 'the settings say to drop unmatched events' : 'no fallback project is set';
  return { ...base, action: 'DROP', via: 'no_match', projectKey: null, issueTypeName: null, reason: `${none}, and ${why}.` };
};

/**
 * Compiles rules once for many evaluations: enabled rules only, in ascending
 * priority; the first rule that considers the event's type and whose
 * conditions hold decides. One PathReader per event means a path shared by
 * many rules is read once.
 */
export const compileRuleSet = (rules: Rule[]): CompiledRuleSet => {
  const compiled: CompiledRule[] = rules
    .filter((r) => r.enabled)
    .sort((a, b) => a.priority - b.priority)
    .map((rule) => ({ rule, types: rule.eventTypes.length ? new Set(rule.eventTypes) : null, conditions: compileConditions(rule.conditions, rule.match) }));

  return {
    size: compiled.length,
    evaluate(event, fallback) {
      const reader = new PathReader(event.payload);
      let considered = 0;
      for (const c of compiled) {
        if (c.types && !c.types.has(event.type)) continue;
        considered += 1;
        // Only the deciding rule's reason is worth putting into words.
        if (c.conditions.test(reader)) return ruleDecision(c.rule, c.conditions(reader).detail);
      }
      return unmatched(considered, fallback);
    },
  };
};
