import { systemActor } from '../../../platform/actor.js';
import type { Clock } from '../../../platform/clock.js';
import type { EventBus } from '../../../platform/events.js';
import type { Logger } from '../../../platform/logger.js';
import { isUpstreamError } from '../../../platform/upstream-error.js';
import type { RuleValidationEvent } from './rule-events.js';
import type { RuleService } from './rule-service.js';
import type { Rule } from './rule-types.js';
import { validateRule, type RuleValidationDeps, type RuleValidationResult } from './rule-validator.js';

export interface ValidationRunnerDeps {
  rules: RuleService;
  deps: RuleValidationDeps;
  events: EventBus;
  logger: Logger;
  clock: Clock;
}

export interface ValidationSummary {
  /** Rules whose result was recorded. */
  checked: number;
  valid: number;
  invalid: number;
  /** Ids of the rules turned off because they were invalid. */
  disabled: number[];
  /** Rules not checked this time: Jira was unreachable or busy, or the rule was saved again meanwhile (its own check is queued). */
  skipped: number;
}

/** Where an admin fixes rules; alerts link to it. */
const RULES_PAGE = '/admin/pf-jira/rules';

/**
 * Runs rule validation and records its outcome: one rule after a save, or
 * every enabled rule nightly, when an invalid rule is turned off (it
 * would only produce failing syncs) and an alert says why.
 */
export const createValidationRunner = ({ rules, deps, events, logger, clock }: ValidationRunnerDeps) => {
  const announce = (payload: RuleValidationEvent): void => events.emit('pf-jira.rule.validation', payload);

  /** Validates one rule as it is now; undefined when it changed or vanished before the result could be recorded. */
  const check = async (rule: Rule): Promise<Rule | undefined> => {
    const started = clock.now();
    if (!rules.recordValidation(rule.id, { status: 'validating', errors: rule.validationErrors, version: rule.version })) return undefined;
    announce({ ruleId: rule.id, status: 'validating', errors: rule.validationErrors });
    let result: RuleValidationResult;
    try {
      result = await validateRule(rule, deps);
    } catch (err) {
      // Nothing was learnt about the rule: put back what was known before the check.
      const previous = rule.validationStatus === 'validating' ? 'pending' : rule.validationStatus;
      rules.recordValidation(rule.id, { status: previous, errors: rule.validationErrors, version: rule.version });
      announce({ ruleId: rule.id, status: previous, errors: rule.validationErrors });
      throw err;
    }
    const status = result.valid ? 'valid' : 'invalid';
    const saved = rules.recordValidation(rule.id, { status, errors: result.errors, version: rule.version });
    if (!saved) return undefined;
    announce({ ruleId: rule.id, status, errors: result.errors });
    logger.info({ ruleId: rule.id, version: rule.version, status, sample: result.sample, ms: clock.now() - started }, 'rule validated');
    return saved;
  };

  const disable = (rule: Rule): void => {
    const reasons = rule.validationErrors.join(' ');
    rules.setEnabled(rule.id, false, systemActor, `Nightly validation found it invalid: ${reasons}`);
    events.emit('alert.raised', {
      source: 'pf-jira',
      severity: 'warning',
      title: `Routing rule “${rule.name}” was turned off`,
      message: `Nightly validation found it can no longer create valid Jira issues: ${reasons} Fix the rule, then turn it on again.`,
      link: RULES_PAGE,
    });
    logger.warn({ ruleId: rule.id, version: rule.version, errors: rule.validationErrors }, 'invalid rule disabled');
  };

  return {
    /** Validates a rule after it was saved; a transient Jira error is rethrown so the job retries. */
    async validateOne(ruleId: number): Promise<Rule | undefined> {
      const rule = rules.find(ruleId);
      return rule ? check(rule) : undefined;
    },

    /** The nightly check (validate_routing_rules). Safe to run twice: a second run finds the same results and nothing left to disable. */
    async validateAll(): Promise<ValidationSummary> {
      const summary: ValidationSummary = { checked: 0, valid: 0, invalid: 0, disabled: [], skipped: 0 };
      for (const rule of rules.list()) {
        // DROP rules are checked too (they are always valid) so their badge never stays Pending.
        if (!rule.enabled) continue;
        let checked: Rule | undefined;
        try {
          checked = await check(rule);
        } catch (err) {
          if (!isUpstreamError(err) || !err.transient) throw err;
          logger.warn({ ruleId: rule.id, status: err.status, kind: err.kind }, 'rule validation postponed');
        }
        if (!checked) {
          summary.skipped += 1;
          continue;
        }
        summary.checked += 1;
        if (checked.validationStatus === 'valid') {
          summary.valid += 1;
        } else {
          summary.invalid += 1;
          disable(checked);
          summary.disabled.push(checked.id);
        }
      }
      logger.info({ ...summary }, 'routing rules validated');
      return summary;
    },
  };
};

export type ValidationRunner = ReturnType<typeof createValidationRunner>;
