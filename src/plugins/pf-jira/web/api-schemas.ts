import { z } from '@hono/zod-openapi';
import { pageSchema, pagingQuery } from '../../../api/schemas/paging.js';
import { EVENT_STATUSES } from '../db/event-repository.js';
import { RULE_STATUSES } from '../rules/rule-filter.js';
import { OPERATORS, RULE_ACTIONS, SOURCE_TYPES } from '../rules/rule-types.js';

/* Request and answer shapes of /api/v1/pf-jira. Rule bodies are checked for shape here and for meaning by the rule service (parseRuleInput), which answers with per-field messages. */

const epochMs = (description = 'Epoch milliseconds.') => z.number().int().openapi({ description });

const ConditionSchema = z
  .strictObject({
    path: z.string().openapi({ description: 'JSONPath into the event payload.', example: '$.department.name' }),
    operator: z.enum(OPERATORS),
    value: z
      .union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))])
      .optional()
      .openapi({ description: 'A list for in / not_in; left out for exists / not_exists.' }),
  })
  .openapi('RuleCondition');

const MappingSchema = z
  .strictObject({
    fieldId: z.string().openapi({ example: 'summary' }),
    sourceType: z.enum(SOURCE_TYPES),
    value: z.string().openapi({ description: 'STATIC: the value; PF_PAYLOAD: a JSONPath; TEMPLATE: text with {{ path }} placeholders.', example: 'Onboard {{ full_name }}' }),
  })
  .openapi('FieldMapping');

const ruleFields = {
  name: z.string().openapi({ example: 'New hires → IT onboarding' }),
  priority: z.number().int().optional().openapi({ description: 'Lower runs first; each rule has its own. Left out: after every existing rule.' }),
  enabled: z.boolean().default(true),
  action: z.enum(RULE_ACTIONS).openapi({ description: 'SYNC creates or updates a Jira issue; DROP ignores the event.' }),
  eventTypes: z.array(z.string()).default([]).openapi({ description: 'Empty: every event type.', example: ['employee_create'] }),
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(ConditionSchema).default([]),
  projectKey: z.string().nullable().default(null).openapi({ description: 'Required for SYNC.', example: 'IT' }),
  issueTypeId: z.string().nullable().default(null),
  issueTypeName: z.string().nullable().default(null).openapi({ description: 'For SYNC, give the issue type id or its name.' }),
  boardId: z.number().int().nullable().default(null),
  boardName: z.string().nullable().default(null),
  mappings: z.array(MappingSchema).default([]),
};

export const RuleBodySchema = z.strictObject(ruleFields).openapi('RuleInput');

export const RuleUpdateSchema = z
  .strictObject({
    ...ruleFields,
    priority: z.number().int().openapi({ description: 'Lower runs first; each rule has its own.' }),
    version: z.number().int().positive().openapi({ description: 'The version you read; if the rule was saved since, the answer is 409 and nothing changes.' }),
  })
  .openapi('RuleUpdate');

const DecisionSchema = z
  .object({
    action: z.enum(RULE_ACTIONS),
    via: z.enum(['rule', 'fallback', 'no_match']),
    ruleId: z.number().int().nullable(),
    ruleVersion: z.number().int().nullable(),
    ruleName: z.string().nullable(),
    projectKey: z.string().nullable(),
    issueTypeId: z.string().nullable(),
    issueTypeName: z.string().nullable(),
    reason: z.string(),
  })
  .openapi('Decision');

export const RuleSchema = z
  .object({
    id: z.number().int(),
    version: z.number().int(),
    name: z.string(),
    priority: z.number().int(),
    enabled: z.boolean(),
    action: z.enum(RULE_ACTIONS),
    eventTypes: z.array(z.string()),
    match: z.enum(['all', 'any']),
    conditions: z.array(z.object({ path: z.string(), operator: z.enum(OPERATORS), value: z.unknown().optional() })),
    projectKey: z.string().nullable(),
    issueTypeId: z.string().nullable(),
    issueTypeName: z.string().nullable(),
    boardId: z.number().int().nullable(),
    boardName: z.string().nullable(),
    mappings: z.array(z.object({ fieldId: z.string(), sourceType: z.enum(SOURCE_TYPES), value: z.string() })),
    validationStatus: z.enum(RULE_STATUSES as ['pending', 'validating', 'valid', 'invalid']).openapi({ description: 'The result of checking the rule against Jira.' }),
    validationErrors: z.array(z.string()),
    validatedAt: epochMs().nullable(),
    createdAt: epochMs(),
    updatedAt: epochMs(),
  })
  .openapi('Rule');

export const RulePageSchema = pageSchema(RuleSchema, 'RulePage');

