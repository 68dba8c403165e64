import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHub, TEST_PASSWORD } from '../../helpers/hub.js';
import { createUser, html, mainText, redirectTarget, setCookie, userId } from '../web-helpers.js';

const HOUR = 3_600_000;
const login = { email: 'admin@example.com', password: TEST_PASSWORD };

test('sign-in sets sy_session as an HttpOnly, SameSite=Lax cookie for the whole site, expiring with the session', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await hub.agent().request('POST', '/login', { form: login });
    const cookie = setCookie(res, 'sy_session');
    assert.ok(cookie, 'a session cookie is set');
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(cookie.attrs.httponly, true);
    assert.equal(cookie.attrs.samesite, 'Lax');
    assert.equal(cookie.attrs.path, '/');
    assert.equal(cookie.attrs.secure, undefined, 'plain http gets no Secure flag');
    const expires = Date.parse(String(cookie.attrs.expires));
    assert.ok(Math.abs(expires - (hub.clock.now() + 12 * HOUR)) < 1000, 'expires after the 12 h session lifetime');
  } finally {
    await hub.close();
  }
});

test('the session cookie is Secure when HUB_BASE_URL is https', async () => {
  const hub = await startTestHub({ env: { HUB_BASE_URL: 'https://hub.example.com' } });
  try {
    await hub.signIn('admin');
    const cookie = setCookie(await hub.agent().request('POST', '/login', { form: login }), 'sy_session');
    assert.equal(cookie?.attrs.secure, true);
  } finally {
    await hub.close();
  }
});

test('the session cookie is Secure when the request itself arrives over https', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const cookie = setCookie(await hub.agent().request('POST', 'https://hub.example.com/login', { form: login }), 'sy_session');
    assert.equal(cookie?.attrs.secure, true);
  } finally {
    await hub.close();
  }
});

test('a second sign-in rotates the session id and the old id stops working', async () => {
  const hub = await startTestHub();
  try {
    const agent = await hub.signIn('admin');
    const first = agent.cookies.get('sy_session');
    assert.equal(redirectTarget(await agent.request('POST', '/login', { form: login })), '/admin');
    const second = agent.cookies.get('sy_session');
    assert.ok(first && second);
    assert.notEqual(first, second);
    const stale = await hub.app.request('/admin', { headers: { Cookie: `sy_session=${first}` } });
    assert.equal(redirectTarget(stale), '/login?next=%2Fadmin');
    assert.equal((await agent.get('/admin')).status, 200);
  } finally {
    await hub.close();
  }
});

test('an expired session sends the user to sign-in, which says the session expired', async () => {
  const hub = await startTestHub();
  try {
    const agent = await hub.signIn('admin');
    hub.clock.advance(12 * HOUR + 60_000);
    const res = await agent.get('/admin/settings');
    const location = redirectTarget(res);
    assert.equal(location, '/login?next=%2Fadmin%2Fsettings');
    assert.equal(setCookie(res, 'sy_session')?.attrs['max-age'], '0', 'the dead cookie is cleared');
    assert.equal(agent.cookies.has('sy_session'), false);
    const page = await agent.get(location);
    assert.equal(page.status, 200);
    const doc = await html(page);
    assert.match(doc.get('[role="status"]').text(), /Your session expired/);
    assert.equal(doc.get('form[action="/login"] input[name="next"]').attr('value'), '/admin/settings');
  } finally {
    await hub.close();
  }
});

test('a session used within its lifetime keeps going past the first 12 hours', async () => {
  const hub = await startTestHub();
  try {
    const agent = await hub.signIn('admin');
    hub.clock.advance(11 * HOUR);
    assert.equal((await agent.get('/admin')).status, 200);
    hub.clock.advance(11 * HOUR);
    assert.equal((await agent.get('/admin')).status, 200);
    hub.clock.advance(12 * HOUR + 60_000);
    assert.equal((await agent.get('/admin')).status, 303, 'but an idle one still ends');
  } finally {
    await hub.close();
  }
});

test("activity moves the browser cookie's expiry forward too, so the browser does not drop a live session", async () => {
  const hub = await startTestHub();
  try {
    const agent = await hub.signIn('admin');
    hub.clock.advance(11 * HOUR);
    const res = await agent.get('/admin');
    const cookie = setCookie(res, 'sy_session');
    assert.ok(cookie, 'the session cookie is sent again');
    assert.equal(cookie.value, agent.cookies.get('sy_session'));
    assert.equal(cookie.attrs.httponly, true);
    const expires = Date.parse(String(cookie.attrs.expires));
    assert.ok(Math.abs(expires - (hub.clock.now() + 12 * HOUR)) < 1000, 'expiry counted from this request');
  } finally {
    await hub.close();
  }
});

test('an unknown session cookie is cleared and treated as signed out', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await hub.app.request('/admin', { headers: { Cookie: 'sy_session=forged-or-old-value' } });
    assert.equal(redirectTarget(res), '/login?next=%2Fadmin');
    assert.equal(setCookie(res, 'sy_session')?.attrs['max-age'], '0');
    const loginPage = await hub.app.request('/login', { headers: { Cookie: 'sy_session=forged-or-old-value' } });
    assert.ok(!mainText(await html(loginPage)).includes('expired'), 'an unknown id is not reported as expired');
  } finally {
    await hub.close();
  }
});

test("deactivating a user ends their open session at their next request", async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const viewer = await hub.signIn('viewer');
    assert.equal((await viewer.get('/admin')).status, 200);
    assert.equal((await admin.post(`/admin/users/${userId(hub.ctx, 'viewer@example.com')}/deactivate`)).status, 303);
    assert.equal(redirectTarget(await viewer.get('/admin')), '/login?next=%2Fadmin');
  } finally {
    await hub.close();
  }
});

test('the page shows the signed-in user and the CSRF token only to a signed-in user', async () => {
  const hub = await startTestHub();
  try {
    await createUser(hub.ctx, 'shown@example.com', 'operator');
    const agent = hub.agent();
    await agent.request('POST', '/login', { form: { email: 'shown@example.com', password: TEST_PASSWORD } });
    const doc = await html(await agent.get('/admin'));
    assert.equal(doc.get('meta[name="csrf-token"]').attr('content')?.length, 43);
    assert.match(doc.get('.sy-user-menu').text(), /shown@example\.com/);
    assert.equal(doc.get('.sy-user-menu .tag').text(), 'operator');
    const anon = await html(await hub.agent().get('/login'));
    assert.equal(anon.find('meta[name="csrf-token"]'), undefined);
    assert.equal(anon.find('.sy-user-menu'), undefined);
  } finally {
    await hub.close();
  }
});
