import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatJiraTime, isJiraDate, isJiraDateTime, parseJqlDate, parseJqlPeriod } from '../../../src/simulators/jira/jira-time.js';

test("formats timestamps in Jira's +0000 style", () => {
  assert.equal(formatJiraTime(Date.UTC(2026, 0, 1, 10)), '2026-01-01T10:00:00.000+0000');
});

test('date fields take only real YYYY-MM-DD days', () => {
  assert.ok(isJiraDate('2024-02-29'));
  assert.ok(!isJiraDate('2025-02-29'));
  assert.ok(!isJiraDate('2025-2-1'));
});

test('datetime fields need seconds and an offset', () => {
  assert.ok(isJiraDateTime('2025-01-31T14:39:00.000+0000'));
  assert.ok(isJiraDateTime('2025-01-31T14:39:00Z'));
  assert.ok(isJiraDateTime('2025-01-31T14:39:00-05:00'));
  assert.ok(!isJiraDateTime('2025-01-31T14:39'));
  assert.ok(!isJiraDateTime('2025-01-31T14:39:00'));
});

test('JQL dates read dashes or slashes, with an optional time, as UTC', () => {
  assert.equal(parseJqlDate('2026-01-02 03:04'), Date.UTC(2026, 0, 2, 3, 4));
  assert.equal(parseJqlDate('2026/01/02'), Date.UTC(2026, 0, 2));
  assert.equal(parseJqlDate('2026-13-02'), undefined);
  assert.equal(parseJqlDate('yesterday'), undefined);
});

test('JQL periods count back (or forward) from now in weeks, days, hours or minutes', () => {
  assert.equal(parseJqlPeriod('-48h', 200_000_000), 200_000_000 - 48 * 3_600_000);
  assert.equal(parseJqlPeriod('-2d', 200_000_000), 200_000_000 - 2 * 86_400_000);
  assert.equal(parseJqlPeriod('-30m', 200_000_000), 200_000_000 - 30 * 60_000);
  assert.equal(parseJqlPeriod('1w', 0), 604_800_000);
  assert.equal(parseJqlPeriod('-2y', 0), undefined);
});
