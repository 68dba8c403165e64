import { randomUUID } from 'node:crypto';
import type { FieldErrors } from '../../../errors.js';
import type { StoredEvent } from '../db/event-repository.js';
import type { EntityType } from '../events/envelope.js';
import type { UserLookup } from '../jira/field-resolver.js';
import { describeJiraFailure, withinTimeLimit } from '../jira/jira-wait.js';
import type { FieldMeta, IssueBody, IssueTypeMeta } from '../jira/jira-types.js';
import { WEBHOOK_TOPICS } from '../peopleforce/webhook-parser.js';
import { entityLabel, type PfJiraSettings } from '../settings.js';
import { buildIssueBody } from '../sync/issue-body.js';
import { mappingPayload } from '../sync/mapping-payload.js';
import type { FieldProblem, Resolve } from '../sync/sync-types.js';
import type { RuleEditor } from './rule-editor-service.js';
import { compileRuleSet } from './rule-evaluator.js';
import type { RuleFormValues } from './rule-form.js';
import type { Decision, Rule, RuleInput } from './rule-types.js';

/** How many recorded events the editor offers as samples. */
export const SAMPLE_EVENTS = 20;

export type SampleChoice = { kind: 'event'; eventId: number } | { kind: 'json'; text: string; type: string };

export interface PreviewDecision {
  decision: Decision;
  /** The rule that decided, with its priority, when a rule did. */
  priority: number | null;
  /** Whether the draft is the rule that decided. */
  isDraft: boolean;
}

export interface PreviewResult {
  /** What the sample is, in words ("event 42: employee_create, Ada Lovelace"). */
  sample: string | undefined;
  /** Why the sample could not be used; nothing else is shown then. */
  sampleError: string | undefined;
  /** The draft's field errors; with any, the draft takes no part and has no body. */
  draftErrors: FieldErrors;
  decision: PreviewDecision | undefined;
  /** Why the draft is left out of the decision although it parsed (turned off, wrong event type). */
  draftNote: string | undefined;
  /** The create request the draft would send for this sample. */
  body: IssueBody | undefined;
  /** Every reason Jira would refuse that body, per field. */
  problems: FieldProblem[];
  /** Why Jira's metadata (and so the body) could not be had. */
  jiraError: string | undefined;
}

export interface RulePreviewDeps {
  editor: Pick<RuleEditor, 'check'>;
  rules: { list(): Rule[]; find(id: number): Rule | undefined };
  event(id: number): StoredEvent | undefined;
  /** The newest recorded events, newest first. */
  recentEvents(limit: number): StoredEvent[];
  settings(): PfJiraSettings;
  issueTypes(projectKey: string): Promise<IssueTypeMeta[]>;
  fields(projectKey: string, issueTypeId: string): Promise<FieldMeta[]>;
  resolve: Resolve;
  /** Looks up Jira accounts by email for user fields; undefined while Jira is not configured. */
  users(): UserLookup | undefined;
}

interface Sample {
  label: string;
  source: string;
  type: string;
  entityType: EntityType;
  entityId: string;
  occurredAt: number;
  payload: Record<string, unknown>;
}

/** Whether `prefix` could still begin a JSON text: it parses, or it only fails for ending too soon. */
const validSoFar = (prefix: string): boolean => {
  try {
    JSON.parse(prefix);
    return true;
  } catch (err) {
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    return /Unexpected end of JSON input/.test(message) || (at !== null && Number(at[1]) >= prefix.length);
  }
};

/**
 * Where a paste stops being JSON, as "line 3, column 7": the shortest prefix
 * that can no longer begin a JSON text (V8 names no position for some errors).
 */
