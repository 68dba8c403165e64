import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWebApp } from '../../../src/web/app.js';
import { Agent, startTestHub } from '../../helpers/hub.js';
import { html } from '../web-helpers.js';

const directives = (csp: string): Map<string, string[]> =>
  new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...values]) => [name!, values]));

const assertHardened = (res: Response, label: string): void => {
  const csp = directives(res.headers.get('Content-Security-Policy') ?? '');
  assert.deepEqual(csp.get('script-src'), ["'self'"], `${label}: script-src`);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${label}: frame-ancestors`);
  assert.equal(res.headers.get('X-Content-Type-Options'), 'nosniff', label);
  assert.equal(res.headers.get('Referrer-Policy'), 'same-origin', label);
  assert.equal(res.headers.get('X-Frame-Options'), 'DENY', label);
  assert.ok(res.headers.get('X-Request-Id'), `${label}: X-Request-Id`);
};

test('the Content-Security-Policy allows only our own files and no inline code', async () => {
  const hub = await startTestHub();
  try {
    const res = await hub.agent().get('/setup');
    const csp = directives(res.headers.get('Content-Security-Policy') ?? '');
    assert.deepEqual(csp.get('default-src'), ["'self'"]);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('style-src'), ["'self'"]);
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(csp.get('form-action'), ["'self'"]);
    assert.ok(![...csp.values()].flat().some((v) => v.includes('unsafe')), 'no unsafe-inline or unsafe-eval anywhere');
  } finally {
    await hub.close();
  }
});

test('every kind of response carries the security headers and a request id', async () => {
  const hub = await startTestHub();
  try {
    const anon = hub.agent();
    assertHardened(await anon.get('/admin'), 'first-run redirect');
    const admin = await hub.signIn('admin');
    assertHardened(await admin.get('/admin/settings'), 'page');
    assertHardened(await admin.get('/no-such-page'), '404 page');
    assertHardened(await admin.get('/no-such-page', { Accept: 'application/json' }), '404 json');
    assertHardened(await admin.request('POST', '/admin/settings/platform', { form: {} }), '403 csrf');
    assertHardened(await admin.post('/admin/settings/platform', { 'settings.sessionHours': '0' }), '422 page');
    assertHardened(await anon.get('/healthz'), 'health json');
    assertHardened(await anon.get('/static/app.css'), 'static file');
    assertHardened(await anon.get('/admin'), 'sign-in redirect');

    const app = createWebApp(hub.ctx);
    app.get('/boom', () => {
      throw new Error('boom');
    });
    assertHardened(await new Agent(app).get('/boom'), '500 page');
  } finally {
    await hub.close();
  }
});

test('HSTS is left to the TLS proxy, so the hub itself never sends it', async () => {
  const hub = await startTestHub();
  try {
    assert.equal((await hub.agent().get('/healthz')).headers.get('Strict-Transport-Security'), null);
  } finally {
    await hub.close();
  }
});

test('no page has inline scripts, inline styles or inline event handlers the CSP would block', async () => {
  const hub = await startTestHub();
  try {
    const setup = await html(await hub.agent().get('/setup'));
    const admin = await hub.signIn('admin');
    const pages = [setup, await html(await hub.agent().get('/login?next=/admin/users')), await html(await hub.agent().request('POST', '/login', { form: { email: 'admin@example.com', password: 'wrong' } }))];
    for (const url of ['/admin', '/admin/settings', '/admin/users', '/admin/audit', '/admin/help', '/admin/help/getting-started', '/admin/account', '/no-such-page']) {
      pages.push(await html(await admin.get(url)));
    }
    assert.ok(pages.length >= 10);
    for (const doc of pages) {
      const title = doc.find('title')?.text();
      for (const script of doc.findAll('script')) {
        assert.ok(script.attr('src')?.startsWith('/static/'), `${title}: every script is a /static file`);
        assert.equal(script.rawText().trim(), '', `${title}: scripts have no inline body`);
      }
      assert.equal(doc.findAll('style').length, 0, `${title}: no <style> element`);
      for (const el of doc.elements()) {
        assert.ok(!el.has('style'), `${title}: <${el.tag}> has a style attribute`);
        const handler = Object.keys(el.attrs).find((a) => /^on[a-z]+$/.test(a));
        assert.equal(handler, undefined, `${title}: <${el.tag}> has an inline ${handler} handler`);
        assert.ok(!(el.attr('href') ?? '').toLowerCase().startsWith('javascript:'), `${title}: javascript: link`);
      }
    }
  } finally {
    await hub.close();
  }
});

test('the htmx configuration forbids eval and inline script tags in swapped content', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const doc = await html(await hub.agent().get('/login'));
    const config = JSON.parse(doc.get('meta[name="htmx-config"]').attr('content') ?? '{}') as { allowEval: boolean; allowScriptTags: boolean };
    assert.equal(config.allowEval, false);
    assert.equal(config.allowScriptTags, false);
  } finally {
    await hub.close();
  }
});
