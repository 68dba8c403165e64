import { Cron } from 'croner';
import { StartupError } from '../errors.js';
import { JOB_KEY_MODES, type JobKeyMode } from './types.js';

export interface CronItem {
  /** Unique name used to remember the last run; defaults to the task identifier. */
  identifier: string;
  expression: string;
  task: string;
  payload: Record<string, unknown>;
  /** How far back missed ticks are run after downtime, in ms (0: never backfill). */
  fillMs: number;
  maxAttempts?: number;
  queueName?: string;
  priority?: number;
  jobKey?: string;
  jobKeyMode?: JobKeyMode;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** graphile-worker's durations: a sequence like 1w2d3h, or a single 30m. */
export const parseDuration = (text: string): number => {
  let rest = text;
  let total = 0;
  while (rest.length) {
    const m = /^(\d+)([smhdw])/.exec(rest);
    if (!m) throw new Error(`"${text}" is not a duration (use e.g. 30m, 4h, 1d2h)`);
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  if (total === 0) throw new Error(`"${text}" is not a positive duration`);
  return total;
};

const parseLine = (line: string): CronItem => {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 6) throw new Error('expected five time fields and a task identifier');
  const expression = parts.slice(0, 5).join(' ');
  try {
    pattern(expression);
  } catch (err) {
    throw new Error(`bad time fields "${expression}": ${(err as Error).message}`);
  }
  const task = parts[5]!;
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(task)) throw new Error(`bad task identifier "${task}"`);
  // Cut the six fields off the text itself rather than re-joining tokens, so spacing inside payload strings is kept.
  let rest = line.trim().replace(/^(\S+\s+){5}\S+\s*/, '');
  const item: CronItem = { identifier: task, expression, task, payload: {}, fillMs: 0 };
  if (rest.startsWith('?')) {
    const end = rest.search(/\s/);
    const query = end === -1 ? rest.slice(1) : rest.slice(1, end);
    rest = end === -1 ? '' : rest.slice(end).trim();
    for (const [key, value] of new URLSearchParams(query)) {
      switch (key) {
        case 'id':
          if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(value)) throw new Error(`bad id "${value}"`);
          item.identifier = value;
          break;
        case 'fill':
          item.fillMs = parseDuration(value);
          break;
        case 'max':
          // addJob's limits: a value it refuses would otherwise pass start-up and fail (throwing out of the cron timer) at the first tick.
          if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1000) throw new Error(`max must be a whole number from 1 to 1000 (got "${value}")`);
          item.maxAttempts = Number(value);
          break;
        case 'queue':
          item.queueName = value;
          break;
        case 'priority':
          if (!/^-?\d+$/.test(value) || Math.abs(Number(value)) > 32767) throw new Error(`priority must be a whole number from -32767 to 32767 (got "${value}")`);
          item.priority = Number(value);
          break;
        case 'jobKey':
          item.jobKey = value;
          break;
        case 'jobKeyMode':
          if (!JOB_KEY_MODES.includes(value as JobKeyMode)) throw new Error(`jobKeyMode must be one of ${JOB_KEY_MODES.join(', ')}`);
          item.jobKeyMode = value as JobKeyMode;
          break;
        default:
          throw new Error(`unknown option "${key}" (known: id, fill, max, queue, priority, jobKey, jobKeyMode)`);
      }
    }
  }
  if (rest) {
    let payload: unknown;
    try {
      payload = JSON.parse(rest);
    } catch {
      throw new Error(`payload is not valid JSON: ${rest.slice(0, 80)}`);
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Error('payload must be a JSON object');
    item.payload = payload as Record<string, unknown>;
  }
  return item;
};

/** Parses a crontab in graphile-worker's syntax; a bad line stops start-up naming the line. */
export const parseCrontab = (text: string, source = 'crontab'): CronItem[] => {
  const items: CronItem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    let item: CronItem;
    try {
      item = parseLine(line);
    } catch (err) {
      throw new StartupError(`${source} line ${i + 1} ("${line}"): ${(err as Error).message}`);
    }
    if (items.some((x) => x.identifier === item.identifier)) {
      throw new StartupError(`${source} line ${i + 1} ("${line}"): identifier "${item.identifier}" is used twice; add ?id=<unique name>`);
    }
    items.push(item);
  });
  return items;
};

/**
 * Five fields, UTC; with both day fields set, either may match (classic cron).
 * A zero offset rather than the "UTC" time zone: the same times, without croner loading ICU's time-zone data.
 */
const pattern = (expression: string): Cron => new Cron(expression, { utcOffset: 0, mode: '5-part', domAndDow: false });

/** Tick times of an entry in (after, until], oldest first. */
export const ticksBetween = (expression: string, after: number, until: number): number[] => {
  const cron = pattern(expression);
  const out: number[] = [];
  let at = new Date(after);
  for (;;) {
    const next = cron.nextRun(at);
    if (!next || next.getTime() > until) return out;
    out.push(next.getTime());
    at = next;
  }
};

export const nextTick = (expression: string, after: number): number => pattern(expression).nextRun(new Date(after))?.getTime() ?? Infinity;
