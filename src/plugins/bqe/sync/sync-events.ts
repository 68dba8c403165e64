import type { SyncObject, SyncRunStatus } from '../db/sync-repository.js';

/** Sent when a run starts, after every committed page, and when it ends; sync status pages listen over SSE. */
export interface SyncProgressEvent {
  connectionId: number;
  object: SyncObject;
  runId: number;
  pages: number;
  fetched: number;
  status: SyncRunStatus;
}

declare module '../../../platform/events.js' {
  interface EventMap {
    'bqe.sync.progress': SyncProgressEvent;
  }
}
