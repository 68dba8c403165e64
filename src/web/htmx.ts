import type { Context } from 'hono';

/** Typed reading of htmx's request headers and the response headers we set back. */
export const isHtmx = (c: Context): boolean => c.req.header('HX-Request') === 'true';

export const isBoosted = (c: Context): boolean => c.req.header('HX-Boosted') === 'true';

/** A redirect that works for both: htmx follows HX-Redirect, a plain form follows 303. */
export const redirect = (c: Context, location: string): Response => {
  if (isHtmx(c) && !isBoosted(c)) {
    c.header('HX-Redirect', location);
    return c.body(null, 204);
  }
  return c.redirect(location, 303);
};

/** Fires a client-side event after the swap (the toast listener in app.js shows `showMessage`). */
export const triggerMessage = (c: Context, kind: 'success' | 'info' | 'warning' | 'danger', text: string): void => {
  c.header('HX-Trigger', JSON.stringify({ showMessage: { kind, text } }));
};
