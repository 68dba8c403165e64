import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { test } from 'node:test';
import { projectPath } from '../../../src/paths.js';
import { startTestHub } from '../../helpers/hub.js';
import { html } from '../web-helpers.js';

const hashOf = (rel: string): string => crypto.createHash('sha256').update(fs.readFileSync(projectPath('static', rel))).digest('hex').slice(0, 12);

test('serves /static/app.css with its content type, an ETag and no-cache without a version', async () => {
  const hub = await startTestHub();
  try {
    const res = await hub.agent().get('/static/app.css');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Content-Type'), 'text/css; charset=utf-8');
    assert.equal(res.headers.get('Cache-Control'), 'no-cache');
    assert.equal(res.headers.get('ETag'), `"${hashOf('app.css')}"`);
    assert.equal(await res.text(), fs.readFileSync(projectPath('static', 'app.css'), 'utf8'));
  } finally {
    await hub.close();
  }
});

test('a URL with the current hash may be cached for a year; a stale hash may not', async () => {
  const hub = await startTestHub();
  try {
    const current = await hub.agent().get(`/static/app.css?v=${hashOf('app.css')}`);
    const cc = current.headers.get('Cache-Control') ?? '';
    assert.match(cc, /\bimmutable\b/);
    assert.match(cc, /\bmax-age=31536000\b/);
    assert.match(cc, /\bpublic\b/);
    assert.equal((await hub.agent().get('/static/app.css?v=000000000000')).headers.get('Cache-Control'), 'no-cache');
  } finally {
    await hub.close();
  }
});

test('a matching If-None-Match gets 304 with no body; a different one gets the file', async () => {
  const hub = await startTestHub();
  try {
    const etag = (await hub.agent().get('/static/app.js')).headers.get('ETag')!;
    const cached = await hub.agent().get('/static/app.js', { 'If-None-Match': etag });
    assert.equal(cached.status, 304);
    assert.equal(await cached.text(), '');
    assert.equal(cached.headers.get('ETag'), etag);
    const stale = await hub.agent().get('/static/app.js', { 'If-None-Match': '"old"' });
    assert.equal(stale.status, 200);
    assert.equal(stale.headers.get('Content-Type'), 'text/javascript; charset=utf-8');
  } finally {
    await hub.close();
  }
});

test('an unknown, escaping or malformed static path is a 404, never a file outside static/', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    for (const url of ['/static/nope.css', '/static/..%2Fpackage.json', '/static/vendor/..%2F..%2Fpackage.json', '/static/%2e%2e/package.json', '/static/%E0%A4%A', '/static/%25', '/static/']) {
      const res = await hub.agent().get(url);
      assert.equal(res.status, 404, url);
      assert.ok(!(await res.text()).includes('"devDependencies"'), url);
    }
  } finally {
    await hub.close();
  }
});

test('the vendored browser libraries are served with the right types', async () => {
  const hub = await startTestHub();
  try {
    const expected: Record<string, string> = {
      'vendor/htmx.min.js': 'text/javascript; charset=utf-8',
      'vendor/htmx-ext-sse.min.js': 'text/javascript; charset=utf-8',
      'vendor/tom-select.complete.min.js': 'text/javascript; charset=utf-8',
      'vendor/bulma.min.css': 'text/css; charset=utf-8',
      'vendor/tom-select.min.css': 'text/css; charset=utf-8',
    };
    for (const [rel, type] of Object.entries(expected)) {
      const res = await hub.agent().get(`/static/${rel}`);
      assert.equal(res.status, 200, rel);
      assert.equal(res.headers.get('Content-Type'), type, rel);
      assert.ok((await res.arrayBuffer()).byteLength > 1000, `${rel} is the real library`);
    }
  } finally {
    await hub.close();
  }
});

test('the layout loads every script and stylesheet from /static with its current ?v= hash, never from a CDN', async () => {
  const hub = await startTestHub();
  try {
    const doc = await html(await hub.agent().get('/setup'));
    const urls = [...doc.findAll('script[src]').map((s) => s.attr('src')!), ...doc.findAll('link[href]').map((l) => l.attr('href')!)];
    for (const rel of ['vendor/htmx.min.js', 'vendor/htmx-ext-sse.min.js', 'vendor/tom-select.complete.min.js', 'vendor/bulma.min.css', 'app.css', 'app.js']) {
      assert.ok(urls.includes(`/static/${rel}?v=${hashOf(rel)}`), `${rel} is referenced with its hash`);
    }
    for (const url of urls) {
      assert.ok(url.startsWith('/static/'), `${url} is local`);
      assert.ok(!/^(https?:)?\/\//.test(url), `${url} names no other host`);
    }
    for (const url of urls) {
      const res = await hub.agent().get(url);
      assert.equal(res.status, 200, url);
      assert.match(res.headers.get('Cache-Control') ?? '', /immutable/, url);
    }
  } finally {
    await hub.close();
  }
});
