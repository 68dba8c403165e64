import { badRequest } from './jira-errors.js';

/** Offset paging as Jira's list endpoints do it: `startAt` + `maxResults`, answered with `total` and `isLast`. */

export interface PageRequest {
  startAt: number;
  maxResults: number;
}

const whole = (name: string, raw: string | undefined, fallback: number, min: number): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw badRequest(`The '${name}' parameter must be an integer of at least ${min}.`);
  return n;
};

/** `limit` is the endpoint's own ceiling: Jira quietly returns fewer rather than refusing a large request. */
export const pageRequest = (query: (name: string) => string | undefined, defaultSize: number, limit: number): PageRequest => ({
  startAt: whole('startAt', query('startAt'), 0, 0),
  maxResults: Math.min(whole('maxResults', query('maxResults'), defaultSize, 1), limit),
});

export const pageOf = <T>(items: T[], { startAt, maxResults }: PageRequest) => {
  const values = items.slice(startAt, startAt + maxResults);
  return { values, maxResults, startAt, total: items.length, isLast: startAt + values.length >= items.length };
};
