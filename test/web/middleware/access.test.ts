import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHub } from '../../helpers/hub.js';
import { html, mainText, redirectTarget, userId } from '../web-helpers.js';

test('with no users every page leads to setup', async () => {
  const hub = await startTestHub();
  try {
    const agent = hub.agent();
    for (const url of ['/', '/login', '/admin', '/admin/settings', '/admin/users', '/admin/help/getting-started', '/no-such-page']) {
      assert.equal(redirectTarget(await agent.get(url)), '/setup', url);
    }
    assert.equal(redirectTarget(await agent.request('POST', '/login', { form: { email: 'a@example.com', password: 'x' } })), '/setup');
    assert.equal(redirectTarget(await agent.request('POST', '/logout')), '/setup');
  } finally {
    await hub.close();
  }
});

test('before setup, health checks, static files and the setup page itself are served', async () => {
  const hub = await startTestHub();
  try {
    const agent = hub.agent();
    assert.equal((await agent.get('/healthz')).status, 200);
    assert.equal((await agent.get('/readyz')).status, 200);
    assert.equal((await agent.get('/static/app.css')).status, 200);
    const setup = await agent.get('/setup');
    assert.equal(setup.status, 200);
    assert.ok((await html(setup)).find('form[action="/setup"]'));
  } finally {
    await hub.close();
  }
});

test('an htmx request during first run is sent to setup with HX-Redirect', async () => {
  const hub = await startTestHub();
  try {
    const res = await hub.agent().get('/admin/settings', { 'HX-Request': 'true' });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('HX-Redirect'), '/setup');
  } finally {
    await hub.close();
  }
});

test('without a session an admin page redirects to sign-in, remembering the page and its query', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await hub.agent().get('/admin/audit?actor=bob&page=2');
    assert.equal(redirectTarget(res), `/login?next=${encodeURIComponent('/admin/audit?actor=bob&page=2')}`);
    assert.equal(redirectTarget(await hub.agent().get('/admin')), '/login?next=%2Fadmin');
  } finally {
    await hub.close();
  }
});

test('a state-changing request without a session is sent to sign-in with the overview as next', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await hub.agent().request('POST', '/admin/settings/platform', { form: { 'settings.instanceName': 'Hijack' } });
    assert.equal(redirectTarget(res), '/login?next=%2Fadmin');
    assert.equal(hub.ctx.platformSettings().instanceName, 'Switchyard');
  } finally {
    await hub.close();
  }
});

test('an htmx request without a session gets 204 with HX-Redirect, a boosted one a plain redirect', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const htmx = await hub.agent().get('/admin/settings', { 'HX-Request': 'true' });
    assert.equal(htmx.status, 204);
    assert.equal(htmx.headers.get('HX-Redirect'), '/login?next=%2Fadmin%2Fsettings');
    assert.equal(await htmx.text(), '');
    const boosted = await hub.agent().get('/admin/settings', { 'HX-Request': 'true', 'HX-Boosted': 'true' });
    assert.equal(redirectTarget(boosted), '/login?next=%2Fadmin%2Fsettings');
    assert.equal(boosted.headers.get('HX-Redirect'), null);
  } finally {
    await hub.close();
  }
});

test('only admins reach the users and audit pages; others get a 403 page naming the role needed', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    for (const role of ['viewer', 'operator'] as const) {
      const agent = await hub.signIn(role);
      for (const [url, what] of [['/admin/users', 'manage users'], ['/admin/audit', 'read the audit log']] as const) {
        const res = await agent.get(url);
        assert.equal(res.status, 403, `${role} ${url}`);
        const text = mainText(await html(res));
        assert.match(text, new RegExp(`Your role \\(${role}\\) cannot ${what}; it needs admin or higher\\.`));
        assert.match(text, /code forbidden/);
      }
    }
    assert.equal((await admin.get('/admin/users')).status, 200);
    assert.equal((await admin.get('/admin/audit')).status, 200);
  } finally {
    await hub.close();
  }
});

test('role checks also guard the users sub-paths, before any user is changed', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const viewer = await hub.signIn('viewer');
    const adminId = userId(hub.ctx, 'admin@example.com');
    const res = await viewer.post(`/admin/users/${adminId}/role`, { role: 'viewer' }, { Accept: 'application/json' });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'forbidden');
    assert.equal(hub.ctx.users.get(adminId).role, 'admin');
  } finally {
    await hub.close();
  }
});
