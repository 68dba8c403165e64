import type { Clock } from '../../../platform/clock.js';
import type { EventBus } from '../../../platform/events.js';

/** What the poller reports while it reads PeopleForce. */
export interface PollerProgress {
  running: boolean;
  /** Also the run's correlation id: `poll:<startedAt>`. */
  startedAt: number;
  pages: number;
  seen: number;
}

/** The polling state an admin sees: a manual poll waiting for its turn, a pass under way, or neither. */
export interface PollProgress {
  /** When "Sync now" queued a poll that has not started yet. */
  queuedAt: number | null;
  running: boolean;
  startedAt: number | null;
  pages: number;
  seen: number;
}

declare module '../../../platform/events.js' {
  interface EventMap {
    /** A poll was queued, started, read a page, or finished. */
    'pf-jira.poll.progress': PollProgress;
  }
}

/**
 * Polling progress, kept in memory (it only matters while the hub runs; the
 * finished pass's summary is persisted by the poller) and announced on the bus.
 */
export const createPollProgress = (bus: EventBus, clock: Clock) => {
  let current: PollProgress = { queuedAt: null, running: false, startedAt: null, pages: 0, seen: 0 };
  const set = (next: PollProgress): void => {
    current = next;
    bus.emit('pf-jira.poll.progress', current);
  };
  return {
    current: (): PollProgress => current,
    /** A manual poll was queued; it shows as waiting until a pass starts. */
    queued(): void {
      if (current.queuedAt === null) set({ ...current, queuedAt: clock.now() });
    },
    /** Queueing the manual poll failed. */
    unqueued(): void {
      if (current.queuedAt !== null) set({ ...current, queuedAt: null });
    },
    report(progress: PollerProgress): void {
      set({ queuedAt: progress.running ? null : current.queuedAt, running: progress.running, startedAt: progress.startedAt, pages: progress.pages, seen: progress.seen });
    },
  };
};

export type PollProgressTracker = ReturnType<typeof createPollProgress>;
