import type { Context } from 'hono';

/** Typed reading of htmx's request headers and the response headers we set back. */
export const isHtmx = (c: Context): boolean => c.req.header('HX-Request') === 'true';

export const isBoosted = (c: Context): boolean => c.req.header('HX-Boosted') === 'true';

/** htmx asked for a piece of a page; a boosted link or form still wants the whole page. */
export const wantsFragment = (c: Context): boolean => isHtmx(c) && !isBoosted(c);

/**
 * JSON for an HX-Trigger header. Header values must be printable ASCII here, so
 * anything else (curly quotes in a rule's name) travels as a JSON \u escape.
 */
export const triggerHeader = (events: Record<string, unknown>): string =>
  JSON.stringify(events).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A redirect that works for both: htmx follows HX-Redirect, a plain form follows 303. */
export const redirect = (c: Context, location: string): Response => {
  if (wantsFragment(c)) {
    c.header('HX-Redirect', location);
    return c.body(null, 204);
  }
  return c.redirect(location, 303);
};

/** Fires a client-side event after the swap (the toast listener in app.js shows `showMessage`). */
export const triggerMessage = (c: Context, kind: 'success' | 'info' | 'warning' | 'danger', text: string): void => {
  c.header('HX-Trigger', triggerHeader({ showMessage: { kind, text } }));
};
