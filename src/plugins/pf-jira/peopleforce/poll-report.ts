import type { EventStatus } from '../db/event-repository.js';
import type { PollProgress } from './poll-progress.js';
import type { PollSummary } from './poller.js';

/** What became of the events a poll emitted, so far. */
export interface PollOutcomes {
  /** New events the run emitted. */
  events: number;
  synced: number;
  dropped: number;
  /** Failed and retrying, dead, or discarded from the dead letters. */
  failed: number;
  /** Not decided or not delivered yet. */
  pending: number;
}

export interface PollReport {
  progress: PollProgress;
  last: (PollSummary & { correlationId: string; outcomes: PollOutcomes }) | undefined;
}

export interface PollReportDeps {
  progress: () => PollProgress;
  lastPoll: () => PollSummary | undefined;
  countByCorrelation: (correlationId: string, since: number) => Partial<Record<EventStatus, number>>;
}

/** The Sync now panel's content: the poll under way (or queued) and the last finished run with its events' outcomes. */
export const pollReport = (deps: PollReportDeps): PollReport => {
  const progress = deps.progress();
  const summary = deps.lastPoll();
  if (!summary) return { progress, last: undefined };
  const correlationId = `poll:${summary.at}`;
  const n = deps.countByCorrelation(correlationId, summary.at);
  const count = (...statuses: EventStatus[]) => statuses.reduce((sum, s) => sum + (n[s] ?? 0), 0);
  const outcomes: PollOutcomes = {
    events: Object.values(n).reduce((sum, v) => sum + (v ?? 0), 0),
    synced: count('synced'),
    dropped: count('dropped'),
    failed: count('failed', 'dead', 'discarded'),
    pending: count('received', 'routed'),
  };
  return { progress, last: { ...summary, correlationId, outcomes } };
};
