import { isUpstreamError } from '../../../platform/upstream-error.js';

/**
 * How long an admin's page waits for Jira metadata that is not cached yet.
 * Past it the page says so and carries on; the load itself goes on and fills
 * the cache, so the next look finds it.
 */
export const FIRST_LOAD_WAIT_MS = 3_000;

export class WaitedTooLong extends Error {
  constructor(readonly ms: number) {
    super(`Jira did not answer within ${ms / 1000} s`);
    this.name = 'WaitedTooLong';
  }
}

/** The promise's outcome, or WaitedTooLong after `ms`. */
export const withinTimeLimit = <T>(promise: Promise<T>, ms = FIRST_LOAD_WAIT_MS): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WaitedTooLong(ms)), ms);
    timer.unref();
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
};

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** Why Jira metadata could not be had, in one plain sentence without a final full stop. */
export const describeJiraFailure = (err: unknown): string => {
  if (err instanceof WaitedTooLong) return `Jira could not be reached (timeout after ${seconds(err.ms)})`;
  if (isUpstreamError(err)) {
    if (err.kind === 'timeout') return 'Jira could not be reached (its answer timed out)';
    if (err.kind === 'network') return `Jira could not be reached (${err.message})`;
    if (err.kind === 'bad_response') return `Jira sent an answer Switchyard could not read (status ${err.status})`;
    if (err.status === 401) return 'Jira refused the credentials (401); check the email and API token on the Connections page';
    if (err.status === 403) return 'Jira refused access (403); the Jira account may lack the permission';
    if (err.status === 429) return `Jira is limiting requests (429)${err.retryAfterMs ? `; it asks to wait ${seconds(err.retryAfterMs)}` : ''}`;
    if (err.status >= 500) return `Jira answered with a server error (${err.status})`;
    return `Jira refused the request (${err.status}: ${err.message})`;
  }
  return err instanceof Error ? err.message.replace(/\.$/, '') : String(err);
};
