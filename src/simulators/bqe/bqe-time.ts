/**
 * BQE writes date-times without a zone ("2025-01-15T10:22:31"), localised to
 * the caller's X-UTC-OFFSET. The simulator keeps instants as UTC epoch ms at
 * whole seconds (so a rendered value compares equal to the stored one) and
 * converts at the edge.
 */
const NAIVE_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

export const NAIVE_EXAMPLE = '2025-01-15T10:22:31';

export const wholeSecond = (ms: number): number => Math.floor(ms / 1_000) * 1_000;

/** The wall-clock time at `offsetMinutes` east of UTC, as BQE renders it. */
export const renderNaive = (utcMs: number, offsetMinutes: number): string => new Date(utcMs + offsetMinutes * 60_000).toISOString().slice(0, 19);

/** A naive date-time read as if it were UTC; undefined unless it is a real calendar moment in the exact form. */
export const parseNaive = (text: string): number | undefined => {
  const m = NAIVE_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  return new Date(ms).toISOString().slice(0, 19) === text ? ms : undefined;
};

/** The UTC instant of a wall-clock time given at `offsetMinutes`. */
export const naiveToUtc = (text: string, offsetMinutes: number): number | undefined => {
  const naive = parseNaive(text);
  return naive === undefined ? undefined : naive - offsetMinutes * 60_000;
};
