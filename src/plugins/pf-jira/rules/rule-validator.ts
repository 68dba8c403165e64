import { isUpstreamError } from '../../../platform/upstream-error.js';
import type { FieldMeta, IssueTypeMeta } from '../jira/jira-types.js';
import { mappingPayload } from '../sync/mapping-payload.js';
import type { FieldMapping, Rule } from './rule-types.js';
import { compileConditions } from './conditions.js';
import { PathReader } from './jsonpath.js';
import { SYNTHETIC_EMPLOYEE } from './synthetic-employee.js';

export { SYNTHETIC_EMPLOYEE } from './synthetic-employee.js';

export interface RuleValidationDeps {
  /** Throws UpstreamError 404 when the project is gone. */
  issueTypes(projectKey: string): Promise<IssueTypeMeta[]>;
  fields(projectKey: string, issueTypeId: string): Promise<FieldMeta[]>;
  resolveFields(input: { mappings: FieldMapping[]; payload: unknown; fields: FieldMeta[] }): Promise<{ fields: Record<string, unknown>; problems: { fieldId: string; fieldName: string; message: string }[] }>;
  /** Recent real payloads seen for these types (any type when the list is empty), newest first. */
  recentPayloads(eventTypes: string[]): Record<string, unknown>[];
}

export interface RuleValidationResult {
  valid: boolean;
  /** Why the rule cannot create a valid issue, in words an admin can act on. */
  errors: string[];
  /** Which payload the mappings were tried on: a real recorded event, or SYNTHETIC_EMPLOYEE. */
  sample: 'recorded' | 'synthetic';
}

/**
 * An answer about the rule's own target (gone, no access, refused) makes the
 * rule invalid; anything that says nothing about the rule — the network, a
 * timeout, rate limits, 5xx, refused credentials — is rethrown so the check
 * runs again later instead of condemning the rule.
 */
const targetProblem = (err: unknown, gone: string, what: string): string => {
  if (!isUpstreamError(err) || err.transient || err.status === 401) throw err;
  if (err.status === 403 || err.status === 404) return gone;
  return `Jira refused to describe ${what} (${err.status}: ${err.message}).`;
};

/** The sample as the sync engine would see it: the record plus `_event` (see sync/mapping-payload.ts). */
const samplePayload = (rule: Rule, deps: RuleValidationDeps): { payload: Record<string, unknown>; sample: 'recorded' | 'synthetic' } => {
  // The newest payload the rule would actually take: a contractor's record says nothing about an onboarding rule.
  const conditions = compileConditions(rule.conditions, rule.match);
  const recorded = deps.recentPayloads(rule.eventTypes).find((p) => conditions.test(new PathReader(p)));
  const record = recorded ?? SYNTHETIC_EMPLOYEE;
  const type = rule.eventTypes[0] ?? 'employee_update';
  const entityType = type.startsWith('leave_request') ? 'leave_request' : 'employee';
  const occurredAt = typeof record.updated_at === 'string' ? Date.parse(record.updated_at) : Number.NaN;
  const payload = mappingPayload({ source: 'poll', type, entityType, entityId: String(record.id), occurredAt, payload: record });
  return { payload, sample: recorded ? 'recorded' : 'synthetic' };
};

const findIssueType = (rule: Rule, types: IssueTypeMeta[]): IssueTypeMeta | undefined => {
  // By id when the rule has one, as the sync engine does: a same-named replacement type would not be used.
  if (rule.issueTypeId) return types.find((t) => t.id === rule.issueTypeId);
  const name = (rule.issueTypeName ?? '').toLowerCase();
  return types.find((t) => t.name.toLowerCase() === name);
};

const missingIssueType = (rule: Rule, projectKey: string): string =>
  rule.issueTypeId
    ? `Issue type ${rule.issueTypeName ? `“${rule.issueTypeName}” ` : ''}(id ${rule.issueTypeId}) no longer exists in Jira project ${projectKey}; choose the issue type again.`
    : `Jira project ${projectKey} has no issue type “${rule.issueTypeName ?? ''}”; choose the issue type again.`;

/** The sync engine labels every issue to find it again after a crash, so a screen without Labels cannot take its issues. */
const labelsProblem = (fields: FieldMeta[], where: string): string | null =>
  fields.some((f) => f.fieldId === 'labels') ? null : `The create screen of ${where} has no Labels field; Switchyard labels its issues to find them again, so add Labels to the screen.`;

/**
 * Shadow-maps a rule: asks Jira for its project, issue type and create screen,
 * and resolves its mappings against a sample payload, without creating
 * anything. DROP rules create nothing, so they are always valid.
 */
export const validateRule = async (rule: Rule, deps: RuleValidationDeps): Promise<RuleValidationResult> => {
  if (rule.action === 'DROP') return { valid: true, errors: [], sample: 'synthetic' };
  const { payload, sample } = samplePayload(rule, deps);
  const outcome = (errors: string[]): RuleValidationResult => ({ valid: errors.length === 0, errors, sample });
  const projectKey = rule.projectKey;
  if (!projectKey) return outcome(['The rule has no Jira project; choose one.']);

  let types: IssueTypeMeta[];
  try {
    types = await deps.issueTypes(projectKey);
  } catch (err) {
    return outcome([targetProblem(err, `Jira project ${projectKey} no longer exists, or the Jira account has no access to it.`, `project ${projectKey}`)]);
  }
  const issueType = findIssueType(rule, types);
  if (!issueType) return outcome([missingIssueType(rule, projectKey)]);

  const where = `${projectKey} / ${issueType.name}`;
  let fields: FieldMeta[];
  try {
    fields = await deps.fields(projectKey, issueType.id);
  } catch (err) {
    return outcome([targetProblem(err, `Issue type “${issueType.name}” is no longer available in Jira project ${projectKey}.`, `the create screen of ${where}`)]);
  }

  // The resolver the sync engine uses names every field problem (gone from the screen, newly required, option no
  // longer allowed), so validation and a real sync never disagree about a rule.
  const resolved = await deps.resolveFields({ mappings: rule.mappings, payload, fields });
  // Values read from the synthetic sample are invented, so only what does not depend on them counts against the rule.
  const fromPayload = new Set(rule.mappings.filter((m) => m.sourceType !== 'STATIC').map((m) => m.fieldId));
  const problems = sample === 'synthetic' ? resolved.problems.filter((p) => !fromPayload.has(p.fieldId)) : resolved.problems;
  const errors = problems.map((p) => (p.message.includes(p.fieldName) ? p.message : `${p.fieldName}: ${p.message}`));
  const labels = labelsProblem(fields, where);
  return outcome(labels ? [...errors, labels] : errors);
};
