import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IssueRecord } from '../../../src/simulators/jira/jira-model.js';
import { reindex, visibleDoc } from '../../../src/simulators/jira/search-index.js';

const issue = (): IssueRecord => ({
  id: '10000',
  key: 'IT-1',
  projectId: '10000',
  issueTypeId: '10001',
  fields: { labels: ['v1'] },
  properties: {},
  created: 0,
  updated: 0,
  deleted: false,
  index: [],
});

test('a new issue is invisible until the index delay has passed', () => {
  const i = issue();
  reindex(i, 1000, 500);
  assert.equal(visibleDoc(i, 1499, 500, false), undefined);
  assert.deepEqual(visibleDoc(i, 1500, 500, false)?.labels, ['v1']);
});

test('a change shows the previous indexed version until it is indexed', () => {
  const i = issue();
  reindex(i, 0, 500);
  i.fields.labels = ['v2'];
  reindex(i, 1000, 500);
  assert.deepEqual(visibleDoc(i, 1200, 500, false)?.labels, ['v1']);
  assert.deepEqual(visibleDoc(i, 1500, 500, false)?.labels, ['v2']);
});

test('reconciling an issue reads its live state', () => {
  const i = issue();
  reindex(i, 1000, 500);
  assert.deepEqual(visibleDoc(i, 1000, 500, true)?.labels, ['v1']);
  i.deleted = true;
  assert.equal(visibleDoc(i, 1000, 500, true), undefined);
});

test('a delete stays searchable until indexed', () => {
  const i = issue();
  reindex(i, 0, 500);
  i.deleted = true;
  reindex(i, 1000, 500);
  assert.ok(visibleDoc(i, 1100, 500, false));
  assert.equal(visibleDoc(i, 1500, 500, false), undefined);
});

test('forgets versions older than the newest indexed one', () => {
  const i = issue();
  for (const at of [0, 100, 200, 300]) reindex(i, at, 0);
  assert.equal(i.index.length, 1);
});

test('with no delay every write is visible at once', () => {
  const i = issue();
  reindex(i, 1000, 0);
  assert.ok(visibleDoc(i, 1000, 0, false));
});
