/** Jira's timestamp format: `2026-01-01T10:00:00.000+0000` (always UTC here; the seeded account's zone is UTC). */
export const formatJiraTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

const isRealDate = (year: number, month: number, day: number): boolean => {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
};

/** A date field value: exactly `YYYY-MM-DD`, and a day that exists. */
export const isJiraDate = (value: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
};

/** A datetime field value: ISO 8601 with seconds and an offset (`Z`, `+hh:mm` or `+hhmm`), milliseconds optional. */
export const isJiraDateTime = (value: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
};

/** A JQL absolute date (`yyyy-MM-dd`, `yyyy/MM/dd`, optionally ` HH:mm`), read as UTC; undefined when malformed. */
export const parseJqlDate = (value: string): number | undefined => {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number) as [number, number, number, number, number];
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute);
};

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** A JQL period relative to now, e.g. `-48h`, `-2d`, `-30m`, `1w`; undefined when malformed. */
export const parseJqlPeriod = (value: string, now: number): number | undefined => {
  const m = /^([-+]?)(\d+)([wdhm])$/.exec(value.trim());
  if (!m) return undefined;
  const ms = Number(m[2]) * UNIT_MS[m[3] as keyof typeof UNIT_MS];
  return m[1] === '-' ? now - ms : now + ms;
};
