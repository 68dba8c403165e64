import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHub, TEST_PASSWORD } from '../../helpers/hub.js';
import { cookieHeader, html, mainText, redirectTarget } from '../web-helpers.js';

const version = (hub: Awaited<ReturnType<typeof startTestHub>>) => hub.ctx.domainConfig.get('platform').version;

test('refuses a state-changing request without the CSRF token and changes nothing', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const before = version(hub);
    const res = await admin.request('POST', '/admin/settings/platform', { form: { 'settings.instanceName': 'Changed' }, headers: { Accept: 'application/json' } });
    assert.equal(res.status, 403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'csrf_failed');
    assert.match(body.error.message, /Reload the page/);
    assert.equal(version(hub), before);
    assert.equal(hub.ctx.platformSettings().instanceName, 'Switchyard');
  } finally {
    await hub.close();
  }
});

test('the CSRF refusal page names the code and tells the user to reload', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.request('POST', '/admin/settings/platform', { form: { 'settings.instanceName': 'Changed' } });
    assert.equal(res.status, 403);
    const text = mainText(await html(res));
    assert.match(text, /This form expired or was sent from another site/);
    assert.match(text, /code csrf_failed/);
  } finally {
    await hub.close();
  }
});

test('refuses a wrong token, and a token from another session', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const other = await hub.signIn('admin', 'other-admin@example.com');
    const before = version(hub);
    assert.equal((await admin.post('/admin/settings/platform', { _csrf: 'x'.repeat(admin.csrfToken.length), 'settings.instanceName': 'A' })).status, 403);
    assert.equal((await admin.post('/admin/settings/platform', { _csrf: 'short', 'settings.instanceName': 'A' })).status, 403);
    assert.equal((await admin.post('/admin/settings/platform', { _csrf: other.csrfToken, 'settings.instanceName': 'A' })).status, 403);
    assert.equal(version(hub), before);
  } finally {
    await hub.close();
  }
});

test('accepts the token in the X-CSRF-Token header, as htmx sends it', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.request('POST', '/admin/settings/platform', { form: { 'settings.instanceName': 'Via header' }, headers: { 'X-CSRF-Token': admin.csrfToken } });
    assert.equal(res.status, 303);
    assert.equal(hub.ctx.platformSettings().instanceName, 'Via header');
  } finally {
    await hub.close();
  }
});

test('accepts the token as the _csrf field of a urlencoded or multipart form', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    assert.equal((await admin.post('/admin/settings/platform', { 'settings.instanceName': 'Via field' })).status, 303);
    assert.equal(hub.ctx.platformSettings().instanceName, 'Via field');
    const multipart = new FormData();
    multipart.set('_csrf', admin.csrfToken);
    multipart.set('settings.instanceName', 'Via multipart');
    const res = await hub.app.request('/admin/settings/platform', { method: 'POST', body: multipart, headers: { Cookie: cookieHeader(admin) } });
    assert.equal(res.status, 303);
    assert.equal(hub.ctx.platformSettings().instanceName, 'Via multipart');
  } finally {
    await hub.close();
  }
});

test('refuses a cross-site Origin even with a valid token', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.post('/admin/settings/platform', { 'settings.instanceName': 'Evil' }, { Origin: 'https://evil.example' });
    assert.equal(res.status, 403);
    assert.equal(hub.ctx.platformSettings().instanceName, 'Switchyard');
  } finally {
    await hub.close();
  }
});

test('refuses a cross-site sign-in by Origin, by Sec-Fetch-Site, and from an opaque origin', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const form = { email: 'admin@example.com', password: TEST_PASSWORD };
    const attempts: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }, { Origin: 'null' }, { Origin: 'not a url' }];
    for (const headers of attempts) {
      const agent = hub.agent();
      const res = await agent.request('POST', '/login', { form, headers: { ...headers, Accept: 'application/json' } });
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'csrf_failed');
      assert.equal(agent.cookies.has('sy_session'), false);
    }
  } finally {
    await hub.close();
  }
});

test('refuses a cross-site first-run setup, so nobody else can claim the hub', async () => {
  const hub = await startTestHub();
  try {
    const res = await hub.agent().request('POST', '/setup', { form: { name: 'Evil', email: 'evil@example.com', password: TEST_PASSWORD, confirm: TEST_PASSWORD }, headers: { Origin: 'https://evil.example' } });
    assert.equal(res.status, 403);
    assert.equal(hub.ctx.users.needsSetup(), true);
  } finally {
    await hub.close();
  }
});

test('accepts a same-origin Origin, matched against the Host header when there is one', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const form = { email: 'admin@example.com', password: TEST_PASSWORD };
    assert.equal(redirectTarget(await hub.agent().request('POST', '/login', { form, headers: { Origin: 'http://localhost' } })), '/admin');
    assert.equal(redirectTarget(await hub.agent().request('POST', '/login', { form, headers: { Origin: 'https://hub.example.com', Host: 'hub.example.com' } })), '/admin');
    assert.equal(redirectTarget(await hub.agent().request('POST', '/login', { form, headers: { 'Sec-Fetch-Site': 'same-origin' } })), '/admin');
    assert.equal((await hub.agent().request('POST', '/login', { form, headers: { Origin: 'https://hub.example.com', Host: 'other.example.com' } })).status, 403);
  } finally {
    await hub.close();
  }
});

test('sign-in needs no token even with a session, since it replaces the session', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.request('POST', '/login', { form: { email: 'admin@example.com', password: TEST_PASSWORD } });
    assert.equal(redirectTarget(res), '/admin');
  } finally {
    await hub.close();
  }
});

test('safe methods are never checked, whatever their origin', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    assert.equal((await admin.get('/admin/settings', { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })).status, 200);
    assert.equal((await admin.request('HEAD', '/admin/settings')).status, 200);
  } finally {
    await hub.close();
  }
});

test('sign-out without the token is refused and the session stays', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    assert.equal((await admin.request('POST', '/logout')).status, 403);
    assert.equal((await admin.get('/admin')).status, 200);
  } finally {
    await hub.close();
  }
});
