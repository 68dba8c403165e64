import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pfRoutes } from '../../../../src/plugins/pf-jira/web/pf-routes.js';
import { ApiClient, apiClientFor, expectJson, issueCredential, overHttp, type ApiErrorBody } from '../../../api/api-client.js';
import { documentOf, schemaChecker } from '../../../api/openapi-helpers.js';
import { startTestHub } from '../../../helpers/hub.js';
import { html } from '../../../web/web-helpers.js';
import { engineFixture, eventually, type EngineFixture } from '../engine-fixture.js';

const DAY = 86_400_000;
const BASE = '/api/v1/pf-jira';

interface Rule {
  id: number;
  version: number;
  name: string;
  priority: number;
  enabled: boolean;
  action: string;
  validationStatus: string;
  validationErrors: string[];
}

interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** A SYNC rule as an API client would send it. */
const onboardingRule = (name: string, overrides: Record<string, unknown> = {}) => ({
  name,
  action: 'SYNC',
  eventTypes: ['employee_create'],
  conditions: [{ path: '$.department.name', operator: 'equals', value: 'Finance' }],
  projectKey: 'IT',
  issueTypeName: 'Onboarding',
  mappings: [{ fieldId: 'summary', sourceType: 'TEMPLATE', value: 'Onboard {{ full_name }}' }],
  ...overrides,
});

