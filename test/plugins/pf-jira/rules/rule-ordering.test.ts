import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { AppError } from '../../../../src/errors.js';
import { moveRule, reorderRules } from '../../../../src/plugins/pf-jira/rules/rule-ordering.js';
import { admin, operator, ruleInput, serviceFixture } from './rule-fixtures.js';

let f: ReturnType<typeof serviceFixture>;
let ids: number[];
beforeEach(() => {
  f = serviceFixture();
  ids = ['A', 'B', 'C'].map((name, i) => f.service.create(ruleInput({ name, priority: (i + 1) * 10 }), admin).id);
});
afterEach(() => f.close());

const names = () => f.service.list().map((r) => r.name);
const versions = () => f.service.list().map((r) => r.version);
const refused = (fn: () => unknown, status: number, pattern: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof AppError && err.status === status && pattern.test(err.message));

test('puts the rules in the order given when the versions shown are current', () => {
  reorderRules(f.service, [ids[2]!, ids[0]!, ids[1]!], versions(), admin);
  assert.deepEqual(names(), ['C', 'A', 'B']);
});

test('refuses an order missing or repeating a rule: rules were added or deleted meanwhile', () => {
  refused(() => reorderRules(f.service, [ids[1]!, ids[0]!], undefined, admin), 422, /added or deleted meanwhile; the list was reloaded/);
  refused(() => reorderRules(f.service, [ids[1]!, ids[0]!, ids[0]!], undefined, admin), 422, /added or deleted meanwhile/);
  refused(() => reorderRules(f.service, [ids[1]!, ids[0]!, 999], undefined, admin), 422, /added or deleted meanwhile/);
  assert.deepEqual(names(), ['A', 'B', 'C']);
});

test('refuses an order built on a rule someone changed since, naming it', () => {
  const shown = versions();
  f.service.setEnabled(ids[1]!, false, operator);
  refused(() => reorderRules(f.service, [ids[2]!, ids[1]!, ids[0]!], shown, admin), 409, /Rule “B” was changed meanwhile \(it is now version 2\)/);
  assert.deepEqual(names(), ['A', 'B', 'C']);
});

test('moves a rule one place up or down, and not past either end', () => {
  assert.equal(moveRule(f.service, ids[2]!, 'up', admin).moved, true);
  assert.deepEqual(names(), ['A', 'C', 'B']);
  assert.equal(moveRule(f.service, ids[0]!, 'down', admin).moved, true);
  assert.deepEqual(names(), ['C', 'A', 'B']);
  assert.equal(moveRule(f.service, ids[2]!, 'up', admin).moved, false);
  assert.equal(moveRule(f.service, ids[1]!, 'down', admin).moved, false);
  assert.deepEqual(names(), ['C', 'A', 'B']);
  refused(() => moveRule(f.service, 999, 'up', admin), 404, /does not exist/);
  refused(() => moveRule(f.service, ids[0]!, 'up', operator), 403, /cannot reorder routing rules/);
});
