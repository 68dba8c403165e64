import type { Context } from 'hono';
import { AppError } from '../errors.js';

export type FormFields = Record<string, string | string[]>;

/** Reads a urlencoded or multipart form; uploads are refused since no form takes files. */
export const readForm = async (c: Context): Promise<FormFields> => {
  const type = c.req.header('Content-Type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) {
    throw new AppError(415, 'unsupported_media_type', 'Send this form as application/x-www-form-urlencoded or multipart/form-data.');
  }
  const body = await c.req.parseBody({ all: true });
  const out: FormFields = {};
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === 'string');
    else if (typeof value === 'string') out[key] = value;
    else throw new AppError(400, 'unexpected_file', `Field "${key}" does not take a file.`);
  }
  return out;
};

/** The last value of a field (a hidden default followed by a checkbox sends two). */
export const field = (form: FormFields, name: string): string => {
  const v = form[name];
  if (Array.isArray(v)) return v[v.length - 1] ?? '';
  return v ?? '';
};

/**
 * Only same-site paths are followed after sign-in, so ?next= cannot send a user elsewhere.
 * Control characters are refused too: browsers drop tabs and newlines from a Location
 * ("/\t/evil.com" becomes "//evil.com"), and a newline cannot be sent in a header at all.
 */
export const safeNext = (next: string | undefined, fallback: string): string =>
  next && /^\/(?![/\\])/.test(next) && !/[\u0000-\u001f\u007f]/.test(next) ? next : fallback;
