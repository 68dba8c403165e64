import type { ValidationStatus } from './rule-types.js';

/** A rule's validation started or finished; rule pages listen to refresh its status. */
export interface RuleValidationEvent {
  ruleId: number;
  status: ValidationStatus;
  errors: string[];
}

export type RulesChangeAction = 'create' | 'update' | 'delete' | 'enable' | 'disable' | 'reorder';

/** Rules were created, changed, deleted, turned on or off, or reordered (after the change committed). */
export interface RulesChangedEvent {
  action: RulesChangeAction;
  ruleIds: number[];
}

declare module '../../../platform/events.js' {
  interface EventMap {
    'pf-jira.rule.validation': RuleValidationEvent;
    'pf-jira.rules.changed': RulesChangedEvent;
  }
}