export const RuleListQuerySchema = z.strictObject({
  q: z.string().max(100).optional().openapi({ description: 'Words matched in the name, target and conditions.' }),
  status: z.enum(RULE_STATUSES as ['pending', 'validating', 'valid', 'invalid']).optional(),
  action: z.enum(RULE_ACTIONS).optional(),
  enabled: z.enum(['true', 'false']).optional(),
  ...pagingQuery,
});

export const IdParamSchema = z.object({
  id: z.coerce.number().int().positive().max(999_999_999_999).openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export const ReorderSchema = z
  .strictObject({
    ids: z.array(z.number().int().positive()).min(1).openapi({ description: 'Every rule id once, in the new order.' }),
    versions: z.array(z.number().int().positive()).optional().openapi({ description: 'The versions you read, in the same order: a rule changed since answers 409.' }),
  })
  .openapi('RuleOrder');

export const RuleListSchema = z.object({ items: z.array(RuleSchema) }).openapi('RuleList');

export const RuleCheckSchema = z
  .strictObject({ rule: RuleBodySchema, ruleId: z.number().int().positive().optional().openapi({ description: 'The rule being edited, if any (its own priority is then free).' }) })
  .openapi('RuleCheckRequest');

export const RuleCheckResultSchema = z
  .object({
    valid: z.boolean(),
    errors: z.record(z.string(), z.string()).openapi({ description: 'Each problem by field (name, conditions.0.path, projectKey, …), as the rule editor shows them.' }),
  })
  .openapi('RuleCheckResult');

export const PreviewSchema = z
  .strictObject({
    rule: RuleBodySchema,
    ruleId: z.number().int().positive().optional().openapi({ description: 'The rule the draft replaces, if any.' }),
    sample: z.union([
      z.strictObject({ eventId: z.number().int().positive().openapi({ description: 'A recorded event.' }) }),
      z.strictObject({
        type: z.string().openapi({ description: 'The event type the pasted record stands for.', example: 'employee_create' }),
        payload: z.record(z.string(), z.unknown()).openapi({ description: 'A PeopleForce record, as the webhook sends it.' }),
      }),
    ]),
  })
  .openapi('RulePreviewRequest');

const FieldProblemSchema = z.object({ fieldId: z.string(), fieldName: z.string(), message: z.string() }).openapi('FieldProblem');

export const PreviewResultSchema = z
  .object({
    sample: z.string().optional().openapi({ description: 'What the sample is, in words.' }),
    sampleError: z.string().optional().openapi({ description: 'Why the sample could not be used; nothing else is given then.' }),
    draftErrors: z.record(z.string(), z.string()),
    decision: z.object({ decision: DecisionSchema, priority: z.number().int().nullable(), isDraft: z.boolean() }).optional(),
    draftNote: z.string().optional(),
    body: z.record(z.string(), z.unknown()).optional().openapi({ description: 'The Jira create request the draft would send.' }),
    problems: z.array(FieldProblemSchema),
    jiraError: z.string().optional(),
  })
  .openapi('RulePreview');

export const QueuedSchema = z.object({ jobId: z.number().int().openapi({ description: 'The queued job; follow it under /api/v1/jobs.' }) }).openapi('Queued');

export const EventSchema = z
  .object({
    id: z.number().int(),
    source: z.enum(['webhook', 'poll', 'replay']),
    type: z.string(),
    entityType: z.enum(['employee', 'leave_request']),
    entityId: z.string(),
    occurredAt: epochMs('When PeopleForce says the change happened (epoch ms).'),
    payload: z.record(z.string(), z.unknown()),
    receivedAt: epochMs(),
    status: z.enum(EVENT_STATUSES),
    decision: DecisionSchema.nullable(),
    scope: z.string().nullable(),
    issueKey: z.string().nullable(),
    error: z.string().nullable(),
    problems: z.array(FieldProblemSchema).nullable(),
    correlationId: z.string().nullable(),
    updatedAt: epochMs(),
  })
  .openapi('Event');

export const EventListQuerySchema = z.strictObject({
  status: z.enum(EVENT_STATUSES).optional(),
  type: z.string().max(100).optional(),
  person: z.string().max(100).optional().openapi({ description: 'A PeopleForce id, or part of a name or email.' }),
  rule: z.coerce.number().int().positive().optional().openapi({ description: 'Events decided by this rule.' }),
  before: z.coerce.number().int().positive().optional().openapi({ description: 'Events older than this id: pass nextBefore from the previous page.' }),
});

export const EventPageSchema = z
  .object({
    items: z.array(EventSchema),
    nextBefore: z.number().int().nullable().openapi({ description: 'Pass as `before` for the next (older) page; null on the last page.' }),
  })
  .openapi('EventPage', { description: 'Newest first. The log grows while you read it, so it pages by id, not by offset.' });

const AdviceSchema = z
  .object({
    problems: z.array(z.object({ fieldId: z.string(), fieldName: z.string(), message: z.string(), fix: z.string(), link: z.object({ href: z.string(), label: z.string() }).nullable() })),
    general: z.object({ fix: z.string(), link: z.object({ href: z.string(), label: z.string() }).nullable() }).nullable(),
  })
  .openapi('DeliveryAdvice');

const LinkSchema = z
  .object({
    id: z.number().int(),
    entityKey: z.string(),
    scope: z.string(),
    projectKey: z.string(),
    state: z.enum(['pending', 'linked']),
    issueId: z.string().nullable(),
    issueKey: z.string().nullable(),
    ruleId: z.number().int().nullable(),
    ruleVersion: z.number().int().nullable(),
    createdAt: epochMs(),
    updatedAt: epochMs(),
  })
  .openapi('IssueLink');

export const EventTraceSchema = z
  .object({
    event: EventSchema,
    decidedBy: z
      .object({ ruleId: z.number().int(), version: z.number().int(), name: z.string(), snapshot: z.record(z.string(), z.unknown()).nullable(), currentVersion: z.number().int().nullable() })
      .nullable(),
    advice: AdviceSchema.nullable(),
    links: z.array(LinkSchema),
    replays: z.array(EventSchema),
    replayOf: z.number().int().nullable(),
    syncJob: z
      .object({ id: z.number().int(), state: z.enum(['queued', 'running', 'retrying', 'dead']), attempts: z.number().int(), maxAttempts: z.number().int(), runAt: epochMs(), lastError: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The sync job of this person and scope while it exists (it is removed when it succeeds).' }),
  })
  .openapi('EventTrace');

export const ReplaySchema = z
  .object({ eventId: z.number().int().openapi({ description: 'The new event (source "replay").' }), firstDecision: DecisionSchema.nullable() })
  .openapi('Replay');

const deadFilterFields = {
  person: z.string().max(100).optional().openapi({ description: 'A PeopleForce id, or part of a name or email.' }),
  rule: z.number().int().positive().optional(),
  project: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'Use a Jira project key.').optional(),
  error: z.string().max(200).optional().openapi({ description: 'Part of the error or of a field problem.' }),
};

export const DeadLetterQuerySchema = z.strictObject({
  person: deadFilterFields.person,
  rule: z.coerce.number().int().positive().optional(),
  project: deadFilterFields.project,
  error: deadFilterFields.error,
  page: z.coerce.number().int().min(1).max(100_000).default(1).openapi({ description: 'Page number, from 1.' }),
});

export const DeadDeliverySchema = z
  .object({
    id: z.number().int().openapi({ description: 'The newest dead event’s id: acting on it acts on the whole delivery.' }),
    entityType: z.string(),
    entityId: z.string(),
    scope: z.string(),
    person: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
    events: z.array(EventSchema),
    decision: DecisionSchema.nullable(),
    rule: z.object({ id: z.number().int(), name: z.string(), version: z.number().int().nullable(), currentVersion: z.number().int().nullable() }).nullable(),
    diedAt: epochMs(),
    attempts: z.object({ made: z.number().int(), max: z.number().int() }).nullable(),
    advice: AdviceSchema,
    supersededBy: z.number().int().nullable().openapi({ description: 'A later synced event of the same person and scope: retrying would send older data.' }),
  })
  .openapi('DeadDelivery');

export const DeadLetterPageSchema = z
  .object({
    items: z.array(DeadDeliverySchema),
    total: z.number().int().openapi({ description: 'Dead deliveries matching, across pages.' }),
    totalEvents: z.number().int().openapi({ description: 'Dead events in them.' }),
    page: z.number().int(),
    pages: z.number().int(),
  })
  .openapi('DeadLetterPage', { description: 'A page of dead deliveries, as the dead-letter page shows them.' });

export const DeadIdsSchema = z
  .strictObject({ ids: z.array(z.number().int().positive()).min(1).max(1000).openapi({ description: 'Dead event ids; any dead event of a delivery chooses the whole delivery.' }) })
  .openapi('DeadLetterIds');

export const DeadFilterBodySchema = z
  .strictObject({ filter: z.strictObject(deadFilterFields).default({}).openapi({ description: 'Empty means every dead delivery.' }) })
  .openapi('DeadLetterFilter');

export const DeadResultSchema = z
  .object({ deliveries: z.number().int().openapi({ description: 'Deliveries this request changed.' }), events: z.number().int() })
  .openapi('DeadLetterResult');
