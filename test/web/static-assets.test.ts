import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { copyVendorAssets, StaticAssets, VENDOR_FILES } from '../../src/web/static-assets.js';
import { tempDir } from '../helpers/hub.js';

const sha12 = (body: string | Buffer) => crypto.createHash('sha256').update(body).digest('hex').slice(0, 12);

const staticDir = (files: Record<string, string>): string => {
  const dir = tempDir('switchyard-static-');
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }
  return dir;
};

test('copies every vendor file into an empty static folder, then finds nothing left to copy', () => {
  const dir = tempDir('switchyard-static-');
  assert.deepEqual(copyVendorAssets(dir).sort(), Object.keys(VENDOR_FILES).sort());
  for (const rel of Object.keys(VENDOR_FILES)) assert.ok(fs.statSync(path.join(dir, rel)).size > 0, rel);
  assert.deepEqual(copyVendorAssets(dir), []);
});

test('replaces a vendor file that differs from the installed package', () => {
  const dir = tempDir('switchyard-static-');
  copyVendorAssets(dir);
  const target = path.join(dir, 'vendor/htmx.min.js');
  const original = fs.readFileSync(target);
  fs.writeFileSync(target, 'tampered');
  assert.deepEqual(copyVendorAssets(dir), ['vendor/htmx.min.js']);
  assert.ok(fs.readFileSync(target).equals(original));
});

test('gives each file a URL carrying the hash of its content', () => {
  const assets = new StaticAssets(staticDir({ 'app.css': 'body{}', 'img/logo.svg': '<svg/>' }));
  assert.equal(assets.url('app.css'), `/static/app.css?v=${sha12('body{}')}`);
  assert.equal(assets.url('img/logo.svg'), `/static/img/logo.svg?v=${sha12('<svg/>')}`);
  assert.equal(assets.get('app.css')?.type, 'text/css; charset=utf-8');
  assert.equal(assets.get('img/logo.svg')?.type, 'image/svg+xml');
  assert.equal(assets.get('app.css')?.body.toString(), 'body{}');
});

test('a changed file gets a new URL', () => {
  const a = new StaticAssets(staticDir({ 'app.js': 'one()' })).url('app.js');
  const b = new StaticAssets(staticDir({ 'app.js': 'two()' })).url('app.js');
  assert.notEqual(a, b);
});

test('skips files of types it does not serve, and refuses to make a URL for an unknown file', () => {
  const assets = new StaticAssets(staticDir({ 'notes.txt': 'x', '.env': 'SECRET=1', 'app.css': 'a{}' }));
  assert.equal(assets.get('notes.txt'), undefined);
  assert.equal(assets.get('.env'), undefined);
  assert.throws(() => assets.url('missing.css'), /unknown static asset missing\.css/);
});

test('serves the vendor files it copied', () => {
  const assets = new StaticAssets(tempDir('switchyard-static-'));
  for (const rel of Object.keys(VENDOR_FILES)) assert.match(assets.url(rel), new RegExp(`^/static/${rel.replace(/\./g, '\\.')}\\?v=[0-9a-f]{12}$`));
});
