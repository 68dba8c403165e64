/**
 * Dates as Jira's date and datetime fields take them: `2025-01-31` and
 * `2025-01-31T14:39:00.000+0000`. PeopleForce sends ISO dates and datetimes;
 * an admin may also write `today` or `now` in a fixed value.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?=$|[T ])/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

const isRealDate = (y: number, m: number, d: number): boolean => {
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
};

const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const jiraDateTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

/** The calendar date as written: a datetime's date part is kept as is, not moved to UTC. */
export const toJiraDate = (text: string, now: () => number): string | undefined => {
  const t = text.trim();
  if (/^(today|now)$/i.test(t)) return utcDay(now());
  const m = DATE.exec(t);
  if (!m) return undefined;
  const [, y, mo, d] = m;
  if (!isRealDate(Number(y), Number(mo), Number(d))) return undefined;
  return t.length === 10 || DATETIME.test(t) ? `${y}-${mo}-${d}` : undefined;
};

/** A moment in UTC; a date alone means its midnight UTC, and a time without an offset is taken as UTC. */
export const toJiraDateTime = (text: string, now: () => number): string | undefined => {
  const t = text.trim();
  if (/^now$/i.test(t)) return jiraDateTime(now());
  if (/^today$/i.test(t)) return `${utcDay(now())}T00:00:00.000+0000`;
  const m = DATETIME.exec(t);
  if (!m || !toJiraDate(m[1] ?? '', now)) return undefined;
  const [, day, time = '00:00', zone = 'Z'] = m;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${day}T${time}${offset}`);
  return Number.isNaN(ms) ? undefined : jiraDateTime(ms);
};
