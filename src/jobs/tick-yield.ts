import type { DomainConfigService } from '../platform/domain-config.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events.js';
import type { JobQueue } from './queue.js';
import type { JobHelpers, Task } from './types.js';

export interface TickContext {
  domain: string;
  helpers: JobHelpers;
  /** Aborted when the runner shuts down: stop between pages and let the next tick continue. */
  signal: AbortSignal;
}

export interface TickYield {
  identifier: string;
  task: Task;
  /** Makes sure a tick is scheduled, keeping an existing tick's time (safe to call on every start). */
  ensureScheduled(queue: JobQueue): Promise<void>;
}

/**
 * The polling pattern: one task per domain that does one round of work and
 * then queues its own next run. The job key (one per domain) and a named
 * queue mean there are never two ticks at once. DomainConfig is read on every
 * tick, so the master switch and a changed interval apply from the next tick
 * without a restart; while switched off, ticks still come round but do nothing.
 */
export const tickYield = (options: {
  domain: string;
  domainConfig: DomainConfigService;
  events: EventBus;
  clock: Clock;
  work: (ctx: TickContext) => Promise<void>;
}): TickYield => {
  const identifier = `${options.domain}.tick`;
  const jobKey = `tick:${options.domain}`;
  const spec = { jobKey, queueName: jobKey, maxAttempts: 3 };

  const task: Task = async (_payload, helpers) => {
    const started = performance.now();
    const config = options.domainConfig.get(options.domain);
    try {
      if (config.enabled) await options.work({ domain: options.domain, helpers, signal: helpers.abortSignal });
      options.events.emit('tick.completed', { domain: options.domain, ran: config.enabled, ms: performance.now() - started, error: null });
    } catch (err) {
      // The round failed; the chain must not break, so the error is reported and the next tick still comes.
      const message = err instanceof Error ? err.message : String(err);
      helpers.logger.error({ domain: options.domain, err }, 'tick failed');
      options.events.emit('tick.completed', { domain: options.domain, ran: true, ms: performance.now() - started, error: message });
    } finally {
      const interval = options.domainConfig.get(options.domain).pollIntervalSeconds;
      await helpers.addJob(identifier, {}, { ...spec, runAt: new Date(options.clock.now() + interval * 1000) });
    }
  };

  return {
    identifier,
    task,
    ensureScheduled: async (queue) => {
      await queue.addJob(identifier, {}, { ...spec, jobKeyMode: 'preserve_run_at' });
    },
  };
};
