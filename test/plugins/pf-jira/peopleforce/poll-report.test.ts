import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PollProgress } from '../../../../src/plugins/pf-jira/peopleforce/poll-progress.js';
import { pollReport } from '../../../../src/plugins/pf-jira/peopleforce/poll-report.js';
import type { PollSummary } from '../../../../src/plugins/pf-jira/peopleforce/poller.js';

const idle: PollProgress = { queuedAt: null, running: false, startedAt: null, pages: 0, seen: 0 };
const summary: PollSummary = { at: 5000, seen: 30, created: 2, updated: 3, terminated: 1, reverted: 0, unchanged: 24, baselined: 0, pages: 1, ms: 80, complete: true };

test('without a finished run there is only the progress', () => {
  assert.deepEqual(pollReport({ progress: () => idle, lastPoll: () => undefined, countByCorrelation: () => assert.fail('nothing to count') }), { progress: idle, last: undefined });
});

test("groups the run's events by outcome, counted by its correlation id since it started", () => {
  const asked: [string, number][] = [];
  const report = pollReport({
    progress: () => idle,
    lastPoll: () => summary,
    countByCorrelation: (id, since) => {
      asked.push([id, since]);
      return { synced: 2, dropped: 1, failed: 1, dead: 1, discarded: 1, routed: 1, received: 2 };
    },
  });
  assert.deepEqual(asked, [['poll:5000', 5000]]);
  assert.equal(report.last?.correlationId, 'poll:5000');
  assert.deepEqual(report.last?.outcomes, { events: 9, synced: 2, dropped: 1, failed: 3, pending: 3 });
  assert.equal(report.last?.seen, 30);
});
