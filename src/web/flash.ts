import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv, Flash } from './app-env.js';

const COOKIE = 'sy_flash';
const KINDS = new Set(['success', 'info', 'warning', 'danger']);

/** A one-shot message carried across a redirect in a short-lived cookie. */
export const setFlash = (c: Context<AppEnv>, flash: Flash): void => {
  setCookie(c, COOKIE, Buffer.from(JSON.stringify(flash)).toString('base64url'), { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 60 });
};

export const takeFlash = (c: Context<AppEnv>): Flash | undefined => {
  const raw = getCookie(c, COOKIE);
  if (!raw) return undefined;
  deleteCookie(c, COOKIE, { path: '/' });
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Flash>;
    if (typeof parsed.text === 'string' && typeof parsed.kind === 'string' && KINDS.has(parsed.kind)) {
      return { kind: parsed.kind, text: parsed.text.slice(0, 500) };
    }
  } catch {
    // A mangled flash cookie is dropped; it only ever held a message.
  }
  return undefined;
};