const jsonErrorAt = (text: string): string => {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (validSoFar(text.slice(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  if (lo >= text.length) return 'the text ends before the JSON is complete';
  const before = text.slice(0, lo);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `unexpected ${JSON.stringify(text.charAt(lo))} at line ${line}, column ${column}`;
};

const readSample = (choice: SampleChoice, deps: RulePreviewDeps): Sample | string => {
  if (choice.kind === 'event') {
    const event = deps.event(choice.eventId);
    if (!event) return `Event ${choice.eventId} is no longer stored; choose another sample.`;
    const who = typeof event.payload.full_name === 'string' ? `, ${event.payload.full_name}` : '';
    return { label: `event ${event.id}: ${event.type}${who}`, source: event.source, type: event.type, entityType: event.entityType, entityId: event.entityId, occurredAt: event.occurredAt, payload: event.payload };
  }
  if (!choice.text.trim()) return 'Paste a PeopleForce record as JSON, or choose a recorded event.';
  let parsed: unknown;
  try {
    parsed = JSON.parse(choice.text);
  } catch {
    return `The pasted sample is not valid JSON: ${jsonErrorAt(choice.text)}.`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'The pasted sample must be one JSON object (a PeopleForce record, like {"id": 1, "full_name": "…"}).';
  const entityType = WEBHOOK_TOPICS.get(choice.type);
  if (!entityType) return `Choose the event type the pasted record stands for (one of ${[...WEBHOOK_TOPICS.keys()].join(', ')}).`;
  const payload = parsed as Record<string, unknown>;
  const occurred = typeof payload.updated_at === 'string' ? Date.parse(payload.updated_at) : Number.NaN;
  return { label: `pasted ${choice.type} record`, source: 'webhook', type: choice.type, entityType, entityId: String(payload.id ?? 'pasted'), occurredAt: occurred, payload };
};

const asRule = (input: RuleInput, existing: Rule | undefined): Rule => ({
  ...input,
  id: existing?.id ?? 0,
  version: (existing?.version ?? 0) + 1,
  validationStatus: 'pending',
  validationErrors: [],
  validatedAt: null,
  createdAt: 0,
  updatedAt: 0,
});

/**
 * A dry run of the rule editor's draft against one sample: whether the draft
 * parses, which rule would win with the draft in place of the rule being
 * edited, and the exact create request the draft would send, built by the
 * code the sync engine uses. Nothing is written and nothing is created.
 */
export const createRulePreview = (deps: RulePreviewDeps) => {
  const bodyFor = async (input: RuleInput, ruleId: number | undefined, sample: Sample): Promise<Pick<PreviewResult, 'body' | 'problems' | 'jiraError'>> => {
    const projectKey = input.projectKey as string;
    const settings = deps.settings();
    try {
      const issueTypeId = input.issueTypeId ?? (await withinTimeLimit(deps.issueTypes(projectKey))).find((t) => t.name.toLowerCase() === (input.issueTypeName ?? '').toLowerCase())?.id;
      if (!issueTypeId) return { body: undefined, problems: [{ fieldId: 'issuetype', fieldName: 'Issue type', message: `Jira project ${projectKey} has no issue type “${input.issueTypeName ?? ''}”.` }], jiraError: undefined };
      const screen = await withinTimeLimit(deps.fields(projectKey, issueTypeId));
      const payload = mappingPayload({ source: sample.source, type: sample.type, entityType: sample.entityType, entityId: sample.entityId, occurredAt: sample.occurredAt, payload: sample.payload });
      const users = deps.users();
      const resolved = await withinTimeLimit(deps.resolve({ mappings: input.mappings, payload, fields: screen, ...(users ? { users } : {}) }));
      const entityKey = `${sample.entityType}:${sample.entityId}`;
      const built = buildIssueBody({
        resolved,
        screen,
        mode: 'create',
        projectKey,
        issueTypeId,
        engineLabels: [settings.trackingLabel, entityLabel(settings.entityLabelPrefix, entityKey)],
        propertyKey: settings.issuePropertyKey,
        property: { entityKey, scope: ruleId === undefined ? 'rule:new' : `rule:${ruleId}`, clientToken: randomUUID(), source: 'switchyard' },
      });
      return { body: built.body, problems: built.problems, jiraError: undefined };
    } catch (err) {
      return { body: undefined, problems: [], jiraError: `${describeJiraFailure(err)}. The request body needs the project's create screen; try Preview again when Jira answers.` };
    }
  };

  return {
    /** The recorded events an admin can preview against, labelled for a picker. */
    samples(): { id: number; label: string }[] {
      return deps.recentEvents(SAMPLE_EVENTS).map((e) => {
        const who = typeof e.payload.full_name === 'string' ? e.payload.full_name : `${e.entityType.replace('_', ' ')} ${e.entityId}`;
        return { id: e.id, label: `#${e.id} · ${e.type} · ${who} · ${new Date(e.receivedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` };
      });
    },

    async preview(values: RuleFormValues, ruleId: number | undefined, choice: SampleChoice): Promise<PreviewResult> {
      const empty: PreviewResult = { sample: undefined, sampleError: undefined, draftErrors: {}, decision: undefined, draftNote: undefined, body: undefined, problems: [], jiraError: undefined };
      const sample = readSample(choice, deps);
      if (typeof sample === 'string') return { ...empty, sampleError: sample };

      const { input, errors } = deps.editor.check(values, ruleId);
      const existing = ruleId === undefined ? undefined : deps.rules.find(ruleId);
      const others = deps.rules.list().filter((r) => r.id !== ruleId);
      const draft = input ? asRule(input, existing) : undefined;
      const settings = deps.settings();
      const decision = compileRuleSet(draft ? [...others, draft] : others).evaluate(
        { type: sample.type, payload: sample.payload },
        { noMatchAction: settings.noMatchAction, fallbackProject: settings.fallbackProjects[0], fallbackIssueType: settings.fallbackIssueType },
      );
      const winner = decision.via === 'rule' ? (draft && decision.ruleId === draft.id ? draft : others.find((r) => r.id === decision.ruleId)) : undefined;
      const result: PreviewResult = {
        ...empty,
        sample: sample.label,
        draftErrors: errors,
        decision: { decision, priority: winner?.priority ?? null, isDraft: winner !== undefined && winner === draft },
      };
      if (!input) return { ...result, draftNote: 'The draft has problems (listed above), so the decision is made without it.' };
      if (!input.enabled) result.draftNote = 'The draft is turned off, so it takes no part in routing.';
      else if (input.eventTypes.length && !input.eventTypes.includes(sample.type)) result.draftNote = `The draft does not consider ${sample.type} events (it takes ${input.eventTypes.join(', ')}).`;
      if (input.action === 'DROP') return { ...result, draftNote: result.draftNote ?? 'The draft is a DROP rule: it creates no issue, so there is no request body.' };
      return { ...result, ...(await bodyFor(input, ruleId, sample)) };
    },
  };
};

export type RulePreview = ReturnType<typeof createRulePreview>;
