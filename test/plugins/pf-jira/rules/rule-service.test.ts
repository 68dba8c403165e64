import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { AppError } from '../../../../src/errors.js';
import { transactionRunner } from '../../../../src/db/transaction.js';
import type { RulesChangedEvent } from '../../../../src/plugins/pf-jira/rules/rule-events.js';
import { createRuleService } from '../../../../src/plugins/pf-jira/rules/rule-service.js';
import { admin, operator, otherAdmin, ruleInput, serviceFixture, viewer } from './rule-fixtures.js';

const rejects = (fn: () => unknown, status: number, pattern?: RegExp): AppError => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.status, status);
    if (pattern) assert.match(err.message, pattern);
    return err;
  }
  assert.fail(`expected a ${status} error`);
};

describe('rule service', () => {
  let f: ReturnType<typeof serviceFixture>;
  beforeEach(() => {
    f = serviceFixture();
  });
  afterEach(() => f.close());

  const auditActions = () => f.audit.search({}).rows.map((r) => r.action);

  describe('create', () => {
    test('saves version 1 pending validation, snapshots it, audits it and reports it after commit', () => {
      const rule = f.service.create(ruleInput(), admin);
      assert.equal(rule.version, 1);
      assert.equal(rule.validationStatus, 'pending');
      const [v1] = f.service.versions(rule.id);
      assert.equal(v1?.version, 1);
      assert.equal(v1?.savedBy, 'admin@example.com');
      assert.equal(v1?.snapshot.name, 'Contractors');
      assert.deepEqual(v1?.snapshot.mappings, ruleInput().mappings);
      assert.deepEqual(auditActions(), ['pf-jira.rule.create']);
      const entry = f.audit.search({}).rows[0];
      assert.equal(entry?.targetId, String(rule.id));
      assert.equal(JSON.parse(entry?.after ?? '{}').projectKey, 'HR');
      assert.deepEqual(
        f.saved.map((r) => r.id),
        [rule.id],
      );
    });

    test('needs an admin', () => {
      rejects(() => f.service.create(ruleInput(), operator), 403, /cannot create routing rules/);
      assert.deepEqual(f.service.list(), []);
    });

    test('refuses a duplicate priority with a field error naming the other rule', () => {
      f.service.create(ruleInput({ name: 'Interns', priority: 10 }), admin);
      const err = rejects(() => f.service.create(ruleInput({ priority: 10 }), admin), 422);
      assert.equal(err.fieldErrors?.priority, 'Rule “Interns” already has priority 10; choose another number.');
    });

    test('refuses invalid input with field errors and saves nothing', () => {
      const err = rejects(() => f.service.create({ ...ruleInput(), name: '', conditions: [{ path: '$.a', operator: 'equals', value: 'x' }, { path: '$.b', operator: 'matches', value: '(' }] }, admin), 422);
      assert.deepEqual(Object.keys(err.fieldErrors ?? {}).sort(), ['conditions.1.value', 'name']);
      assert.deepEqual(f.service.list(), []);
      assert.deepEqual(f.saved, []);
    });
  });

  describe('update', () => {
    test('bumps the version, replaces mappings, snapshots both versions and audits before and after', () => {
      const rule = f.service.create(ruleInput(), admin);
      f.service.recordValidation(rule.id, { status: 'valid', errors: [] });
      f.clock.advance(60_000);
      const updated = f.service.update(rule.id, ruleInput({ name: 'Contractors (EU)', mappings: [] }), otherAdmin, 1);
      assert.equal(updated.version, 2);
      assert.equal(updated.validationStatus, 'pending');
      assert.deepEqual(updated.mappings, []);
      assert.deepEqual(
        f.service.versions(rule.id).map((v) => [v.version, v.savedBy, v.snapshot.name]),
        [
          [2, 'bob@example.com', 'Contractors (EU)'],
          [1, 'admin@example.com', 'Contractors'],
        ],
      );
      const entry = f.audit.search({}).rows.find((r) => r.action === 'pf-jira.rule.update');
      assert.equal(JSON.parse(entry?.before ?? '{}').name, 'Contractors');
      assert.equal(JSON.parse(entry?.after ?? '{}').name, 'Contractors (EU)');
      assert.equal(f.saved.length, 2);
    });

    test('refuses a stale version, naming who changed it, when, and the current version', () => {
      const rule = f.service.create(ruleInput(), admin);
      f.clock.set(Date.UTC(2026, 0, 6, 14, 5));
      f.service.update(rule.id, ruleInput({ name: 'Newer' }), otherAdmin, 1);
      const err = rejects(() => f.service.update(rule.id, ruleInput({ name: 'Mine' }), admin, 1), 409);
      assert.equal(err.code, 'conflict');
      assert.equal(err.message, 'Rule “Newer” was changed by bob@example.com at 2026-01-06 14:05 UTC since you opened it; it is now version 2. Reload to see the change, then apply yours again.');
      assert.equal(f.service.get(rule.id).name, 'Newer');
    });

    test('keeps its own priority without calling it a duplicate', () => {
      const rule = f.service.create(ruleInput({ priority: 10 }), admin);
      assert.equal(f.service.update(rule.id, ruleInput({ priority: 10, name: 'Same place' }), admin, 1).priority, 10);
    });

    test('says when the rule does not exist', () => {
      rejects(() => f.service.update(42, ruleInput(), admin, 1), 404, /does not exist/);
    });
  });

  describe('remove', () => {
    test('deletes the rule, keeps its versions and audits what it was', () => {
      const rule = f.service.create(ruleInput(), admin);
      f.service.remove(rule.id, admin);
      rejects(() => f.service.get(rule.id), 404);
      assert.equal(f.service.find(rule.id), undefined);
      assert.equal(f.service.version(rule.id, 1).snapshot.name, 'Contractors');
      const entry = f.audit.search({}).rows.find((r) => r.action === 'pf-jira.rule.delete');
      assert.equal(JSON.parse(entry?.before ?? '{}').name, 'Contractors');
      assert.equal(entry?.after, null);
    });

    test('needs an admin', () => {
      const rule = f.service.create(ruleInput(), admin);
      rejects(() => f.service.remove(rule.id, operator), 403);
    });
  });

  describe('setEnabled', () => {
    test('an operator may turn a rule off and on; each change is a new version, audited with its reason', () => {
      const rule = f.service.create(ruleInput(), admin);
      const off = f.service.setEnabled(rule.id, false, operator, 'creating duplicates');
      assert.equal(off.enabled, false);
      assert.equal(off.version, 2);
      const on = f.service.setEnabled(rule.id, true, operator);
      assert.equal(on.enabled, true);
      assert.equal(on.version, 3);
      assert.deepEqual(auditActions().sort(), ['pf-jira.rule.create', 'pf-jira.rule.disable', 'pf-jira.rule.enable']);
      const disable = f.audit.search({}).rows.find((r) => r.action === 'pf-jira.rule.disable');
      assert.deepEqual(JSON.parse(disable?.after ?? '{}'), { enabled: false, version: 2, reason: 'creating duplicates' });
      assert.equal(f.service.version(rule.id, 2).snapshot.enabled, false);
    });

    test('turning a rule on validates it again; turning it off does not', () => {
      const rule = f.service.create(ruleInput(), admin);
      f.service.recordValidation(rule.id, { status: 'invalid', errors: ['Project HR is gone.'] });
      f.service.setEnabled(rule.id, false, admin);
      assert.equal(f.service.get(rule.id).validationStatus, 'invalid');
      assert.equal(f.saved.length, 1);
      const on = f.service.setEnabled(rule.id, true, admin);
      assert.equal(on.validationStatus, 'pending');
      assert.deepEqual(on.validationErrors, []);
      assert.equal(f.saved.length, 2);
    });

    test('asking for the state a rule is already in changes nothing', () => {
      const rule = f.service.create(ruleInput(), admin);
      assert.equal(f.service.setEnabled(rule.id, true, operator).version, 1);
      assert.deepEqual(auditActions(), ['pf-jira.rule.create']);
    });

    test('a viewer may not', () => {
      const rule = f.service.create(ruleInput(), admin);
      rejects(() => f.service.setEnabled(rule.id, false, viewer), 403, /turn routing rules off/);
    });
  });

  describe('reorder', () => {
    test('assigns priorities 10, 20, 30 in the given order and versions the rules that moved', () => {
      const a = f.service.create(ruleInput({ name: 'A', priority: 10 }), admin);
      const b = f.service.create(ruleInput({ name: 'B', priority: 15 }), admin);
      const c = f.service.create(ruleInput({ name: 'C', priority: 30 }), admin);
      const list = f.service.reorder([c.id, a.id, b.id], admin);
      assert.deepEqual(
        list.map((r) => [r.name, r.priority, r.version]),
        [
          ['C', 10, 2],
          ['A', 20, 2],
          ['B', 30, 2],
        ],
      );
      assert.equal(f.service.version(c.id, 2).snapshot.priority, 10);
      const entry = f.audit.search({}).rows.find((r) => r.action === 'pf-jira.rule.reorder');
      assert.deepEqual(
        JSON.parse(entry?.after ?? '[]').map((r: { name: string }) => r.name),
        ['C', 'A', 'B'],
      );
    });

    test('leaves rules already in place untouched, and an unchanged order unaudited', () => {
      const a = f.service.create(ruleInput({ name: 'A', priority: 10 }), admin);
      const b = f.service.create(ruleInput({ name: 'B', priority: 20 }), admin);
      assert.deepEqual(
        f.service.reorder([a.id, b.id], admin).map((r) => r.version),
        [1, 1],
      );
      assert.ok(!auditActions().includes('pf-jira.rule.reorder'));
    });

    test('needs every rule exactly once', () => {
      const a = f.service.create(ruleInput({ name: 'A', priority: 10 }), admin);
      const b = f.service.create(ruleInput({ name: 'B', priority: 20 }), admin);
      for (const ids of [[a.id], [a.id, a.id], [a.id, b.id, 99], [b.id, 99]]) {
        assert.ok(rejects(() => f.service.reorder(ids, admin), 422).fieldErrors?.order);
      }
    });

    test('needs an admin', () => {
      const a = f.service.create(ruleInput(), admin);
      rejects(() => f.service.reorder([a.id], operator), 403);
    });
  });

  describe('versions', () => {
    test('an unknown version is not found', () => {
      const rule = f.service.create(ruleInput(), admin);
      rejects(() => f.service.version(rule.id, 7), 404, /no version 7/);
      assert.deepEqual(f.service.versions(999), []);
    });
  });

  describe('compiled', () => {
    const event = { type: 'employee_create', payload: { employment_type: { name: 'Contractor' } } };
    const fallback = { noMatchAction: 'drop' as const, fallbackProject: undefined, fallbackIssueType: 'Task' };

    test('reuses the compiled rule set until a rule changes', () => {
      const rule = f.service.create(ruleInput(), admin);
      const first = f.service.compiled();
      assert.equal(f.service.compiled(), first);
      assert.equal(first.evaluate(event, fallback).ruleId, rule.id);
      f.service.recordValidation(rule.id, { status: 'valid', errors: [] });
      assert.equal(f.service.compiled(), first);

      f.service.setEnabled(rule.id, false, admin);
      const second = f.service.compiled();
      assert.notEqual(second, first);
      assert.equal(second.evaluate(event, fallback).via, 'no_match');
    });

    test('sees creates, updates, reorders and deletes', () => {
      const a = f.service.create(ruleInput({ name: 'A', priority: 10 }), admin);
      const b = f.service.create(ruleInput({ name: 'B', priority: 20 }), admin);
      assert.equal(f.service.compiled().evaluate(event, fallback).ruleName, 'A');
      f.service.reorder([b.id, a.id], admin);
      assert.equal(f.service.compiled().evaluate(event, fallback).ruleName, 'B');
      f.service.update(b.id, ruleInput({ name: 'B2', priority: 10 }), admin, 2);
      assert.equal(f.service.compiled().evaluate(event, fallback).ruleName, 'B2');
      f.service.remove(b.id, admin);
      assert.equal(f.service.compiled().evaluate(event, fallback).ruleName, 'A');
    });
  });

  describe('recordValidation', () => {
    test('stamps finished results with the time and keeps it while validating', () => {
      const rule = f.service.create(ruleInput(), admin);
      const valid = f.service.recordValidation(rule.id, { status: 'valid', errors: [], version: 1 });
      assert.equal(valid?.validatedAt, f.clock.now());
      f.clock.advance(1000);
      const validating = f.service.recordValidation(rule.id, { status: 'validating', errors: [] });
      assert.equal(validating?.validationStatus, 'validating');
      assert.equal(validating?.validatedAt, f.clock.now() - 1000);
    });

    test('ignores a result for an older version or a deleted rule', () => {
      const rule = f.service.create(ruleInput(), admin);
      f.service.update(rule.id, ruleInput({ name: 'v2' }), admin, 1);
      assert.equal(f.service.recordValidation(rule.id, { status: 'invalid', errors: ['old'], version: 1 }), undefined);
      assert.equal(f.service.get(rule.id).validationStatus, 'pending');
      assert.equal(f.service.recordValidation(999, { status: 'valid', errors: [] }), undefined);
    });

    test('is not audited', () => {
      const rule = f.service.create(ruleInput(), admin);
      f.service.recordValidation(rule.id, { status: 'valid', errors: [] });
      assert.deepEqual(auditActions(), ['pf-jira.rule.create']);
    });
  });

  test('reports every committed change, and nothing for a refused or empty one', () => {
    const changes: RulesChangedEvent[] = [];
    const service = createRuleService({ handle: f.handle, tx: transactionRunner(f.handle), audit: f.audit, clock: f.clock, onChanged: (c) => changes.push(c) });
    const a = service.create(ruleInput({ name: 'A', priority: 10 }), admin);
    const b = service.create(ruleInput({ name: 'B', priority: 20 }), admin);
    service.update(a.id, ruleInput({ name: 'A2', priority: 10 }), admin, 1);
    service.setEnabled(b.id, false, operator);
    service.setEnabled(b.id, false, operator);
    service.setEnabled(b.id, true, operator);
    service.reorder([b.id, a.id], admin);
    service.reorder([b.id, a.id], admin);
    assert.throws(() => service.create(ruleInput({ name: 'dup', priority: 10 }), admin));
    service.remove(a.id, admin);
    assert.deepEqual(changes, [
      { action: 'create', ruleIds: [a.id] },
      { action: 'create', ruleIds: [b.id] },
      { action: 'update', ruleIds: [a.id] },
      { action: 'disable', ruleIds: [b.id] },
      { action: 'enable', ruleIds: [b.id] },
      { action: 'reorder', ruleIds: [b.id, a.id] },
      { action: 'delete', ruleIds: [a.id] },
    ]);
  });

  test('nextPriority leaves room after the last rule', () => {
    assert.equal(f.service.nextPriority(), 10);
    f.service.create(ruleInput({ priority: 35 }), admin);
    assert.equal(f.service.nextPriority(), 45);
  });
});
