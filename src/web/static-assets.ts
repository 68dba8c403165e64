import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Third-party browser files we serve, copied from node_modules: no CDN is reachable from users' VMs. */
export const VENDOR_FILES: Record<string, string> = {
  'vendor/bulma.min.css': 'bulma/css/bulma.min.css',
  'vendor/htmx.min.js': 'htmx.org/dist/htmx.min.js',
  'vendor/htmx-ext-sse.min.js': 'htmx-ext-sse/dist/sse.min.js',
  'vendor/tom-select.complete.min.js': 'tom-select/dist/js/tom-select.complete.min.js',
  'vendor/tom-select.min.css': 'tom-select/dist/css/tom-select.min.css',
};

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticAsset {
  body: Buffer;
  type: string;
  hash: string;
}

/** Copies vendor files that are missing or outdated into static/vendor. */
export const copyVendorAssets = (staticDir: string): string[] => {
  const require = createRequire(import.meta.url);
  const copied: string[] = [];
  for (const [target, source] of Object.entries(VENDOR_FILES)) {
    const from = require.resolve(source);
    const to = path.join(staticDir, target);
    const fresh = fs.existsSync(to) && fs.statSync(to).size === fs.statSync(from).size && fs.readFileSync(to).equals(fs.readFileSync(from));
    if (fresh) continue;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    copied.push(target);
  }
  return copied;
};

const walk = (dir: string, base = dir): string[] =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name), base) : [path.relative(base, path.join(dir, d.name)).split(path.sep).join('/')]))
    : [];

/**
 * Loads every static file once at start (they are few and small), with a
 * content hash for cache-busting URLs: a changed file gets a new URL, so the
 * old one can be cached for a year.
 */
export class StaticAssets {
  readonly #files = new Map<string, StaticAsset>();

  constructor(staticDir: string) {
    copyVendorAssets(staticDir);
    for (const rel of walk(staticDir)) {
      const type = TYPES[path.extname(rel)];
      if (!type) continue;
      const body = fs.readFileSync(path.join(staticDir, rel));
      this.#files.set(rel, { body, type, hash: crypto.createHash('sha256').update(body).digest('hex').slice(0, 12) });
    }
  }

  get(rel: string): StaticAsset | undefined {
    return this.#files.get(rel);
  }

  /** The URL to put in a page: /static/<file>?v=<content hash>. */
  url(rel: string): string {
    const asset = this.#files.get(rel);
    if (!asset) throw new Error(`unknown static asset ${rel}`);
    return `/static/${rel}?v=${asset.hash}`;
  }
}
