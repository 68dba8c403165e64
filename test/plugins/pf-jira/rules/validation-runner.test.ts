import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { EventBus, type EventMap } from '../../../../src/platform/events.js';
import { createLogger } from '../../../../src/platform/logger.js';
import { UpstreamError } from '../../../../src/platform/upstream-error.js';
import type { FieldMeta } from '../../../../src/plugins/pf-jira/jira/jira-types.js';
import '../../../../src/plugins/pf-jira/rules/rule-events.js';
import type { RuleValidationDeps } from '../../../../src/plugins/pf-jira/rules/rule-validator.js';
import { createValidationRunner } from '../../../../src/plugins/pf-jira/rules/validation-runner.js';
import { admin, ruleInput, serviceFixture } from './rule-fixtures.js';

const SCREEN: FieldMeta[] = [
  { fieldId: 'summary', name: 'Summary', required: true, schema: { type: 'string' } },
  { fieldId: 'labels', name: 'Labels', required: false, schema: { type: 'array', items: 'string' } },
];

/** Jira knows projects HR and OPS; anything else is gone. `down` makes every call fail as a network error would. */
const jira = (state: { down: boolean; calls: number }): RuleValidationDeps => ({
  issueTypes: async (projectKey) => {
    state.calls += 1;
    if (state.down) throw new UpstreamError({ service: 'jira', kind: 'network', message: 'ECONNREFUSED' });
    if (projectKey !== 'HR' && projectKey !== 'OPS') throw new UpstreamError({ service: 'jira', kind: 'http', status: 404, message: 'not found' });
    return [{ id: '10001', name: 'Task', subtask: false }];
  },
  fields: async () => SCREEN,
  resolveFields: async () => ({ fields: {}, problems: [] }),
  recentPayloads: () => [],
});

