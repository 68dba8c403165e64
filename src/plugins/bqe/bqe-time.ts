import { AppError } from '../../errors.js';

/**
 * BQE timestamps are naive wall-clock strings ("2025-01-15T10:22:31") in the UTC offset the caller
 * sent in X-UTC-OFFSET. Cursors, overlap windows and `where` values are all such strings, so the
 * arithmetic here is naive: a naive value is read "as if it were UTC" and written back the same way.
 *
 * What BQE sends back is normalised to that canonical form:
 * - fractional seconds are cut off (truncated, never rounded up, so a cursor never moves past a record);
 * - a trailing `Z` or `±hh:mm` names an absolute instant, so it is converted to the wall-clock time at the
 *   connection's offset (which is how BQE reads the `where` values we send); that needs the offset, and a
 *   zoned value given without one is refused rather than guessed.
 */

/** The one shape BQE reads in `where` values and that Switchyard stores in cursors. */
export const NAIVE_FORMAT = 'YYYY-MM-DDThh:mm:ss';

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const RECEIVED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d{1,9})?(Z|z|[+-]\d{2}:?\d{2})?$/;
const ZONE = /^([+-])(\d{2}):?(\d{2})$/;

const MS_PER_MINUTE = 60_000;

export class BqeTimeError extends AppError {
  constructor(message: string) {
    super(422, 'bqe_time_invalid', message);
    this.name = 'BqeTimeError';
  }
}

const shown = (text: unknown): string => (typeof text === 'string' ? JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text) : String(text));

/** Milliseconds of a canonical naive string read as UTC, or undefined when it is not a real calendar time. */
const naiveMs = (text: string): number | undefined => {
  const m = NAIVE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const real = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && d.getUTCHours() === hour && d.getUTCMinutes() === minute && d.getUTCSeconds() === second;
  return real ? d.getTime() : undefined;
};

/** Writes milliseconds-as-if-UTC in the naive form, dropping any sub-second part. */
const writeNaive = (ms: number): string => {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (!Number.isFinite(year) || year < 0 || year > 9999) throw new BqeTimeError(`The time ${String(ms)} ms lies outside the years 0000–9999 that BQE timestamps can express.`);
  return d.toISOString().slice(0, NAIVE_FORMAT.length);
};

const checkOffset = (offsetMinutes: number): void => {
  if (!Number.isInteger(offsetMinutes)) throw new BqeTimeError(`The UTC offset must be a whole number of minutes, not ${String(offsetMinutes)}.`);
};

/** True for a canonical naive timestamp that is a real calendar time (no 2025-02-30, no 24:00:00). */
export const isNaiveTimestamp = (text: unknown): text is string => typeof text === 'string' && naiveMs(text) !== undefined;

/**
 * Brings a timestamp as BQE may send it (fractional seconds, trailing Z or ±hh:mm) to the canonical naive
 * form at `offsetMinutes` (see the module comment). Throws BqeTimeError naming the value when it cannot.
 */
export const normalizeNaive = (text: string, offsetMinutes?: number): string => {
  const m = typeof text === 'string' ? RECEIVED.exec(text) : null;
  const base = m?.[1];
  const baseMs = base === undefined ? undefined : naiveMs(base);
  if (!m || baseMs === undefined) throw new BqeTimeError(`${shown(text)} is not a BQE timestamp: expected a real date and time written ${NAIVE_FORMAT}.`);
  const zone = m[2];
  if (zone === undefined) return base as string;
  if (offsetMinutes === undefined) throw new BqeTimeError(`${shown(text)} carries a time zone; the connection's UTC offset is needed to turn it into BQE local time.`);
  checkOffset(offsetMinutes);
  let zoneMinutes = 0;
  const z = ZONE.exec(zone);
  if (z) {
    const hours = Number(z[2]);
    const minutes = Number(z[3]);
    if (hours > 23 || minutes > 59) throw new BqeTimeError(`${shown(text)} has an impossible time zone "${zone}".`);
    zoneMinutes = (z[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const utcMs = baseMs - zoneMinutes * MS_PER_MINUTE;
  return writeNaive(utcMs + offsetMinutes * MS_PER_MINUTE);
};

/** Reads a BQE timestamp; `epochMsAsIfUtc` is for naive arithmetic and ordering only, it is not the real instant. */
export const parseNaive = (text: string, offsetMinutes?: number): { naive: string; epochMsAsIfUtc: number } => {
  const naive = normalizeNaive(text, offsetMinutes);
  return { naive, epochMsAsIfUtc: naiveMs(naive) as number };
};

/** The wall-clock time at `offsetMinutes` (east-positive, as in X-UTC-OFFSET) of a real instant. */
export const formatNaive = (epochMs: number, offsetMinutes: number): string => {
  checkOffset(offsetMinutes);
  return writeNaive(epochMs + offsetMinutes * MS_PER_MINUTE);
};

/** The real instant a naive timestamp at `offsetMinutes` stands for (for showing "last changed" times). */
export const naiveToEpochMs = (text: string, offsetMinutes: number): number => {
  checkOffset(offsetMinutes);
  return parseNaive(text, offsetMinutes).epochMsAsIfUtc - offsetMinutes * MS_PER_MINUTE;
};

/** Moves a timestamp by whole seconds in naive wall-clock arithmetic (the sync overlap window); the result is canonical. */
export const shiftNaive = (text: string, seconds: number, offsetMinutes?: number): string => {
  if (!Number.isInteger(seconds)) throw new BqeTimeError(`A BQE timestamp can only be moved by whole seconds, not ${String(seconds)}.`);
  return writeNaive(parseNaive(text, offsetMinutes).epochMsAsIfUtc + seconds * 1000);
};

/** Orders two BQE timestamps: negative when a is earlier, 0 when equal, positive when later. */
export const compareNaive = (a: string, b: string, offsetMinutes?: number): number =>
  Math.sign(parseNaive(a, offsetMinutes).epochMsAsIfUtc - parseNaive(b, offsetMinutes).epochMsAsIfUtc);
