import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { StaticAssets } from '../static-assets.js';
import { routes } from '../route-names.js';

/** A malformed escape (/static/%E0) names no asset; it must not surface as a URIError. */
const decodedPath = (raw: string): string | undefined => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
};

export const registerStaticRoutes = (app: Hono<AppEnv>, assets: StaticAssets): void => {
  app.get(`${routes.static}/*`, (c) => {
    const rel = decodedPath(c.req.path.slice(routes.static.length + 1));
    const asset = rel === undefined ? undefined : assets.get(rel);
    if (!asset) return c.notFound();
    const etag = `"${asset.hash}"`;
    // A URL carrying the current hash never changes content, so browsers may keep it for a year.
    c.header('Cache-Control', c.req.query('v') === asset.hash ? 'public, max-age=31536000, immutable' : 'no-cache');
    c.header('ETag', etag);
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    c.header('Content-Type', asset.type);
    return c.body(new Uint8Array(asset.body));
  });
};
