import type { ValidationStatus } from './rule-types.js';

/** A rule's validation started or finished; rule pages listen to refresh its status. */
export interface RuleValidationEvent {
  ruleId: number;
  status: ValidationStatus;
  errors: string[];
}

declare module '../../../platform/events.js' {
  interface EventMap {
    'pf-jira.rule.validation': RuleValidationEvent;
  }
}
