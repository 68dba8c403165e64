import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { transactionRunner } from '../../../../src/db/transaction.js';
import { pluginDb } from '../../../../src/plugins/pf-jira/db/plugin-db.js';
import { createRuleRepository, type RuleRepository } from '../../../../src/plugins/pf-jira/db/rule-repository.js';
import type { RuleInput } from '../../../../src/plugins/pf-jira/rules/rule-types.js';
import { migratedDb } from '../../../helpers/db.js';
import { ruleInput } from '../rules/rule-fixtures.js';

const handles: ReturnType<typeof migratedDb>[] = [];
after(() => handles.forEach((h) => h.close()));

const T0 = Date.UTC(2026, 0, 5);

describe('rule repository', () => {
  let repo: RuleRepository;
  let handle: ReturnType<typeof migratedDb>;
  const insert = (over: Partial<RuleInput>) => repo.insert(ruleInput(over), T0);

  beforeEach(() => {
    handle = migratedDb();
    handles.push(handle);
    repo = createRuleRepository(pluginDb(handle));
  });

  test('stores a rule with its conditions and mappings in order, at version 1 and pending validation', () => {
    const created = insert({
      mappings: [
        { fieldId: 'summary', sourceType: 'TEMPLATE', value: '{{ full_name }}' },
        { fieldId: 'duedate', sourceType: 'PF_PAYLOAD', value: '$.hired_on' },
      ],
    });
    assert.equal(created.version, 1);
    assert.equal(created.validationStatus, 'pending');
    assert.deepEqual(created.validationErrors, []);
    assert.deepEqual(repo.get(created.id), created);
    assert.deepEqual(
      created.mappings.map((m) => m.fieldId),
      ['summary', 'duedate'],
    );
    assert.deepEqual(created.conditions, ruleInput().conditions);
    assert.equal(repo.get(999), undefined);
  });

  test('lists rules by ascending priority, each with its own mappings', () => {
    const b = insert({ name: 'B', priority: 20, mappings: [{ fieldId: 'summary', sourceType: 'STATIC', value: 'b' }] });
    const a = insert({ name: 'A', priority: 10, mappings: [] });
    const c = insert({ name: 'C', priority: 30 });
    const list = repo.list();
    assert.deepEqual(
      list.map((r) => r.id),
      [a.id, b.id, c.id],
    );
    assert.deepEqual(list[0]?.mappings, []);
    assert.deepEqual(list[1]?.mappings, [{ fieldId: 'summary', sourceType: 'STATIC', value: 'b' }]);
  });

  test('update replaces fields and mappings at the new version and restarts validation', () => {
    const r = insert({});
    repo.setValidation(r.id, 'invalid', ['gone'], T0);
    const updated = repo.update(r.id, ruleInput({ name: 'Renamed', mappings: [{ fieldId: 'labels', sourceType: 'STATIC', value: 'x' }] }), 2, T0 + 1000);
    assert.equal(updated?.name, 'Renamed');
    assert.equal(updated?.version, 2);
    assert.equal(updated?.updatedAt, T0 + 1000);
    assert.equal(updated?.validationStatus, 'pending');
    assert.deepEqual(updated?.validationErrors, []);
    assert.deepEqual(updated?.mappings, [{ fieldId: 'labels', sourceType: 'STATIC', value: 'x' }]);
    assert.equal(repo.update(999, ruleInput(), 2, T0), undefined);
  });

  test('delete removes the rule and its mappings but keeps its versions', () => {
    const r = insert({});
    repo.insertVersion({ ruleId: r.id, version: 1, snapshot: { ...ruleInput(), id: r.id, version: 1 }, savedBy: 'admin@example.com', savedAt: T0 });
    assert.equal(repo.delete(r.id), 1);
    assert.equal(repo.get(r.id), undefined);
    assert.deepEqual(handle.sqlite.prepare('select count(*) as n from pfj_rule_mappings').get(), { n: 0 });
    assert.equal(repo.listVersions(r.id).length, 1);
    assert.equal(repo.delete(r.id), 0);
  });

  test('keeps versions newest first and finds one by number', () => {
    const r = insert({});
    for (const version of [1, 2, 3]) repo.insertVersion({ ruleId: r.id, version, snapshot: { ...ruleInput({ name: `v${version}` }), id: r.id, version }, savedBy: 'a@example.com', savedAt: T0 + version });
    assert.deepEqual(
      repo.listVersions(r.id).map((v) => v.version),
      [3, 2, 1],
    );
    assert.equal(repo.getVersion(r.id, 2)?.snapshot.name, 'v2');
    assert.equal(repo.getVersion(r.id, 2)?.savedBy, 'a@example.com');
    assert.equal(repo.getVersion(r.id, 9), undefined);
  });

  test('setValidation and setEnabled change only their own columns', () => {
    const r = insert({});
    assert.equal(repo.setValidation(r.id, 'invalid', ['Project HR is gone.'], T0 + 5), 1);
    assert.equal(repo.setEnabled(r.id, false, 2, T0 + 6), 1);
    const after = repo.get(r.id);
    assert.equal(after?.validationStatus, 'invalid');
    assert.deepEqual(after?.validationErrors, ['Project HR is gone.']);
    assert.equal(after?.validatedAt, T0 + 5);
    assert.equal(after?.enabled, false);
    assert.equal(after?.version, 2);
    assert.equal(after?.name, r.name);
  });

  test('priorities are unique', () => {
    insert({ priority: 10 });
    assert.throws(() => insert({ priority: 10 }), /UNIQUE/);
  });

  test('reorder swaps priorities without tripping the unique index, and reports the rules it changed', () => {
    const a = insert({ name: 'A', priority: 10 });
    const b = insert({ name: 'B', priority: 20 });
    const c = insert({ name: 'C', priority: 30 });
    const changed = repo.reorder(
      [
        { id: c.id, priority: 10, version: 2 },
        { id: a.id, priority: 30, version: 2 },
      ],
      T0 + 1,
    );
    assert.equal(changed, 2);
    assert.deepEqual(
      repo.list().map((r) => [r.name, r.priority, r.version]),
      [
        ['C', 10, 2],
        ['B', 20, 1],
        ['A', 30, 2],
      ],
    );
    assert.equal(repo.get(b.id)?.updatedAt, T0);
    assert.equal(repo.reorder([], T0), 0);
  });

  test('a failed reorder leaves every priority as it was', () => {
    const a = insert({ name: 'A', priority: 10 });
    const b = insert({ name: 'B', priority: 20 });
    insert({ name: 'C', priority: 30 });
    assert.throws(() =>
      repo.reorder(
        [
          { id: a.id, priority: 20, version: 2 },
          { id: b.id, priority: 30, version: 2 },
        ],
        T0,
      ),
    );
    assert.deepEqual(
      repo.list().map((r) => r.priority),
      [10, 20, 30],
    );
  });

  test('reorder joins a surrounding transaction', () => {
    const a = insert({ name: 'A', priority: 10 });
    const b = insert({ name: 'B', priority: 20 });
    const tx = transactionRunner(handle);
    assert.throws(() =>
      tx(() => {
        repo.reorder(
          [
            { id: b.id, priority: 10, version: 2 },
            { id: a.id, priority: 20, version: 2 },
          ],
          T0,
        );
        throw new Error('later step failed');
      }),
    );
    assert.deepEqual(
      repo.list().map((r) => r.name),
      ['A', 'B'],
    );
  });

  test('names the rule holding a priority, other than the one being edited', () => {
    const a = insert({ name: 'A', priority: 10 });
    assert.deepEqual(repo.priorityHolder(10), { id: a.id, name: 'A' });
    assert.equal(repo.priorityHolder(10, a.id), undefined);
    assert.equal(repo.priorityHolder(20), undefined);
  });

  test('maxPriority is 0 without rules, then the highest priority', () => {
    assert.equal(repo.maxPriority(), 0);
    insert({ priority: 40 });
    insert({ priority: 15 });
    assert.equal(repo.maxPriority(), 40);
  });

  test('the version stamp changes with every saved version and every delete, and only then', () => {
    const stamps = new Set<string>();
    const note = () => {
      const s = repo.rulesVersionStamp();
      stamps.add(s);
      return s;
    };
    note();
    const r = insert({});
    repo.insertVersion({ ruleId: r.id, version: 1, snapshot: { ...ruleInput(), id: r.id, version: 1 }, savedBy: null, savedAt: T0 });
    const afterInsert = note();
    repo.setValidation(r.id, 'valid', [], T0);
    assert.equal(repo.rulesVersionStamp(), afterInsert);
    repo.insertVersion({ ruleId: r.id, version: 2, snapshot: { ...ruleInput(), id: r.id, version: 2 }, savedBy: null, savedAt: T0 });
    note();
    repo.delete(r.id);
    note();
    assert.equal(stamps.size, 4);
  });
});
