import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIssue } from '../../../src/simulators/jira/issue-writes.js';
import { createState } from '../../../src/simulators/jira/jira-seed.js';
import type { SearchDoc } from '../../../src/simulators/jira/jira-model.js';
import { compileJql, JqlError } from '../../../src/simulators/jira/jql-evaluator.js';
import { parseJql } from '../../../src/simulators/jira/jql-parser.js';

const NOW = Date.UTC(2026, 0, 10, 12);
const HOUR = 3_600_000;
const state = createState({ indexDelayMs: 0, burstLimit: 0 }, 'demo@example.com', true);
const ctx = { state, now: NOW, origin: 'http://jira.test' };
createIssue(ctx, { fields: { project: { key: 'IT' }, issuetype: { id: '10001' }, summary: 'a' }, update: {}, properties: [] });

const doc = (over: Partial<SearchDoc> = {}): SearchDoc => ({
  id: '10000',
  key: 'IT-1',
  projectId: '10000',
  issueTypeId: '10001',
  labels: [],
  created: NOW - 72 * HOUR,
  updated: NOW - HOUR,
  ...over,
});

const compile = (jql: string) => compileJql(state, parseJql(jql), NOW);
const matches = (jql: string, d: SearchDoc) => compile(jql).matches(d);

test('project matches by key, id or name, with = and IN', () => {
  assert.ok(matches('project = IT', doc()));
  assert.ok(matches('project = 10000', doc()));
  assert.ok(matches('project = "IT Service"', doc()));
  assert.ok(matches('project in (HR, it)', doc()));
  assert.ok(!matches('project = HR', doc()));
  assert.ok(matches('project = IT AND project != HR', doc()));
});

test('labels =, IN, != and NOT IN follow Jira, where != never matches an unlabelled issue', () => {
  const tagged = doc({ labels: ['onboarding', 'sy-123'] });
  assert.ok(matches('project = IT AND labels = sy-123', tagged));
  assert.ok(matches('project = IT AND labels in ("x", "onboarding")', tagged));
  assert.ok(!matches('project = IT AND labels != onboarding', tagged));
  assert.ok(matches('project = IT AND labels != other', tagged));
  assert.ok(!matches('project = IT AND labels != other', doc()));
  assert.ok(matches('project = IT AND labels not in (x, y)', tagged));
});

test('updated and created compare with absolute dates and relative periods', () => {
  const d = doc({ updated: NOW - 30 * HOUR });
  assert.ok(matches('project = IT AND updated >= -48h', d));
  assert.ok(!matches('project = IT AND updated >= -1d', d));
  assert.ok(matches('project = IT AND updated >= -2d', d));
  assert.ok(!matches('project = IT AND updated >= -30m', d));
  assert.ok(matches('project = IT AND updated >= "2026-01-09 06:00"', d));
  assert.ok(!matches('project = IT AND updated >= "2026-01-09 06:01"', d));
  assert.ok(matches('project = IT AND created < "2026/01/08"', d));
});

test('issuetype matches by name or id', () => {
  assert.ok(matches('project = IT AND issuetype = Task', doc()));
  assert.ok(matches('project = IT AND type in (10001)', doc()));
  assert.ok(!matches('project = IT AND issuetype = Onboarding', doc()));
});

test('key matches existing issues by key or id', () => {
  assert.ok(matches('key = IT-1', doc()));
  assert.ok(matches('issuekey in (it-1)', doc()));
  assert.ok(!matches('key = IT-1', doc({ id: '10001', key: 'IT-2' })));
});

test('OR needs every branch bounded; AND needs one bounded side', () => {
  assert.equal(compile('project = IT AND labels = x').bounded, true);
  assert.equal(compile('key = IT-1').bounded, true);
  assert.equal(compile('project = IT OR labels = x').bounded, false);
  assert.equal(compile('labels = x').bounded, false);
  assert.equal(compile('project != IT').bounded, false);
  assert.equal(compile('ORDER BY created').bounded, false);
  assert.equal(compile('(project = IT AND labels = a) OR project = HR').bounded, true);
});

const semanticError = (jql: string): string => {
  try {
    compile(jql);
  } catch (err) {
    assert.ok(err instanceof JqlError);
    return err.message;
  }
  assert.fail(`expected ${jql} to be refused`);
};

test('refuses unknown fields, projects, issue types and keys as Jira does', () => {
  assert.equal(semanticError('project = IT AND colour = red'), "Field 'colour' does not exist or you do not have permission to view it.");
  assert.equal(semanticError('project = NOPE'), "The value 'NOPE' does not exist for the field 'project'.");
  assert.equal(semanticError('project = IT AND issuetype = Epic'), "The value 'Epic' does not exist for the field 'issuetype'.");
  assert.equal(semanticError('key = IT-99'), "An issue with key 'IT-99' does not exist for field 'key'.");
  assert.equal(semanticError('key = banana'), "The issue key 'banana' for field 'key' is invalid.");
});

test('refuses operators a field does not support and malformed dates', () => {
  assert.equal(semanticError('project > IT'), "The operator '>' is not supported by the 'project' field.");
  assert.equal(semanticError('project = IT AND updated in (-1d)'), "The operator 'IN' is not supported by the 'updated' field.");
  assert.match(semanticError('project = IT AND updated >= yesterday'), /^Date value 'yesterday' for field 'updated' is invalid/);
});

test('refuses entity properties as not indexed', () => {
  assert.match(semanticError('project = IT AND issue.property[sync-meta].sourceId = "abc"'), /Issue property 'sync-meta' is not indexed/);
});

test('orders by the ORDER BY fields, then newest id first', () => {
  const a = doc({ id: '1', updated: 3, created: 1 });
  const b = doc({ id: '2', updated: 2, created: 1 });
  const c = doc({ id: '3', updated: 2, created: 1 });
  assert.deepEqual([a, b, c].sort(compile('project = IT ORDER BY updated DESC').compare).map((d) => d.id), ['1', '3', '2']);
  assert.deepEqual([a, b, c].sort(compile('project = IT ORDER BY updated ASC').compare).map((d) => d.id), ['3', '2', '1']);
  assert.deepEqual([a, b, c].sort(compile('project = IT').compare).map((d) => d.id), ['3', '2', '1']);
  assert.equal(semanticError('project = IT ORDER BY labels'), "Field 'labels' does not support sorting.");
  const ops = doc({ id: '4', projectId: '10002', issueTypeId: '10001' });
  const onboardingDoc = doc({ id: '5', projectId: '10000', issueTypeId: '10010' });
  assert.deepEqual([ops, onboardingDoc].sort(compile('project in (IT, OPS) ORDER BY project').compare).map((d) => d.id), ['5', '4']);
  assert.deepEqual([onboardingDoc, ops].sort(compile('project in (IT, OPS) ORDER BY issuetype DESC').compare).map((d) => d.id), ['4', '5']);
  assert.deepEqual([doc({ id: '7', key: 'IT-10' }), doc({ id: '6', key: 'IT-9' })].sort(compile('project = IT ORDER BY key').compare).map((d) => d.id), ['6', '7']);
});
