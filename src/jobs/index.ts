/**
 * The embedded job queue's public API, named after graphile-worker's so task
 * code can later run on graphile-worker itself: addJob/addJobs, TaskList,
 * helpers { job, logger, addJob, abortSignal }, job keys, crontab syntax and
 * the admin operations. Everything else in src/jobs is internal.
 */
export { JobQueue, DEFAULT_MAX_ATTEMPTS, type KeyedJob, type RescheduleOptions } from './queue.js';
export { JobRunner, DEFAULT_RUNNER_OPTIONS, type RunnerOptions, type PoolConfig, type PoolStatus } from './runner.js';
export { parseCrontab, type CronItem } from './crontab.js';
export { PermanentJobError, JobSpecError, RetryLaterError } from './errors.js';
export { backoffMs } from './backoff.js';
export { defineTask, POOLS, JOB_KEY_MODES } from './types.js';
export type { Job, JobSpec, JobHelpers, Task, TaskList, TaskOptions, PoolName, JobKeyMode, AddJobFn } from './types.js';
