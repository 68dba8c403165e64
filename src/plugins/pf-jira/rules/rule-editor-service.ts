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

/** A raw input field as text, whether it came from a form (strings) or from the API (numbers, nulls). */
const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value).trim());

/**
 * The rule editor's save and check, shared by the editor and the REST API: a
 * draft is read like any rule, and a target the Jira account cannot see is
 * refused before anything is saved. Names shown beside an issue type or board
 * id are taken from Jira's cached lists, so the saved rule names what was picked.
 */
export const createRuleEditor = (deps: { rules: Pick<RuleService, 'create' | 'update' | 'priorityHolder'>; jira: EditorJira }) => {
  const withCachedNames = (raw: Record<string, unknown>): Record<string, unknown> => {
    const key = text(raw.projectKey);
    const typeId = text(raw.issueTypeId);
    if (key && typeId) {
      const type = deps.jira.issueTypes(key)?.find((t) => t.id === typeId);
      if (type) raw.issueTypeName = type.name;
    }
    const boardId = text(raw.boardId);
    if (key && /^\d+$/.test(boardId)) {
      const board = deps.jira.boards(key)?.find((b) => b.id === Number(boardId));
      if (board) raw.boardName = board.name;
    } else if (!boardId) raw.boardName = '';
    return raw;
  };

  const formInput = (values: RuleFormValues): Record<string, unknown> => withCachedNames(ruleInputOf(withoutBlankRows(values)));

  const holderFor = (ruleId: number | undefined) => (priority: number) => deps.rules.priorityHolder(priority, ruleId);

  const targetOf = (raw: Record<string, unknown>): FieldErrors =>
    text(raw.action) === 'SYNC' ? targetErrors({ projectKey: text(raw.projectKey), boardId: text(raw.boardId) }, deps.jira) : {};

  const checkRaw = (raw: Record<string, unknown>, ruleId: number | undefined): DraftCheck => {
    const target = targetOf(raw);
    try {
      const input = parseRuleInput(raw, holderFor(ruleId));
      return Object.keys(target).length ? { input: undefined, errors: target } : { input, errors: {} };
    } catch (err) {
      if (isAppError(err) && err.fieldErrors) return { input: undefined, errors: { ...err.fieldErrors, ...target } };
      throw err;
    }
  };

  const store = (raw: Record<string, unknown>, actor: Actor, existing: { id: number; version: number } | undefined): Rule => {
    if (Object.keys(targetOf(raw)).length) throw validationError('The rule has problems; nothing was saved.', checkRaw(raw, existing?.id).errors);
    return existing ? deps.rules.update(existing.id, raw, actor, existing.version) : deps.rules.create(raw, actor);
  };

  const check = (values: RuleFormValues, ruleId: number | undefined): DraftCheck => checkRaw(formInput(values), ruleId);

  return {
    check,

    /** Names (and whether required) of the fields on the draft's create screen, when it is cached: never a Jira call. */
    fieldInfo(values: RuleFormValues): Record<string, { name: string; required: boolean }> {
      const typeId = values.issueTypeId || deps.jira.issueTypes(values.projectKey)?.find((t) => t.name.toLowerCase() === values.issueTypeName.toLowerCase())?.id;
      const screen = values.projectKey && typeId ? deps.jira.fields(values.projectKey, typeId) : undefined;
      return Object.fromEntries((screen ?? []).map((f) => [f.fieldId, { name: f.name, required: f.required && !f.hasDefaultValue }]));
    },

    /** Creates the rule, or replaces version `version` of rule `id`, from the editor's form; conflicts and field errors are thrown as AppErrors. */
    save(values: RuleFormValues, actor: Actor, existing?: { id: number; version: number }): Rule {
      return store(formInput(values), actor, existing);
    },

    /** The same save for a rule given as data (the REST API), which the rule service reads as it reads the form. */
    saveInput(input: Record<string, unknown>, actor: Actor, existing?: { id: number; version: number }): Rule {
      return store(withCachedNames({ ...input }), actor, existing);
    },
  };
};

export type RuleEditor = ReturnType<typeof createRuleEditor>;
