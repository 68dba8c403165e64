import type { StoredEvent } from '../db/event-repository.js';
import type { FieldProblem } from '../jira/field-resolver.js';
import type { Decision, FieldMapping } from '../rules/rule-types.js';

/** Where an admin goes to apply a fix. */
export interface FixLink {
  href: string;
  label: string;
}

/** One refused field, with what to change and where. */
export interface ProblemAdvice {
  fieldId: string;
  fieldName: string;
  /** What Jira or the mapping check said, in words. */
  message: string;
  fix: string;
  link: FixLink | null;
}

export interface DeliveryAdvice {
  problems: ProblemAdvice[];
  /** A fix for the whole delivery when no field is to blame (connection, target, unknown). */
  general: { fix: string; link: FixLink | null } | null;
}

/** The pages a fix can point to; routes are given, so this module stays free of web paths. */
export interface AdviceLinks {
  ruleEdit(ruleId: number): string;
  fallbackSettings: string;
  connections: string;
}

/** What advice needs to know about the rule that decided: whether it still exists and its mappings now. */
export interface DecidingRule {
  name: string;
  /** undefined when the rule has been deleted since. */
  mappings: FieldMapping[] | undefined;
}

const NOT_ON_SCREEN = /not on the (?:create|appropriate) screen|cannot be set|no longer on the create screen|has no Labels field/i;
const NOT_ALLOWED = /not (?:one of|among) the allowed values|option may have been removed|renamed or removed/i;
const CONNECTION = /connection is not configured|credentials|unauthori[sz]ed|forbidden|\b40[13]\b|could not be reached|ECONNREFUSED|timed out/i;
const NO_ISSUE_TYPE = /has no issue type/i;

/** The values a "not allowed" message names, e.g. “Sales”. */
const quoted = (message: string): string[] => {
  const head = message.split(/ (?:is|are) not /)[0] ?? '';
  return [...head.matchAll(/“([^”]*)”/g)].map((m) => m[1] ?? '').filter((v) => v !== '');
};

const isMapped = (mappings: FieldMapping[], problem: FieldProblem): boolean => mappings.some((m) => m.fieldId === problem.fieldId || m.fieldId === problem.fieldName);

const forRuleField = (problem: FieldProblem, rule: DecidingRule & { id: number }, decision: Decision, links: AdviceLinks): ProblemAdvice => {
  const base = { fieldId: problem.fieldId, fieldName: problem.fieldName, message: problem.message };
  const where = `${decision.projectKey ?? '?'} / ${decision.issueTypeName ?? decision.issueTypeId ?? '?'}`;
  if (!rule.mappings) {
    return { ...base, fix: `Rule “${rule.name}” has been deleted since. Replay the event to route it through the current rules, or discard it.`, link: null };
  }
  const edit = { href: links.ruleEdit(rule.id), label: `Edit rule “${rule.name}”` };
  const mapped = isMapped(rule.mappings, problem);
  if (problem.fieldId === 'labels' && !mapped && NOT_ON_SCREEN.test(problem.message)) {
    return { ...base, fix: `Ask a Jira admin to add Labels to the create screen of ${where}; Switchyard labels its issues to find them again.`, link: null };
  }
  if (NOT_ON_SCREEN.test(problem.message)) {
    return { ...base, fix: `${problem.fieldName} is not on the create screen of ${where}. Remove the mapping, or ask a Jira admin to add the field to the screen.`, link: edit };
  }
  if (!mapped) return { ...base, fix: `Map ${problem.fieldName} in rule “${rule.name}”: Jira requires it.`, link: edit };
  if (NOT_ALLOWED.test(problem.message)) {
    const values = quoted(problem.message);
    const what = values.length ? values.map((v) => `“${v}”`).join(', ') : 'The value the mapping gives';
    const verb = values.length > 1 ? 'no longer exist' : 'no longer exists';
    return { ...base, fix: `${what} ${verb} in ${problem.fieldName}; edit the mapping.`, link: edit };
  }
  return { ...base, fix: `Edit the ${problem.fieldName} mapping in rule “${rule.name}”.`, link: edit };
};

const generalFix = (event: StoredEvent, rule: (DecidingRule & { id: number }) | undefined, links: AdviceLinks): DeliveryAdvice['general'] => {
  const error = event.error ?? '';
  if (CONNECTION.test(error)) return { fix: 'Check the Jira connection (site URL, email and API token), then retry.', link: { href: links.connections, label: 'Open Connections' } };
  if (NO_ISSUE_TYPE.test(error)) {
    if (rule?.mappings) return { fix: `Rule “${rule.name}” names an issue type its project does not have; choose another in the rule.`, link: { href: links.ruleEdit(rule.id), label: `Edit rule “${rule.name}”` } };
    return { fix: 'The fallback issue type does not exist in the fallback project; change it in the PeopleForce → Jira settings.', link: { href: links.fallbackSettings, label: 'Open the fallback settings' } };
  }
  return { fix: 'Read the error below; retry once its cause is fixed, or discard the delivery if it is no longer needed.', link: null };
};

/**
 * Turns a dead delivery's per-field refusals into what to change and where:
 * a mapped field → edit the mapping, an unmapped one → map it, an option that
 * is gone → name it, a field missing from the screen → remove the mapping or
 * ask a Jira admin. Suggestions come from the deciding rule's mappings as they
 * are now, since that is what a retry will send.
 */
export const adviseDelivery = (event: StoredEvent, rule: (DecidingRule & { id: number }) | undefined, links: AdviceLinks): DeliveryAdvice => {
  const problems = event.problems ?? [];
  const decision = event.decision;
  if (!problems.length || !decision) return { problems: [], general: generalFix(event, rule, links) };
  if (decision.via !== 'rule' || !rule) {
    const settings = { href: links.fallbackSettings, label: 'Open the fallback settings' };
    return {
      problems: problems.map((p) => ({
        fieldId: p.fieldId,
        fieldName: p.fieldName,
        message: p.message,
        fix: NOT_ON_SCREEN.test(p.message)
          ? `The fallback project's create screen lacks ${p.fieldName}; ask a Jira admin to add it, or choose another fallback project or issue type.`
          : `Fallback issues cannot fill ${p.fieldName} in the fallback project; choose another fallback project or issue type, or add a rule that takes these events.`,
        link: settings,
      })),
      general: null,
    };
  }
  return { problems: problems.map((p) => forRuleField(p, rule, decision, links)), general: null };
};
