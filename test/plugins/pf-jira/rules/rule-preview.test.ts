import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { systemActor } from '../../../../src/platform/actor.js';
import { createJiraClient } from '../../../../src/plugins/pf-jira/jira/jira-client.js';
import { resolveFields } from '../../../../src/plugins/pf-jira/jira/field-resolver.js';
import { createRuleEditor } from '../../../../src/plugins/pf-jira/rules/rule-editor-service.js';
import { newRuleValues, type RuleFormValues } from '../../../../src/plugins/pf-jira/rules/rule-form.js';
import { createRulePreview, type RulePreview } from '../../../../src/plugins/pf-jira/rules/rule-preview.js';
import { settingsReader } from '../../../../src/plugins/pf-jira/settings.js';
import { engineFixture, type EngineFixture } from '../engine-fixture.js';

const ADA = { id: 4242, full_name: 'Ada Lovelace', email: 'ada@example.com', department: { name: 'Engineering' }, employment_type: { name: 'Employee' }, hired_on: '2026-02-01' };

const draft = (over: Partial<RuleFormValues> = {}): RuleFormValues => ({
  ...newRuleValues(5),
  name: 'Engineering onboarding',
  eventTypes: ['employee_create'],
  conditions: [{ path: '$.department.name', operator: 'equals', value: 'Engineering' }],
  projectKey: 'IT',
  issueTypeId: '10010',
  issueTypeName: 'Onboarding',
  mappings: [
    { fieldId: 'summary', sourceType: 'TEMPLATE', value: 'Onboard {{ full_name }}' },
    { fieldId: 'customfield_10030', sourceType: 'STATIC', value: 'IT' },
  ],
  ...over,
});

describe('rule preview (dry run)', () => {
  let f: EngineFixture;
  let preview: RulePreview;
  let eventId: number;

  before(async () => {
    f = await engineFixture({ rules: false });
    f.rules.create({ name: 'Everyone else', priority: 100, action: 'SYNC', eventTypes: [], conditions: [], projectKey: 'OPS', issueTypeName: 'Task', mappings: [{ fieldId: 'summary', sourceType: 'STATIC', value: 'x' }] }, systemActor);
    const stored = f.events.insert({ source: 'webhook', type: 'employee_create', entityType: 'employee', entityId: '4242', occurredAt: Date.UTC(2026, 1, 1), payload: ADA }, { dedupeKey: 'ada', correlationId: null, now: f.hub.clock.now() });
    assert.ok(stored);
    eventId = stored.id;
    const jira = createJiraClient({ siteUrl: f.jira.url, email: f.jira.sim.credentials.email, apiToken: f.jira.sim.credentials.apiToken, timeoutMs: 5_000, maxInlineWaitMs: 0, logger: pino({ level: 'silent' }) });
    const reader = settingsReader(f.hub.ctx.domainConfig);
    preview = createRulePreview({
      editor: createRuleEditor({ rules: f.rules, jira: { projects: () => undefined, boards: () => undefined, issueTypes: () => undefined } }),
      rules: f.rules,
      event: (id) => f.events.get(id),
      settings: () => reader.settings(),
      issueTypes: (key) => jira.issueTypes(key),
      fields: (key, type) => jira.createMetaFields(key, type),
      resolve: (input) => resolveFields(input),
      users: () => undefined,
    });
  });
  after(async () => f.close());

  it('shows the draft winning, with the exact create body the sync engine would send', async () => {
    const result = await preview.preview(draft(), undefined, { kind: 'event', eventId });
    assert.equal(result.sample, `event ${eventId}: employee_create, Ada Lovelace`);
    assert.deepEqual(result.draftErrors, {});
    assert.equal(result.decision?.isDraft, true);
    assert.equal(result.decision?.priority, 5);
    assert.match(result.decision?.decision.reason ?? '', /Rule “Engineering onboarding” v1 matched/);
    assert.deepEqual(result.problems, []);
    const body = result.body;
    assert.ok(body);
    assert.deepEqual(body.fields.project, { key: 'IT' });
    assert.deepEqual(body.fields.issuetype, { id: '10010' });
    assert.equal(body.fields.summary, 'Onboard Ada Lovelace');
    assert.deepEqual(body.fields.labels, ['switchyard', 'pf-employee-4242']);
    assert.equal((body.properties?.[0]?.value as { entityKey: string }).entityKey, 'employee:4242');
  });

  it('names every field Jira would refuse', async () => {
    const result = await preview.preview(draft({ mappings: [{ fieldId: 'summary', sourceType: 'PF_PAYLOAD', value: '$.nickname' }] }), undefined, { kind: 'event', eventId });
    const byField = Object.fromEntries(result.problems.map((p) => [p.fieldId, p.message]));
    assert.match(byField.summary ?? '', /Summary is required, but \$\.nickname found nothing/);
    assert.match(byField.customfield_10030 ?? '', /Jira requires Department, and no mapping provides it/);
  });

  it('reports the draft’s field errors and decides without it', async () => {
    const result = await preview.preview(draft({ conditions: [{ path: 'department', operator: 'equals', value: 'x' }] }), undefined, { kind: 'event', eventId });
    assert.match(result.draftErrors['conditions.0.path'] ?? '', /must start with \$/);
    assert.equal(result.body, undefined);
    assert.equal(result.decision?.isDraft, false);
    assert.equal(result.decision?.decision.ruleName, 'Everyone else');
  });

  it('reports a pasted sample that is not JSON with its position', async () => {
    const result = await preview.preview(draft(), undefined, { kind: 'json', text: '{\n  "id": 1,\n  "full_name": }', type: 'employee_create' });
    assert.equal(result.sampleError, 'The pasted sample is not valid JSON: unexpected "}" at line 3, column 16.');
    assert.equal(result.decision, undefined);
  });

  it('takes a pasted JSON object as the sample', async () => {
    const result = await preview.preview(draft(), undefined, { kind: 'json', text: JSON.stringify({ ...ADA, id: 7, department: { name: 'Sales' } }), type: 'employee_create' });
    assert.equal(result.decision?.decision.ruleName, 'Everyone else', 'the draft’s condition does not hold for Sales');
    assert.equal(result.decision?.isDraft, false);
  });

  it('still decides, and says why there is no body, when Jira cannot be reached', async () => {
    f.jira.sim.faults.add({ kind: 'status', status: 503, count: 20 });
    try {
      const result = await preview.preview(draft(), undefined, { kind: 'event', eventId });
      assert.equal(result.decision?.isDraft, true);
      assert.equal(result.body, undefined);
      assert.match(result.jiraError ?? '', /Jira answered with a server error \(503\)/);
    } finally {
      f.jira.sim.faults.clear();
    }
  });

  it('puts an edited rule’s draft in place of the saved rule', async () => {
    const saved = f.rules.create({ name: 'Old', priority: 50, action: 'DROP', eventTypes: [], conditions: [] }, systemActor);
    const result = await preview.preview(draft({ name: 'Old, edited', priority: '150', action: 'DROP' }), saved.id, { kind: 'event', eventId });
    assert.equal(result.decision?.decision.ruleName, 'Everyone else', 'at priority 150 the edited rule comes after “Everyone else”');
    f.rules.remove(saved.id, systemActor);
  });

  it('writes nothing and creates no issue', async () => {
    const before = { issues: f.issues().length, rules: f.rules.list().length };
    await preview.preview(draft(), undefined, { kind: 'event', eventId });
    assert.deepEqual({ issues: f.issues().length, rules: f.rules.list().length }, before);
  });
});