describe('/api/v1/pf-jira over HTTP', () => {
  let f: EngineFixture;
  let check: ReturnType<typeof schemaChecker>;
  let rulesReader: ApiClient;
  let rulesWriter: ApiClient;
  let events: ApiClient;
  let syncer: ApiClient;

  const client = (scopes: Parameters<typeof issueCredential>[1]['scopes'], type: 'hmac' | 'bearer' = 'hmac') =>
    new ApiClient(overHttp(f.hubUrl), issueCredential(f.hub, { type, scopes }), () => f.hub.clock.now());

  const hire = (lastName: string, department: string) =>
    f.pf.sim.hire({
      first_name: 'Ines',
      last_name: lastName,
      email: `ines.${lastName.toLowerCase()}.${Math.floor(Math.random() * 1e9)}@example.com`,
      department,
      position: 'Analyst',
      employment_type: 'Full-Time',
      hired_on: new Date(f.hub.clock.now() + 14 * DAY).toISOString().slice(0, 10),
    });

  const settled = (employeeId: number, status: string) =>
    eventually(() => f.events.list({ entityId: String(employeeId), limit: 20 }).find((e) => e.status === status), `an event ${status}`, 15_000, () => f.advance(60_000));

  before(async () => {
    f = await engineFixture();
    check = schemaChecker(await documentOf(f.hub));
    rulesReader = client(['rules:read']);
    rulesWriter = client(['rules:read', 'rules:write'], 'bearer');
    events = client(['events:read', 'events:write']);
    syncer = client(['sync:run']);
  });
  after(async () => {
    await f.close();
  });

  describe('routing rules', () => {
    test('lists the rules in evaluation order, filtered and a page at a time', async () => {
      const all = await expectJson<Page<Rule>>(await rulesReader.get(`${BASE}/rules`), 200);
      check('RulePage', all);
      assert.deepEqual(
        all.items.map((r) => r.name),
        f.rules.list().map((r) => r.name),
      );
      const sync = await expectJson<Page<Rule>>(await rulesReader.get(`${BASE}/rules?action=SYNC&limit=1&offset=1`), 200);
      assert.equal(sync.total, f.rules.list().filter((r) => r.action === 'SYNC').length);
      assert.deepEqual(sync.items.map((r) => r.name), [f.rules.list().filter((r) => r.action === 'SYNC')[1]!.name]);
      const found = await expectJson<Page<Rule>>(await rulesReader.get(`${BASE}/rules?q=${encodeURIComponent('offboarding')}`), 200);
      assert.deepEqual(found.items.map((r) => r.name), ['Terminations → HR offboarding']);
    });

    test('a rule created through the API is saved as version 1, audited under the credential, and shows on the rules page', async () => {
      const res = await rulesWriter.post(`${BASE}/rules`, onboardingRule('Finance hires (API)'));
      const rule = await expectJson<Rule>(res, 201);
      check('Rule', rule);
      assert.equal(rule.version, 1);
      assert.equal(rule.enabled, true);
      assert.equal(rule.priority, Math.max(...f.rules.list().filter((r) => r.id !== rule.id).map((r) => r.priority)) + 10, 'after every existing rule');
      const audit = f.hub.ctx.db.sqlite.prepare("SELECT actor_email AS actor FROM audit_log WHERE action = 'pf-jira.rule.create' ORDER BY id DESC LIMIT 1").get() as { actor: string };
      assert.equal(audit.actor, `api:${rulesWriter.credential!.clientId}`);

      const viewer = await f.hub.signIn('viewer');
      const row = (await html(await viewer.get(pfRoutes.rules))).get(`#rule-row-${rule.id}`);
      assert.match(row.text(), /Finance hires \(API\)/);
      assert.equal(row.attr('data-version'), '1');
    });

    test('reads one rule and 404s a rule that does not exist', async () => {
      const id = f.rules.list()[0]!.id;
      const rule = await expectJson<Rule>(await rulesReader.get(`${BASE}/rules/${id}`), 200);
      assert.equal(rule.id, id);
      const missing = await expectJson<ApiErrorBody>(await rulesReader.get(`${BASE}/rules/987654`), 404);
      assert.equal(missing.error.code, 'not_found');
      assert.match(missing.error.message, /Routing rule 987654 does not exist/);
    });

    test('replaces a rule at the version read, and refuses a stale version with 409 leaving the rule as it was', async () => {
      const created = await expectJson<Rule>(await rulesWriter.post(`${BASE}/rules`, onboardingRule('Versioned rule')), 201);
      const updated = await expectJson<Rule>(await rulesWriter.put(`${BASE}/rules/${created.id}`, { ...onboardingRule('Versioned rule, renamed'), priority: created.priority, version: 1 }), 200);
      assert.equal(updated.version, 2);
      assert.equal(updated.name, 'Versioned rule, renamed');

      const stale = await expectJson<ApiErrorBody>(await rulesWriter.put(`${BASE}/rules/${created.id}`, { ...onboardingRule('Lost update'), priority: created.priority, version: 1 }), 409);
      assert.equal(stale.error.code, 'conflict');
      assert.match(stale.error.message, /now version 2/);
      assert.equal(f.rules.get(created.id).name, 'Versioned rule, renamed');
      assert.equal(f.rules.get(created.id).version, 2);
    });

    test('refuses unknown fields, at the top and inside conditions, with 422 naming them', async () => {
      const before = f.rules.list().length;
      const top = await expectJson<ApiErrorBody>(await rulesWriter.post(`${BASE}/rules`, { ...onboardingRule('Unknown field'), colour: 'red' }), 422);
      assert.equal(top.error.code, 'validation_failed');
      assert.deepEqual(top.error.details!.fields, { colour: 'This field is not part of the request; remove it.' });
      const nested = await expectJson<ApiErrorBody>(
        await rulesWriter.post(`${BASE}/rules`, onboardingRule('Nested unknown', { conditions: [{ path: '$.a', operator: 'equals', value: 'x', negate: true }] })),
        422,
      );
      assert.deepEqual(Object.keys(nested.error.details!.fields as object), ['conditions.0.negate']);
      assert.equal(f.rules.list().length, before, 'nothing was saved');
    });

    test('gives the rule editor’s messages for a rule that parses but is not valid', async () => {
      const taken = f.rules.list()[0]!;
      const body = await expectJson<ApiErrorBody>(
        await rulesWriter.post(`${BASE}/rules`, onboardingRule('Bad rule', { projectKey: null, priority: taken.priority, conditions: [{ path: 'department', operator: 'equals', value: 'x' }] })),
        422,
      );
      const fields = body.error.details!.fields as Record<string, string>;
      assert.match(fields.projectKey!, /Choose the Jira project/);
      assert.match(fields.priority!, new RegExp(`already has priority ${taken.priority}`));
      assert.ok(fields['conditions.0.path'], 'the JSONPath is checked');
    });

    test('refuses a project or board the Jira account cannot see, as the rule editor does, and names the issue type from Jira’s list', async () => {
      const admin = await f.hub.signIn('admin');
      await admin.get(pfRoutes.jiraProjects, { 'HX-Request': 'true' });
      await admin.get(`${pfRoutes.jiraIssueTypes}?projectKey=IT`, { 'HX-Request': 'true' });
      await admin.get(`${pfRoutes.jiraBoards}?projectKey=IT`, { 'HX-Request': 'true' });
      try {
        const before = f.rules.list().length;
        const hidden = await expectJson<ApiErrorBody>(await rulesWriter.post(`${BASE}/rules`, onboardingRule('Hidden project', { projectKey: 'NOPE' })), 422);
        assert.equal(hidden.error.code, 'validation_failed');
        assert.match((hidden.error.details!.fields as Record<string, string>).projectKey!, /cannot see project NOPE/);
        const board = await expectJson<ApiErrorBody>(await rulesWriter.post(`${BASE}/rules`, onboardingRule('Foreign board', { boardId: 987_654 })), 422);
        assert.match((board.error.details!.fields as Record<string, string>).boardId!, /Board 987654 is not one of the/);
        assert.equal(f.rules.list().length, before, 'nothing was saved');

        const named = await expectJson<Rule & { issueTypeId: string; issueTypeName: string }>(
          await rulesWriter.post(`${BASE}/rules`, onboardingRule('Typed by id', { issueTypeId: '10010', issueTypeName: 'what the client thought' })),
          201,
        );
        assert.equal(named.issueTypeName, 'Onboarding');
        const moved = await expectJson<ApiErrorBody>(await rulesWriter.put(`${BASE}/rules/${named.id}`, { ...onboardingRule('Typed by id', { projectKey: 'NOPE' }), priority: named.priority, version: 1 }), 422);
        assert.match((moved.error.details!.fields as Record<string, string>).projectKey!, /cannot see project NOPE/);
        assert.equal(f.rules.get(named.id).projectKey, 'IT', 'the rule was left as it was');
      } finally {
        f.hub.ctx.cache.purge('pf-jira:');
      }
    });

    test('turns a rule off and on, and deletes it', async () => {
      const rule = await expectJson<Rule>(await rulesWriter.post(`${BASE}/rules`, onboardingRule('Switchable')), 201);
      const off = await expectJson<Rule>(await rulesWriter.post(`${BASE}/rules/${rule.id}/disable`), 200);
      assert.equal(off.enabled, false);
      assert.equal(off.version, 2);
      const on = await expectJson<Rule>(await rulesWriter.post(`${BASE}/rules/${rule.id}/enable`), 200);
      assert.equal(on.enabled, true);
      const deleted = await rulesWriter.delete(`${BASE}/rules/${rule.id}`);
      assert.equal(deleted.status, 204);
      assert.equal(f.rules.find(rule.id), undefined);
      await expectJson<ApiErrorBody>(await rulesWriter.delete(`${BASE}/rules/${rule.id}`), 404);
    });

    test('reorders every rule, and refuses an order built on versions changed since with 409', async () => {
      const current = f.rules.list();
      const reversed = [...current].reverse();
      const body = await expectJson<{ items: Rule[] }>(await rulesWriter.post(`${BASE}/rules/reorder`, { ids: reversed.map((r) => r.id), versions: reversed.map((r) => r.version) }), 200);
      assert.deepEqual(body.items.map((r) => r.id), reversed.map((r) => r.id));
      assert.deepEqual(body.items.map((r) => r.priority), reversed.map((_, i) => (i + 1) * 10));

      const stale = await expectJson<ApiErrorBody>(await rulesWriter.post(`${BASE}/rules/reorder`, { ids: current.map((r) => r.id), versions: current.map((r) => r.version) }), 409);
      assert.equal(stale.error.code, 'conflict');
      assert.deepEqual(f.rules.list().map((r) => r.id), reversed.map((r) => r.id), 'the order stayed');
      const missing = await expectJson<ApiErrorBody>(await rulesWriter.post(`${BASE}/rules/reorder`, { ids: [current[0]!.id] }), 422);
      assert.ok((missing.error.details!.fields as Record<string, string>).order);
    });

    test('checks one rule against Jira now, and queues the check of every rule', async () => {
      const mappings = f.rules.list().find((r) => r.name === 'New hires → IT onboarding')!.mappings;
      const good = await expectJson<Rule>(await rulesWriter.post(`${BASE}/rules`, onboardingRule('Checked now', { mappings })), 201);
      const valid = await expectJson<Rule>(await rulesWriter.post(`${BASE}/rules/${good.id}/validate`), 200);
      assert.equal(valid.validationStatus, 'valid', JSON.stringify(valid.validationErrors));
      const bad = await expectJson<Rule>(await rulesWriter.post(`${BASE}/rules`, onboardingRule('No such issue type', { issueTypeName: 'Payroll run' })), 201);
      const invalid = await expectJson<Rule>(await rulesWriter.post(`${BASE}/rules/${bad.id}/validate`), 200);
      assert.equal(invalid.validationStatus, 'invalid');
      assert.ok(invalid.validationErrors.length > 0);

      const queued = await expectJson<{ jobId: number }>(await rulesWriter.post(`${BASE}/rules/validate`), 202);
      check('Queued', queued);
      assert.equal(f.hub.ctx.jobs.get(queued.jobId).task, 'pf-jira.validate_routing_rules');
    });

    test('previews a draft against a pasted record without saving anything', async () => {
      const before = f.rules.list().length;
      const body = await expectJson<{ decision?: { decision: { ruleName: string | null }; isDraft: boolean }; sampleError?: string; draftErrors: Record<string, string> }>(
        await rulesReader.post(`${BASE}/rules/preview`, {
          rule: onboardingRule('Draft', { priority: 1 }),
          sample: { type: 'employee_create', payload: { id: 77, full_name: 'Pat Draft', department: { name: 'Finance' }, status: 'pending_hire' } },
        }),
        200,
      );
      check('RulePreview', body);
      assert.equal(body.sampleError, undefined);
      assert.deepEqual(body.draftErrors, {});
      assert.equal(body.decision?.isDraft, true);
      assert.equal(f.rules.list().length, before);

      const gone = await expectJson<{ sampleError?: string }>(await rulesReader.post(`${BASE}/rules/preview`, { rule: onboardingRule('Draft'), sample: { eventId: 999_999 } }), 200);
      assert.match(gone.sampleError!, /Event 999999 is no longer stored/);
    });

    test('a credential with only rules:read cannot create, change or delete rules', async () => {
      const { id, version } = f.rules.list()[0]!;
      for (const res of [await rulesReader.post(`${BASE}/rules`, onboardingRule('Refused')), await rulesReader.post(`${BASE}/rules/${id}/disable`), await rulesReader.delete(`${BASE}/rules/${id}`)]) {
        const body = await expectJson<ApiErrorBody>(res, 403);
        assert.equal(body.error.code, 'scope_missing');
        assert.equal(body.error.details?.scope, 'rules:write');
      }
      assert.equal(f.rules.get(id).version, version, 'the rule did not change');
    });
  });

  describe('sync, events and dead letters', () => {
    test('Sync now queues a PeopleForce poll; it needs sync:run', async () => {
      const queued = await expectJson<{ jobId: number }>(await syncer.post(`${BASE}/poll`), 202);
      await eventually(() => !f.hub.ctx.jobs.list({ task: 'pf-jira.poll_now' }, 1, 10).jobs.some((j) => j.id === queued.jobId), 'the poll to run');
      const refused = await expectJson<ApiErrorBody>(await rulesWriter.post(`${BASE}/poll`), 403);
      assert.equal(refused.error.code, 'scope_missing');
    });

    test('lists events newest first by id cursor, reads one trace, and replays an event', async () => {
      const a = hire('Aalto', 'Engineering');
      const b = hire('Borg', 'Engineering');
      const ea = await settled(a.id, 'synced');
      const eb = await settled(b.id, 'synced');
      const page = await expectJson<{ items: { id: number }[]; nextBefore: number | null }>(await events.get(`${BASE}/events?person=Aalto`), 200);
      check('EventPage', page);
      assert.deepEqual(page.items.map((e) => e.id), [ea.id]);
      const older = await expectJson<{ items: { id: number }[] }>(await events.get(`${BASE}/events?before=${eb.id}&status=synced`), 200);
      assert.ok(older.items.every((e) => e.id < eb.id));
      assert.ok(older.items.some((e) => e.id === ea.id));

      const trace = await expectJson<{ event: { id: number; issueKey: string }; decidedBy: { name: string } | null; links: { issueKey: string }[] }>(await events.get(`${BASE}/events/${ea.id}`), 200);
      check('EventTrace', trace);
      assert.equal(trace.decidedBy?.name, 'New hires → IT onboarding');
      assert.equal(trace.links[0]?.issueKey, ea.issueKey);

      const replay = await expectJson<{ eventId: number; firstDecision: { ruleName: string } }>(await events.post(`${BASE}/events/${ea.id}/replay`), 201);
      check('Replay', replay);
      assert.equal(replay.firstDecision.ruleName, 'New hires → IT onboarding');
      assert.equal(f.events.get(replay.eventId)?.source, 'replay');
      await expectJson<ApiErrorBody>(await events.get(`${BASE}/events/987654`), 404);
    });

    test('lists dead deliveries, retries one by id and discards the rest by filter', async () => {
      const a = hire('Castro', 'Legal');
      const b = hire('Dahl', 'Legal');
      const deadA = await settled(a.id, 'dead');
      await settled(b.id, 'dead');
      const page = await expectJson<{ items: { id: number; person: { name: string } }[]; total: number; page: number; pages: number }>(await events.get(`${BASE}/dead-letters?person=Castro`), 200);
      check('DeadLetterPage', page);
      assert.equal(page.total, 1);
      assert.equal(page.items[0]!.person.name, 'Ines Castro');

      const retried = await expectJson<{ deliveries: number; events: number }>(await events.post(`${BASE}/dead-letters/retry`, { ids: [deadA.id] }), 200);
      check('DeadLetterResult', retried);
      assert.deepEqual(retried, { deliveries: 1, events: 1 });
      assert.notEqual(f.events.get(deadA.id)?.status, 'dead');

      const discarded = await expectJson<{ deliveries: number }>(await events.post(`${BASE}/dead-letters/matching/discard`, { filter: { person: 'Dahl' } }), 200);
      assert.equal(discarded.deliveries, 1);
      const left = await expectJson<{ total: number }>(await events.get(`${BASE}/dead-letters?person=Dahl`), 200);
      assert.equal(left.total, 0);
    });

    test('reading dead letters needs events:read and acting on them events:write', async () => {
      const readOnly = client(['events:read']);
      const body = await expectJson<ApiErrorBody>(await readOnly.post(`${BASE}/dead-letters/matching/retry`, { filter: {} }), 403);
      assert.equal(body.error.details?.scope, 'events:write');
      const none = await expectJson<ApiErrorBody>(await rulesReader.get(`${BASE}/dead-letters`), 403);
      assert.equal(none.error.details?.scope, 'events:read');
    });
  });
});

describe('/api/v1/pf-jira without a Jira connection', () => {
  test('checking a rule answers 502 saying why Jira could not be asked, and the rule keeps its result', async () => {
    const hub = await startTestHub({ plugins: ['pf-jira'], startJobs: false });
    try {
      const writer = apiClientFor(hub, { scopes: ['rules:write'] });
      const rule = await expectJson<Rule>(await writer.post(`${BASE}/rules`, onboardingRule('Unchecked')), 201);
      const body = await expectJson<ApiErrorBody>(await writer.post(`${BASE}/rules/${rule.id}/validate`), 502);
      assert.equal(body.error.code, 'upstream_failed');
      assert.match(body.error.message, /Jira connection is not configured.*keeps its previous validation result/);
      const after = await expectJson<Rule>(await apiClientFor(hub, { scopes: ['rules:read'] }).get(`${BASE}/rules/${rule.id}`), 200);
      assert.equal(after.validationStatus, 'pending');
    } finally {
      await hub.close();
    }
  });
});
