import { z } from 'zod';
import { PermanentJobError, type JobQueue, type JobSpec, type Task } from '../../../jobs/index.js';
import type { Clock } from '../../../platform/clock.js';
import type { Connection, ConnectionRepository } from '../db/connection-repository.js';
import type { SyncObject, SyncRepository, SyncTrigger } from '../db/sync-repository.js';
import { OBJECT_NAMES } from '../provider.js';
import type { ObjectSync } from './object-sync.js';

export const SYNC_TASK = 'bqe.sync_object';

const payloadSchema = z.object({
  connectionId: z.number().int().positive(),
  object: z.enum(['project', 'client']),
  trigger: z.enum(['schedule', 'manual']),
});

export type SyncJobPayload = z.infer<typeof payloadSchema>;

/** One chain of slices per connection and object: the key keeps a second chain from starting beside it. */
export const syncJobKey = (connectionId: number, object: SyncObject): string => `bqe:sync:${connectionId}:${object}`;

/** One queue per connection: its objects sync one slice at a time, so they never compete for its rate limit. */
export const syncQueueName = (connectionId: number): string => `bqe:${connectionId}`;

const syncSpec = (connectionId: number, object: SyncObject): JobSpec => ({ jobKey: syncJobKey(connectionId, object), queueName: syncQueueName(connectionId) });

/** The objects a connection syncs: clients only when its client-sync policy is not `off`. */
export const syncedObjects = (connection: Pick<Connection, 'clientSync'>): SyncObject[] =>
  OBJECT_NAMES.filter((object) => object !== 'client' || connection.clientSync !== 'off');

/** Why a connection cannot sync at all right now (the missing UTC offset is told apart: it is reported on the run). */
const blocker = (connection: Connection): string | null => {
  if (!connection.syncEnabled) return 'sync is switched off for this connection';
  if (connection.status !== 'connected' || !connection.hasTokens) return `the connection is ${connection.status.replace('_', ' ')}`;
  return null;
};

export interface SyncTaskDeps {
  connections: Pick<ConnectionRepository, 'get'>;
  objectSync: ObjectSync;
  syncRepo: SyncRepository;
}

/**
 * The `bqe.sync_object` task: one slice of one object's sync. When pages are
 * left it queues itself again under the same key, so the next slice runs as a
 * fresh job and other work on the queue gets its turn in between (tick/yield).
 */
export const createSyncTask = (deps: SyncTaskDeps): Task => async (raw, helpers) => {
  const parsed = payloadSchema.safeParse(raw);
  if (!parsed.success) throw new PermanentJobError(`bqe.sync_object needs {connectionId, object, trigger}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const payload = parsed.data;
  const log = helpers.logger.child({ connectionId: payload.connectionId, object: payload.object, trigger: payload.trigger });

  const connection = deps.connections.get(payload.connectionId);
  if (!connection) {
    log.info('bqe sync skipped: the connection no longer exists');
    return;
  }
  const reason = blocker(connection);
  if (reason) {
    log.info({ reason }, 'bqe sync skipped');
    return;
  }
  if (!syncedObjects(connection).includes(payload.object)) {
    log.info('bqe sync skipped: client sync is off for this connection');
    return;
  }
  // Without an offset a run can only fail; a scheduled one would fill the history with the same failure every tick.
  if (connection.utcOffsetMinutes === null && payload.trigger === 'schedule') {
    log.info('bqe sync skipped: the connection has no UTC offset');
    return;
  }

  const { done, run } = await deps.objectSync.runSlice({ connection, object: payload.object, trigger: payload.trigger, signal: helpers.abortSignal, log });
  const fullWaiting = done && run?.mode === 'delta' && deps.syncRepo.getCursor(connection.id, payload.object)?.fullRequested === true;
  if (!done || fullWaiting) await helpers.addJob(SYNC_TASK, payload, syncSpec(connection.id, payload.object));
};

/** Queues sync slices: on demand from pages and the API, and for every connection on each domain tick. */
export const createSyncScheduler = (deps: { syncRepo: SyncRepository; clock: Clock }) => ({
  /**
   * Starts (or restarts the wait of) a connection's sync of one object now. A
   * full re-sync is recorded on the cursor first, so a run already in progress
   * finishes and the next run walks every page.
   */
  async queueSync(queue: Pick<JobQueue, 'addJob'>, connectionId: number, object: SyncObject, trigger: SyncTrigger, options: { full: boolean }) {
    if (options.full) deps.syncRepo.requestFull(connectionId, object, deps.clock.now());
    const payload: SyncJobPayload = { connectionId, object, trigger };
    return queue.addJob(SYNC_TASK, payload, { ...syncSpec(connectionId, object), jobKeyMode: 'replace' });
  },

  /**
   * The domain tick's work: a delta slice for every connection that can sync
   * and each object it syncs. `preserve_run_at` keeps a chain already waiting
   * where it is instead of adding a second one. Returns how many were queued.
   */
  async tickWork(input: { connections: readonly Connection[]; queue: Pick<JobQueue, 'addJob'> }): Promise<number> {
    let queued = 0;
    for (const connection of input.connections) {
      if (blocker(connection) !== null || connection.utcOffsetMinutes === null) continue;
      for (const object of syncedObjects(connection)) {
        const payload: SyncJobPayload = { connectionId: connection.id, object, trigger: 'schedule' };
        await input.queue.addJob(SYNC_TASK, payload, { ...syncSpec(connection.id, object), jobKeyMode: 'preserve_run_at' });
        queued++;
      }
    }
    return queued;
  },
});

export type SyncScheduler = ReturnType<typeof createSyncScheduler>;
