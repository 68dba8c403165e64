import { isAppError, validationError, type FieldErrors } from '../../../errors.js';
import type { Actor } from '../../../platform/actor.js';
import type { FieldMeta, IssueTypeMeta } from '../jira/jira-types.js';
import { ruleInputOf, withoutBlankRows, type RuleFormValues } from './rule-form.js';
import { parseRuleInput } from './rule-input.js';
import type { RuleService } from './rule-service.js';
import { targetErrors, type CachedJira } from './rule-target-check.js';
import type { Rule, RuleInput } from './rule-types.js';

export interface EditorJira extends CachedJira {
  issueTypes(projectKey: string): IssueTypeMeta[] | undefined;
  fields(projectKey: string, issueTypeId: string): FieldMeta[] | undefined;
}

export interface DraftCheck {
  /** The draft as the rule service reads it; undefined while it has field errors. */
  input: RuleInput | undefined;
  /** Every problem, keyed like the form (name, conditions.2.path, projectKey, …). */
  errors: FieldErrors;
}

/**
 * The rule editor's save and check: the form's draft is read like any rule,
 * and a target the Jira account cannot see is refused before anything is
 * saved. Names shown beside an issue type or board id are taken from Jira's
 * cached lists, so the saved rule names what the admin picked.
 */
export const createRuleEditor = (deps: { rules: Pick<RuleService, 'create' | 'update' | 'priorityHolder'>; jira: EditorJira }) => {
  const rawInput = (values: RuleFormValues): Record<string, unknown> => {
    const raw = ruleInputOf(withoutBlankRows(values));
    const key = values.projectKey;
    if (key && values.issueTypeId) {
      const type = deps.jira.issueTypes(key)?.find((t) => t.id === values.issueTypeId);
      if (type) raw.issueTypeName = type.name;
    }
    if (key && /^\d+$/.test(values.boardId)) {
      const board = deps.jira.boards(key)?.find((b) => b.id === Number(values.boardId));
      if (board) raw.boardName = board.name;
    } else if (!values.boardId) raw.boardName = '';
    return raw;
  };

  const holderFor = (ruleId: number | undefined) => (priority: number) => deps.rules.priorityHolder(priority, ruleId);

  const check = (values: RuleFormValues, ruleId: number | undefined): DraftCheck => {
    const raw = rawInput(values);
    const target = values.action === 'SYNC' ? targetErrors({ projectKey: values.projectKey, boardId: values.boardId }, deps.jira) : {};
    try {
      const input = parseRuleInput(raw, holderFor(ruleId));
      return Object.keys(target).length ? { input: undefined, errors: target } : { input, errors: {} };
    } catch (err) {
      if (isAppError(err) && err.fieldErrors) return { input: undefined, errors: { ...err.fieldErrors, ...target } };
      throw err;
    }
  };

  const refuse = (errors: FieldErrors): never => {
    throw validationError('The rule has problems; nothing was saved.', errors);
  };

  return {
    check,

    /** Names (and whether required) of the fields on the draft's create screen, when it is cached: never a Jira call. */
    fieldInfo(values: RuleFormValues): Record<string, { name: string; required: boolean }> {
      const typeId = values.issueTypeId || deps.jira.issueTypes(values.projectKey)?.find((t) => t.name.toLowerCase() === values.issueTypeName.toLowerCase())?.id;
      const screen = values.projectKey && typeId ? deps.jira.fields(values.projectKey, typeId) : undefined;
      return Object.fromEntries((screen ?? []).map((f) => [f.fieldId, { name: f.name, required: f.required && !f.hasDefaultValue }]));
    },

    /** Creates the rule, or replaces version `version` of rule `id`; conflicts and field errors are thrown as AppErrors. */
    save(values: RuleFormValues, actor: Actor, existing?: { id: number; version: number }): Rule {
      const target = values.action === 'SYNC' ? targetErrors({ projectKey: values.projectKey, boardId: values.boardId }, deps.jira) : {};
      if (Object.keys(target).length) refuse(check(values, existing?.id).errors);
      const raw = rawInput(values);
      return existing ? deps.rules.update(existing.id, raw, actor, existing.version) : deps.rules.create(raw, actor);
    },
  };
};

export type RuleEditor = ReturnType<typeof createRuleEditor>;
