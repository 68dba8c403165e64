import { SimError } from './sim-error.js';

/**
 * X-UTC-OFFSET: the caller's offset from UTC in minutes, east positive
 * (contract §3). Strict mode requires it on every call; otherwise a missing
 * header falls back to a default (the unconfirmed claim is Pacific time).
 */
export const UTC_OFFSET_HEADER = 'X-UTC-OFFSET';
export const MIN_UTC_OFFSET = -720;
export const MAX_UTC_OFFSET = 840;

export const readUtcOffset = (raw: string | undefined, strict: boolean, fallback: number): number => {
  if (raw === undefined || raw.trim() === '') {
    if (!strict) return fallback;
    throw new SimError(400, `The ${UTC_OFFSET_HEADER} header is required: send your offset from UTC in minutes, east positive (for example -300 for UTC-5, 60 for UTC+1).`);
  }
  const value = raw.trim();
  if (!/^-?\d{1,4}$/.test(value) || Number(value) < MIN_UTC_OFFSET || Number(value) > MAX_UTC_OFFSET) {
    throw new SimError(400, `${UTC_OFFSET_HEADER} must be a whole number of minutes between ${MIN_UTC_OFFSET} and ${MAX_UTC_OFFSET} (got "${raw}").`);
  }
  return Number(value);
};
