import type { OpenAPIHono } from '@hono/zod-openapi';
import { apiRoute, apiRouter, jsonBody, jsonRequest } from '../../../api/api-route.js';
import { ERROR_RESPONSES } from '../../../api/schemas/error-schemas.js';
import { pageOfList } from '../../../api/schemas/paging.js';
import { AppError, isAppError } from '../../../errors.js';
import type { AppEnv } from '../../../web/app-env.js';
import type { Engine } from '../engine.js';
import { describeJiraFailure } from '../jira/jira-wait.js';
import { filterRules, parseRuleFilter } from '../rules/rule-filter.js';
import { formValuesOf } from '../rules/rule-form.js';
import { reorderRules } from '../rules/rule-ordering.js';
import type { SampleChoice } from '../rules/rule-preview.js';
import type { Rule } from '../rules/rule-types.js';
import { IdParamSchema, PreviewResultSchema, PreviewSchema, QueuedSchema, ReorderSchema, RuleBodySchema, RuleListQuerySchema, RuleListSchema, RulePageSchema, RuleSchema, RuleUpdateSchema } from './api-schemas.js';

const TAG = 'PeopleForce → Jira: routing rules';
const tags = [TAG];

const listRules = apiRoute('rules:read', {
  method: 'get',
  path: '/rules',
  operationId: 'listRules',
  summary: 'List and search routing rules',
  description: 'In evaluation order, as on the Routing rules page; every filter narrows.',
  tags,
  request: { query: RuleListQuerySchema },
  responses: { 200: jsonBody(RulePageSchema, 'One page of matching rules.') },
});

const getRule = apiRoute('rules:read', {
  method: 'get',
  path: '/rules/{id}',
  operationId: 'getRule',
  summary: 'Read one routing rule',
  tags,
  request: { params: IdParamSchema },
  responses: { 200: jsonBody(RuleSchema, 'The rule, with its version and validation result.') },
});

const createRule = apiRoute('rules:write', {
  method: 'post',
  path: '/rules',
  operationId: 'createRule',
  summary: 'Create a routing rule',
  description: 'Saved as version 1 and audited; a SYNC rule is then checked against Jira in the background (validationStatus).',
  tags,
  request: { body: jsonRequest(RuleBodySchema) },
  responses: { 201: jsonBody(RuleSchema, 'The rule as saved.') },
});

const updateRule = apiRoute('rules:write', {
  method: 'put',
  path: '/rules/{id}',
  operationId: 'updateRule',
  summary: 'Replace a routing rule',
  description: 'Send the whole rule with the version you read. If someone saved it since, the answer is 409 and nothing changes: read it again and reapply your change.',
  tags,
  request: { params: IdParamSchema, body: jsonRequest(RuleUpdateSchema) },
  responses: { 200: jsonBody(RuleSchema, 'The rule as saved, with its new version.'), 409: ERROR_RESPONSES[409] },
});

const deleteRule = apiRoute('rules:write', {
  method: 'delete',
  path: '/rules/{id}',
  operationId: 'deleteRule',
  summary: 'Delete a routing rule',
  description: 'Its saved versions stay, so events it decided still name it.',
  tags,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Deleted.' } },
});

const reorder = apiRoute('rules:write', {
  method: 'post',
  path: '/rules/reorder',
  operationId: 'reorderRules',
  summary: 'Put the rules in a new evaluation order',
  description: 'Priorities become 10, 20, 30… in the order given.',
  tags,
  request: { body: jsonRequest(ReorderSchema) },
  responses: { 200: jsonBody(RuleListSchema, 'Every rule in the new order.'), 409: ERROR_RESPONSES[409] },
});

const setEnabled = (enabled: boolean) =>
  apiRoute('rules:write', {
    method: 'post',
    path: `/rules/{id}/${enabled ? 'enable' : 'disable'}`,
    operationId: enabled ? 'enableRule' : 'disableRule',
    summary: enabled ? 'Turn a routing rule on' : 'Turn a routing rule off',
    description: enabled ? 'The rule is validated again. A rule that is already on is left as it is.' : 'Events skip the rule from now on. A rule that is already off is left as it is.',
    tags,
    request: { params: IdParamSchema },
    responses: { 200: jsonBody(RuleSchema, 'The rule now.') },
  });

const validateRule = apiRoute('rules:write', {
  method: 'post',
  path: '/rules/{id}/validate',
  operationId: 'validateRule',
  summary: 'Check one routing rule against Jira now',
  description: 'Waits for Jira. The result is stored on the rule (validationStatus, validationErrors), as the nightly check does.',
  tags,
  request: { params: IdParamSchema },
  responses: {
    200: jsonBody(RuleSchema, 'The rule with its validation result.'),
    409: ERROR_RESPONSES[409],
    502: { ...ERROR_RESPONSES[500], description: 'Jira could not be asked (upstream_failed); the rule keeps its previous result.' },
  },
});

