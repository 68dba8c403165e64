import assert from 'node:assert/strict';
import { test } from 'node:test';
import { versionChanges } from '../../../../src/plugins/pf-jira/rules/rule-history.js';
import { admin, operator, ruleInput, serviceFixture } from './rule-fixtures.js';

test('names what each version changed: short values as before → after, lists by name', () => {
  const f = serviceFixture();
  try {
    const rule = f.service.create(ruleInput({ name: 'Contractors', priority: 10 }), admin);
    f.service.update(rule.id, ruleInput({ name: 'Contractors only', priority: 15, conditions: [] }), admin, 1);
    f.service.setEnabled(rule.id, false, operator);
    f.service.update(rule.id, { ...ruleInput({ name: 'Contractors only', priority: 15, conditions: [] }), enabled: false }, admin, 3);
    const history = versionChanges(f.service.versions(rule.id));
    assert.deepEqual(
      history.map((v) => [v.version, v.changes]),
      [
        [4, ['no visible change']],
        [3, ['on/off: on → off']],
        [2, ['name: Contractors → Contractors only', 'priority: 10 → 15', 'conditions']],
        [1, ['created']],
      ],
    );
  } finally {
    f.close();
  }
});