describe('validation runner', () => {
  let f: ReturnType<typeof serviceFixture>;
  let events: EventBus;
  let seen: { validation: EventMap['pf-jira.rule.validation'][]; alerts: EventMap['alert.raised'][] };
  let state: { down: boolean; calls: number };
  let runner: ReturnType<typeof createValidationRunner>;

  beforeEach(() => {
    f = serviceFixture();
    events = new EventBus();
    seen = { validation: [], alerts: [] };
    events.on('pf-jira.rule.validation', (e) => seen.validation.push(e));
    events.on('alert.raised', (e) => seen.alerts.push(e));
    state = { down: false, calls: 0 };
    runner = createValidationRunner({ rules: f.service, deps: jira(state), events, logger: createLogger({ level: 'silent', format: 'json' }), clock: f.clock });
  });
  afterEach(() => f.close());

  describe('validateOne', () => {
    test('marks the rule validating, then records the result and announces both', async () => {
      const rule = f.service.create(ruleInput(), admin);
      const checked = await runner.validateOne(rule.id);
      assert.equal(checked?.validationStatus, 'valid');
      assert.equal(checked?.validatedAt, f.clock.now());
      assert.deepEqual(seen.validation, [
        { ruleId: rule.id, status: 'validating', errors: [] },
        { ruleId: rule.id, status: 'valid', errors: [] },
      ]);
    });

    test('records why a rule is invalid, without turning it off', async () => {
      const rule = f.service.create(ruleInput({ projectKey: 'GONE' }), admin);
      const checked = await runner.validateOne(rule.id);
      assert.equal(checked?.validationStatus, 'invalid');
      assert.deepEqual(checked?.validationErrors, ['Jira project GONE no longer exists, or the Jira account has no access to it.']);
      assert.equal(checked?.enabled, true);
      assert.deepEqual(seen.alerts, []);
    });

    test('rethrows a transient Jira error and puts back the status it had', async () => {
      const rule = f.service.create(ruleInput(), admin);
      state.down = true;
      await assert.rejects(runner.validateOne(rule.id), (err) => err instanceof UpstreamError && err.transient);
      assert.equal(f.service.get(rule.id).validationStatus, 'pending');
      assert.equal(seen.validation.at(-1)?.status, 'pending');
    });

    test('does nothing for a rule that no longer exists', async () => {
      assert.equal(await runner.validateOne(999), undefined);
      assert.equal(state.calls, 0);
    });
  });

  describe('validateAll', () => {
    test('checks every enabled rule, turns invalid ones off with an alert, and reports a summary', async () => {
      const good = f.service.create(ruleInput({ name: 'Good', priority: 10 }), admin);
      const bad = f.service.create(ruleInput({ name: 'Old project', priority: 20, projectKey: 'GONE' }), admin);
      f.service.create(ruleInput({ name: 'Off', priority: 30, enabled: false, projectKey: 'GONE' }), admin);
      const drop = f.service.create({ name: 'Drop interns', priority: 40, action: 'DROP' }, admin);

      const summary = await runner.validateAll();
      assert.deepEqual(summary, { checked: 3, valid: 2, invalid: 1, disabled: [bad.id], skipped: 0 });
      assert.equal(state.calls, 2, 'a DROP rule is valid without asking Jira');
      assert.equal(f.service.get(good.id).validationStatus, 'valid');
      assert.equal(f.service.get(drop.id).validationStatus, 'valid');

      const disabled = f.service.get(bad.id);
      assert.equal(disabled.enabled, false);
      assert.equal(disabled.validationStatus, 'invalid');
      assert.deepEqual(disabled.validationErrors, ['Jira project GONE no longer exists, or the Jira account has no access to it.']);
      assert.equal(f.service.version(bad.id, disabled.version).savedBy, 'system');

      const audit = f.audit.search({}).rows.find((r) => r.action === 'pf-jira.rule.disable');
      assert.equal(audit?.actorEmail, 'system');
      assert.match(JSON.parse(audit?.after ?? '{}').reason, /Nightly validation found it invalid: Jira project GONE no longer exists/);

      assert.deepEqual(seen.alerts, [
        {
          source: 'pf-jira',
          severity: 'warning',
          title: 'Routing rule “Old project” was turned off',
          message: 'Nightly validation found it can no longer create valid Jira issues: Jira project GONE no longer exists, or the Jira account has no access to it. Fix the rule, then turn it on again.',
          link: '/admin/pf-jira/rules',
        },
      ]);
    });

    test('a second run finds nothing more to turn off', async () => {
      f.service.create(ruleInput({ projectKey: 'GONE' }), admin);
      await runner.validateAll();
      assert.deepEqual(await runner.validateAll(), { checked: 0, valid: 0, invalid: 0, disabled: [], skipped: 0 });
      assert.equal(seen.alerts.length, 1);
    });

    test('skips rules while Jira is unreachable instead of condemning them', async () => {
      const rule = f.service.create(ruleInput(), admin);
      f.service.recordValidation(rule.id, { status: 'valid', errors: [] });
      state.down = true;
      assert.deepEqual(await runner.validateAll(), { checked: 0, valid: 0, invalid: 0, disabled: [], skipped: 1 });
      const after = f.service.get(rule.id);
      assert.equal(after.enabled, true);
      assert.equal(after.validationStatus, 'valid');
    });

    test('skips a rule saved again while it was checked: the save queues its own check', async () => {
      const rule = f.service.create(ruleInput({ projectKey: 'GONE' }), admin);
      const base = jira(state);
      const racing = createValidationRunner({
        rules: f.service,
        deps: {
          ...base,
          issueTypes: async (key) => {
            f.service.update(rule.id, ruleInput({ name: 'Edited' }), admin, 1);
            return base.issueTypes(key);
          },
        },
        events,
        logger: createLogger({ level: 'silent', format: 'json' }),
        clock: f.clock,
      });
      assert.deepEqual(await racing.validateAll(), { checked: 0, valid: 0, invalid: 0, disabled: [], skipped: 1 });
      const after = f.service.get(rule.id);
      assert.equal(after.validationStatus, 'pending');
      assert.equal(after.enabled, true);
    });

    test('stops on an error that is not transient, such as refused credentials', async () => {
      f.service.create(ruleInput(), admin);
      const refused = new UpstreamError({ service: 'jira', kind: 'http', status: 401, message: 'unauthorized' });
      const failing = createValidationRunner({
        rules: f.service,
        deps: { ...jira(state), issueTypes: async () => Promise.reject(refused) },
        events,
        logger: createLogger({ level: 'silent', format: 'json' }),
        clock: f.clock,
      });
      await assert.rejects(failing.validateAll(), (err) => err === refused);
    });
  });
});
