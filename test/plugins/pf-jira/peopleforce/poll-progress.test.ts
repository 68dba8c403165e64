import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../../src/platform/clock.js';
import { EventBus } from '../../../../src/platform/events.js';
import { createPollProgress, type PollProgress } from '../../../../src/plugins/pf-jira/peopleforce/poll-progress.js';

const setup = () => {
  const bus = new EventBus();
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0));
  const seen: PollProgress[] = [];
  bus.on('pf-jira.poll.progress', (p) => seen.push(p));
  return { bus, clock, seen, progress: createPollProgress(bus, clock) };
};

test('a queued poll shows as waiting until a pass starts, then as running, then as done', () => {
  const { clock, seen, progress } = setup();
  assert.deepEqual(progress.current(), { queuedAt: null, running: false, startedAt: null, pages: 0, seen: 0 });
  progress.queued();
  const queuedAt = clock.now();
  assert.equal(progress.current().queuedAt, queuedAt);
  clock.advance(500);
  progress.report({ running: true, startedAt: clock.now(), pages: 0, seen: 0 });
  assert.deepEqual(progress.current(), { queuedAt: null, running: true, startedAt: clock.now(), pages: 0, seen: 0 });
  progress.report({ running: true, startedAt: clock.now(), pages: 1, seen: 100 });
  progress.report({ running: false, startedAt: clock.now(), pages: 1, seen: 100 });
  assert.deepEqual(progress.current(), { queuedAt: null, running: false, startedAt: clock.now(), pages: 1, seen: 100 });
  assert.equal(seen.length, 4, 'every change is announced');
});

test('queueing twice keeps the first time; a poll queued during a pass stays queued after it', () => {
  const { clock, progress } = setup();
  progress.report({ running: true, startedAt: clock.now(), pages: 0, seen: 0 });
  progress.queued();
  const queuedAt = clock.now();
  clock.advance(100);
  progress.queued();
  progress.report({ running: false, startedAt: clock.now(), pages: 2, seen: 150 });
  assert.equal(progress.current().queuedAt, queuedAt);
  progress.unqueued();
  assert.equal(progress.current().queuedAt, null);
});
