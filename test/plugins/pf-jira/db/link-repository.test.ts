import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { DbHandle } from '../../../../src/db/connection.js';
import { createLinkRepository, type LinkRepository } from '../../../../src/plugins/pf-jira/db/link-repository.js';
import { pluginDb } from '../../../../src/plugins/pf-jira/db/plugin-db.js';
import { migratedDb } from '../../../helpers/db.js';

let handle: DbHandle;
let links: LinkRepository;

beforeEach(() => {
  handle = migratedDb();
  links = createLinkRepository(pluginDb(handle));
});

afterEach(() => handle.close());

const T0 = Date.UTC(2026, 2, 1);

const intent = (overrides: Partial<Parameters<LinkRepository['recordIntent']>[0]> = {}) =>
  links.recordIntent({ entityKey: 'employee:42', scope: 'rule:7', projectKey: 'OPS', clientToken: 'tok-1', ruleId: 7, ruleVersion: 1, now: T0, ...overrides });

const adoption = (overrides: Partial<Parameters<LinkRepository['adopt']>[0]> = {}) => ({
  entityKey: 'employee:42',
  scope: 'rule:7',
  projectKey: 'OPS',
  clientToken: 'tok-found',
  issueId: '10050',
  issueKey: 'OPS-50',
  now: T0,
  ...overrides,
});

test('records an intent as a pending link without an issue', () => {
  const link = intent();
  assert.deepEqual(link, {
    id: link.id,
    entityKey: 'employee:42',
    scope: 'rule:7',
    projectKey: 'OPS',
    state: 'pending',
    clientToken: 'tok-1',
    issueId: null,
    issueKey: null,
    ruleId: 7,
    ruleVersion: 1,
    intentAt: T0,
    createdAt: T0,
    updatedAt: T0,
  });
  assert.deepEqual(links.get('employee:42', 'rule:7'), link);
});

test('a second intent for the same entity and scope keeps the first token and creation time', () => {
  const first = intent();
  const again = intent({ clientToken: 'tok-2', projectKey: 'HR', ruleVersion: 2, now: T0 + 1000 });
  assert.equal(again.id, first.id);
  assert.equal(again.clientToken, 'tok-1');
  assert.equal(again.createdAt, T0);
  assert.deepEqual([again.projectKey, again.ruleVersion, again.intentAt, again.updatedAt, again.state], ['HR', 2, T0 + 1000, T0 + 1000, 'pending']);
  assert.equal(links.count(), 1);
});

test('an intent under another scope makes a separate link', () => {
  intent();
  intent({ scope: 'fallback', clientToken: 'tok-2' });
  assert.equal(links.count(), 2);
});

test('confirm links the intent to the created issue', () => {
  const link = intent();
  assert.equal(links.confirm(link.id, { id: '10001', key: 'OPS-1' }, T0 + 5), 1);
  const confirmed = links.get('employee:42', 'rule:7');
  assert.deepEqual([confirmed?.state, confirmed?.issueId, confirmed?.issueKey, confirmed?.updatedAt, confirmed?.clientToken], ['linked', '10001', 'OPS-1', T0 + 5, 'tok-1']);
  assert.equal(links.confirm(9999, { id: '1', key: 'X-1' }, T0), 0);
});

test('a new intent on a linked link keeps it linked to its issue', () => {
  const link = intent();
  links.confirm(link.id, { id: '10001', key: 'OPS-1' }, T0);
  const again = intent({ clientToken: 'tok-2', now: T0 + 10 });
  assert.deepEqual([again.state, again.issueKey, again.clientToken], ['linked', 'OPS-1', 'tok-1']);
});

test('touch records the rule version that last synced the link', () => {
  const link = intent();
  assert.equal(links.touch(link.id, { ruleId: 8, ruleVersion: 4 }, T0 + 7), 1);
  const touched = links.get('employee:42', 'rule:7');
  assert.deepEqual([touched?.ruleId, touched?.ruleVersion, touched?.updatedAt, touched?.state], [8, 4, T0 + 7, 'pending']);
});

test('adopt stores a linked link for an issue found in Jira', () => {
  assert.equal(links.adopt(adoption()), true);
  const adopted = links.get('employee:42', 'rule:7');
  assert.deepEqual(
    [adopted?.state, adopted?.clientToken, adopted?.issueId, adopted?.issueKey, adopted?.ruleId, adopted?.intentAt],
    ['linked', 'tok-found', '10050', 'OPS-50', null, null],
  );
});

test('adopt never overwrites an existing link', () => {
  const link = intent();
  links.confirm(link.id, { id: '10001', key: 'OPS-1' }, T0);
  assert.equal(links.adopt(adoption({ issueKey: 'OPS-50', now: T0 + 9 })), false);
  const kept = links.get('employee:42', 'rule:7');
  assert.deepEqual([kept?.issueKey, kept?.clientToken, kept?.updatedAt], ['OPS-1', 'tok-1', T0]);
  assert.equal(links.count(), 1);
});

test('finds a link by its issue key', () => {
  const link = intent();
  links.confirm(link.id, { id: '10001', key: 'OPS-1' }, T0);
  assert.equal(links.byIssueKey('OPS-1')?.id, link.id);
  assert.equal(links.byIssueKey('OPS-2'), undefined);
});

test('lists an entity\'s links, most recently updated first', () => {
  const older = intent({ scope: 'rule:7', now: T0 });
  const newer = intent({ scope: 'fallback', clientToken: 'tok-2', now: T0 + 100 });
  intent({ entityKey: 'employee:43', clientToken: 'tok-3' });
  assert.deepEqual(links.forEntity('employee:42').map((l) => l.id), [newer.id, older.id]);
  links.touch(older.id, { ruleId: 7, ruleVersion: 2 }, T0 + 200);
  assert.deepEqual(links.forEntity('employee:42').map((l) => l.id), [older.id, newer.id]);
  assert.deepEqual(links.forEntity('employee:99'), []);
});

test('remove deletes one link and count follows', () => {
  const a = intent();
  intent({ scope: 'fallback', clientToken: 'tok-2' });
  assert.equal(links.count(), 2);
  assert.equal(links.remove(a.id), 1);
  assert.equal(links.remove(a.id), 0);
  assert.equal(links.count(), 1);
  assert.equal(links.get('employee:42', 'rule:7'), undefined);
});

test('count is zero with no links', () => {
  assert.equal(links.count(), 0);
});
