import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWebApp } from '../../src/web/app.js';
import { Agent, startTestHub } from '../helpers/hub.js';
import { FIXTURE_PLUGINS, html, mainText, redirectTarget } from './web-helpers.js';

test('an admin signs in and reaches the settings page', async () => {
  const hub = await startTestHub();
  try {
    const agent = await hub.signIn('admin');
    const res = await agent.get('/admin/settings');
    assert.equal(res.status, 200);
    const doc = await html(res);
    assert.equal(doc.get('h1.title').text(), 'Settings');
    assert.ok(doc.find('form#domain-platform'), 'the General settings card is on the page');
  } finally {
    await hub.close();
  }
});

test('routes added to the app after createWebApp are still reached, and the not-found page only catches the rest', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const app = createWebApp(hub.ctx);
    app.get('/extra', (c) => c.text('extra route'));
    const extra = await app.request('/extra');
    assert.equal(extra.status, 200);
    assert.equal(await extra.text(), 'extra route');
    assert.equal((await app.request('/no-such-route')).status, 404);
  } finally {
    await hub.close();
  }
});

test('the middleware chain stamps a request id and security headers even on the first-run redirect', async () => {
  const hub = await startTestHub();
  try {
    const res = await hub.agent().get('/admin');
    assert.equal(redirectTarget(res), '/setup');
    assert.ok(res.headers.get('X-Request-Id'));
    assert.match(res.headers.get('Content-Security-Policy') ?? '', /frame-ancestors 'none'/);
  } finally {
    await hub.close();
  }
});

test("a plugin's admin pages are mounted under /admin/<name> and need a signed-in user", async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const viewer = await hub.signIn('viewer');
    assert.equal(redirectTarget(await hub.agent().get('/admin/sample')), '/login?next=%2Fadmin%2Fsample');
    const page = await viewer.get('/admin/sample');
    assert.equal(page.status, 200);
    assert.equal(await page.text(), 'sample page for viewer@example.com');
  } finally {
    await hub.close();
  }
});

test('every sub-app a plugin adds is merged under its one mount point', async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const viewer = await hub.signIn('viewer');
    const res = await viewer.get('/admin/sample/status');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true });
  } finally {
    await hub.close();
  }
});

test('plugin routes get the same CSRF protection as platform routes', async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const viewer = await hub.signIn('viewer');
    const refused = await viewer.request('POST', '/admin/sample/ping', { form: { x: '1' } });
    assert.equal(refused.status, 403);
    const accepted = await viewer.post('/admin/sample/ping', { x: '1' });
    assert.equal(accepted.status, 200);
    assert.equal(await accepted.text(), 'pong');
  } finally {
    await hub.close();
  }
});

test('two apps built over one context share its data but keep their own routes', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const second = createWebApp(hub.ctx);
    second.get('/only-here', (c) => c.text('here'));
    const agent = new Agent(second);
    const login = await agent.request('POST', '/login', { form: { email: 'admin@example.com', password: 'correct-horse-battery-staple' } });
    assert.equal(redirectTarget(login), '/admin');
    assert.equal((await agent.get('/only-here')).status, 200);
    assert.equal((await hub.app.request('/only-here')).status, 404);
    assert.match(mainText(await html(await agent.get('/admin'))), /Health/);
  } finally {
    await hub.close();
  }
});