const validateAll = apiRoute('rules:write', {
  method: 'post',
  path: '/rules/validate',
  operationId: 'validateAllRules',
  summary: 'Check every enabled routing rule against Jira',
  description: 'Queued on the fast pool, as the page’s Validate all; invalid rules are turned off.',
  tags,
  responses: { 202: jsonBody(QueuedSchema, 'The validation job was queued.') },
});

const preview = apiRoute('rules:read', {
  method: 'post',
  path: '/rules/preview',
  operationId: 'previewRule',
  summary: 'Dry-run a draft rule against a recorded event or a pasted record',
  description: 'Which rule would decide with the draft in place, and the Jira create request it would send. Nothing is saved or created.',
  tags,
  request: { body: jsonRequest(PreviewSchema) },
  responses: { 200: jsonBody(PreviewResultSchema, 'The preview.') },
});

const pollNow = apiRoute('sync:run', {
  method: 'post',
  path: '/poll',
  operationId: 'pollPeopleForceNow',
  summary: 'Poll PeopleForce now (Sync now)',
  description: 'Queues one poll whatever the master switch says, as the page’s Sync now.',
  tags: ['PeopleForce → Jira: sync'],
  responses: { 202: jsonBody(QueuedSchema, 'The poll was queued.') },
});

const onOff = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true' ? 'on' : 'off');

/** Routing rules and Sync now, through the services the rules pages call. */
export const ruleApiRoutes = (engine: Engine): OpenAPIHono<AppEnv> =>
  apiRouter()
    .openapi(listRules, (c) => {
      const { limit, offset, enabled, ...query } = c.req.valid('query');
      const filter = parseRuleFilter({ ...query, enabled: onOff(enabled) });
      return c.json(pageOfList(filterRules(engine.rules.list(), filter), { limit, offset }), 200);
    })
    .openapi(createRule, (c) => {
      const { priority, ...input } = c.req.valid('json');
      return c.json(engine.ruleEditor.saveInput({ ...input, priority: priority ?? engine.rules.nextPriority() }, c.var.actor), 201);
    })
    .openapi(reorder, (c) => {
      const { ids, versions } = c.req.valid('json');
      return c.json({ items: reorderRules(engine.rules, ids, versions, c.var.actor) }, 200);
    })
    .openapi(validateAll, async (c) => c.json({ jobId: (await engine.validateAllNow()).id }, 202))
    .openapi(preview, async (c) => {
      const { rule, ruleId, sample } = c.req.valid('json');
      const choice: SampleChoice = 'eventId' in sample ? { kind: 'event', eventId: sample.eventId } : { kind: 'json', text: JSON.stringify(sample.payload), type: sample.type };
      // The preview reads the draft as the editor's form does; formValuesOf only reads the rule's input fields.
      const draft = formValuesOf({ ...rule, priority: rule.priority ?? engine.rules.nextPriority() } as Rule);
      return c.json(await engine.rulePreview.preview(draft, ruleId, choice), 200);
    })
    .openapi(getRule, (c) => c.json(engine.rules.get(c.req.valid('param').id), 200))
    .openapi(updateRule, (c) => {
      const { version, ...input } = c.req.valid('json');
      return c.json(engine.ruleEditor.saveInput(input, c.var.actor, { id: c.req.valid('param').id, version }), 200);
    })
    .openapi(deleteRule, (c) => {
      engine.rules.remove(c.req.valid('param').id, c.var.actor);
      return c.body(null, 204);
    })
    .openapi(setEnabled(true), (c) => c.json(engine.rules.setEnabled(c.req.valid('param').id, true, c.var.actor), 200))
    .openapi(setEnabled(false), (c) => c.json(engine.rules.setEnabled(c.req.valid('param').id, false, c.var.actor), 200))
    .openapi(validateRule, async (c) => {
      const id = c.req.valid('param').id;
      const before = engine.rules.get(id);
      let checked: Rule | undefined;
      try {
        checked = await engine.validation.validateOne(id);
      } catch (err) {
        if (isAppError(err)) throw err;
        throw new AppError(502, 'upstream_failed', `${describeJiraFailure(err)}; rule “${before.name}” keeps its previous validation result.`, { cause: err });
      }
      if (!checked) throw new AppError(409, 'conflict', `Rule “${before.name}” was changed or deleted while it was being checked; its new version is checked on its own.`);
      return c.json(checked, 200);
    })
    .openapi(pollNow, async (c) => c.json({ jobId: (await engine.pollNow()).id }, 202));
