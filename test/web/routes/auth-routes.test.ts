import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHub, TEST_PASSWORD } from '../../helpers/hub.js';
import { auditCount, createUser, html, mainText, redirectTarget, setCookie, setupAdmin, userId } from '../web-helpers.js';

const userCount = (hub: Awaited<ReturnType<typeof startTestHub>>): number =>
  (hub.ctx.db.sqlite.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;

const setupForm = (overrides: Record<string, string> = {}) => ({ name: 'First Admin', email: 'first@example.com', password: TEST_PASSWORD, confirm: TEST_PASSWORD, ...overrides });

test('the setup page asks for name, email and the password twice', async () => {
  const hub = await startTestHub();
  try {
    const doc = await html(await hub.agent().get('/setup'));
    const form = doc.get('form[action="/setup"][method="post"]');
    for (const name of ['name', 'email', 'password', 'confirm']) assert.ok(form.find(`input[name="${name}"]`), name);
    assert.equal(form.get('input[name="password"]').attr('type'), 'password');
    assert.equal(form.get('input[name="confirm"]').attr('autocomplete'), 'new-password');
  } finally {
    await hub.close();
  }
});

test('setup creates the admin, signs them in and welcomes them on the overview', async () => {
  const hub = await startTestHub();
  try {
    const agent = hub.agent();
    const res = await agent.request('POST', '/setup', { form: setupForm() });
    assert.equal(redirectTarget(res), '/admin');
    assert.ok(setCookie(res, 'sy_session'), 'signed in at once');
    assert.equal(hub.ctx.users.needsSetup(), false);
    assert.equal(hub.ctx.users.get(userId(hub.ctx, 'first@example.com')).role, 'admin');
    const doc = await html(await agent.get('/admin'));
    assert.match(doc.get('[role="status"]').text(), /Welcome, First Admin\. Your admin account is ready\./);
    assert.equal(auditCount(hub.ctx, 'user.create'), 1);
  } finally {
    await hub.close();
  }
});

test('after setup, /setup leads to sign-in and a second setup creates nobody', async () => {
  const hub = await startTestHub();
  try {
    await setupAdmin(hub);
    const anon = hub.agent();
    assert.equal(redirectTarget(await anon.get('/setup')), '/login');
    assert.equal(redirectTarget(await anon.request('POST', '/setup', { form: setupForm({ email: 'second@example.com' }) })), '/login');
    assert.equal(userCount(hub), 1);
    assert.equal((await anon.get('/login')).status, 200, 'the first-run redirect is gone');
  } finally {
    await hub.close();
  }
});

test('setup with passwords that differ re-renders with 422, the error beside the field, and creates nothing', async () => {
  const hub = await startTestHub();
  try {
    const res = await hub.agent().request('POST', '/setup', { form: setupForm({ confirm: `${TEST_PASSWORD}-x` }) });
    assert.equal(res.status, 422);
    const doc = await html(res);
    assert.equal(doc.get('#setup-confirm-error').text(), 'The two passwords differ.');
    assert.equal(doc.get('#setup-confirm').attr('aria-describedby'), 'setup-confirm-error');
    assert.equal(doc.get('#setup-email').attr('value'), 'first@example.com', 'the typed email is kept');
    assert.equal(doc.get('#setup-password').attr('value'), '', 'passwords are never echoed');
    assert.equal(setCookie(res, 'sy_session'), undefined);
    assert.equal(hub.ctx.users.needsSetup(), true);
  } finally {
    await hub.close();
  }
});

test('setup with a short password re-renders with 422 and the error beside the password', async () => {
  const hub = await startTestHub();
  try {
    const res = await hub.agent().request('POST', '/setup', { form: setupForm({ password: 'short', confirm: 'short' }) });
    assert.equal(res.status, 422);
    const doc = await html(res);
    assert.equal(doc.get('#setup-password-error').text(), 'Use at least 12 characters.');
    assert.equal(doc.get('#setup-password').attr('aria-invalid'), 'true');
    assert.ok(doc.find('form[action="/setup"] [role="alert"]'), 'a summary message too');
    assert.equal(hub.ctx.users.needsSetup(), true);
  } finally {
    await hub.close();
  }
});

test('setup with a bad email or no name re-renders with 422 and each error beside its field', async () => {
  const hub = await startTestHub();
  try {
    const res = await hub.agent().request('POST', '/setup', { form: setupForm({ email: 'not-an-email', name: '' }) });
    assert.equal(res.status, 422);
    const doc = await html(res);
    assert.equal(doc.get('#setup-email-error').text(), 'Enter a valid email address.');
    assert.equal(doc.get('#setup-name-error').text(), 'Enter a name.');
    assert.equal(doc.get('#setup-email').attr('value'), 'not-an-email');
    assert.equal(hub.ctx.users.needsSetup(), true);
  } finally {
    await hub.close();
  }
});

test("setup escapes the admin's name in the welcome message", async () => {
  const hub = await startTestHub();
  try {
    const agent = hub.agent();
    await agent.request('POST', '/setup', { form: setupForm({ name: '<img src=x onerror=alert(1)>' }) });
    const res = await agent.get('/admin');
    const doc = await html(res);
    assert.match(doc.get('[role="status"]').text(), /Welcome, <img src=x onerror=alert\(1\)>\./);
    assert.equal(doc.find('main img'), undefined, 'the name is text, not markup');
  } finally {
    await hub.close();
  }
});

test('the sign-in page carries a safe next path and ignores an off-site one', async () => {
  const hub = await startTestHub();
  try {
    await setupAdmin(hub);
    const next = async (query: string) => (await html(await hub.agent().get(`/login${query}`))).get('form[action="/login"] input[name="next"]').attr('value');
    assert.equal(await next(''), '/admin');
    assert.equal(await next('?next=%2Fadmin%2Fusers'), '/admin/users');
    assert.equal(await next('?next=%2F%2Fevil.com'), '/admin');
    assert.equal(await next('?next=https%3A%2F%2Fevil.com'), '/admin');
  } finally {
    await hub.close();
  }
});

test('signing in sends the user to the overview, records it, and updates their last sign-in', async () => {
  const hub = await startTestHub();
  try {
    await createUser(hub.ctx, 'ann@example.com', 'operator');
    const agent = hub.agent();
    const res = await agent.request('POST', '/login', { form: { email: 'ANN@example.com ', password: TEST_PASSWORD } });
    assert.equal(redirectTarget(res), '/admin');
    assert.equal((await agent.get('/admin')).status, 200);
    assert.equal(auditCount(hub.ctx, 'auth.login'), 1);
    assert.equal(hub.ctx.users.get(userId(hub.ctx, 'ann@example.com')).lastLoginAt, hub.clock.now());
  } finally {
    await hub.close();
  }
});

test('signing in follows a safe next path and ignores an off-site or malformed one', async () => {
  const hub = await startTestHub();
  try {
    await createUser(hub.ctx, 'ann@example.com', 'admin');
    const target = async (next: string) => redirectTarget(await hub.agent().request('POST', '/login', { form: { email: 'ann@example.com', password: TEST_PASSWORD, next } }));
    assert.equal(await target('/admin/users?x=1'), '/admin/users?x=1');
    for (const bad of ['//evil.com', 'https://evil.com/', '/\\evil.com', 'evil.com', '/\t/evil.com', '/admin\r\nSet-Cookie: x=1', '']) {
      assert.equal(await target(bad), '/admin', JSON.stringify(bad));
    }
  } finally {
    await hub.close();
  }
});

test('a signed-in visit to the sign-in page goes straight on, even with a malformed next', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    assert.equal(redirectTarget(await admin.get('/login?next=%2Fadmin%2Fhelp')), '/admin/help');
    assert.equal(redirectTarget(await admin.get('/login?next=%2Fadmin%0D%0AX-Evil%3A%201')), '/admin');
  } finally {
    await hub.close();
  }
});

test('a wrong password gets 401 with a plain message, keeps the email, and sets no session', async () => {
  const hub = await startTestHub();
  try {
    await createUser(hub.ctx, 'ann@example.com');
    const res = await hub.agent().request('POST', '/login', { form: { email: 'ann@example.com', password: 'not-the-password' } });
    assert.equal(res.status, 401);
    assert.equal(setCookie(res, 'sy_session'), undefined);
    const doc = await html(res);
    assert.equal(doc.get('form[action="/login"] [role="alert"]').text(), 'Email or password is incorrect.');
    assert.equal(doc.get('#login-email').attr('value'), 'ann@example.com');
    assert.equal(auditCount(hub.ctx, 'auth.login_failed'), 1);
  } finally {
    await hub.close();
  }
});

test('an unknown email gets exactly the same answer as a wrong password', async () => {
  const hub = await startTestHub();
  try {
    await createUser(hub.ctx, 'ann@example.com');
    const known = await hub.agent().request('POST', '/login', { form: { email: 'ann@example.com', password: 'not-the-password' } });
    const unknown = await hub.agent().request('POST', '/login', { form: { email: 'nobody@example.com', password: 'not-the-password' } });
    assert.equal(unknown.status, known.status);
    assert.equal((await html(unknown)).get('[role="alert"]').text(), (await html(known)).get('[role="alert"]').text());
  } finally {
    await hub.close();
  }
});

test('repeated failures lock sign-in with 429 and Retry-After until the lockout passes', async () => {
  const hub = await startTestHub();
  try {
    await createUser(hub.ctx, 'ann@example.com');
    const attempt = (password: string) => hub.agent().request('POST', '/login', { form: { email: 'ann@example.com', password } });
    for (let i = 0; i < 10; i++) assert.equal((await attempt('not-the-password')).status, 401, `failure ${i + 1}`);
    const locked = await attempt('not-the-password');
    assert.equal(locked.status, 429);
    assert.equal(locked.headers.get('Retry-After'), '900');
    assert.match(mainText(await html(locked)), /Too many failed sign-ins\. Try again in 15 minute\(s\)/);
    assert.equal((await attempt(TEST_PASSWORD)).status, 429, 'even the right password waits');
    hub.clock.advance(15 * 60_000 + 1000);
    assert.equal(redirectTarget(await attempt(TEST_PASSWORD)), '/admin');
  } finally {
    await hub.close();
  }
});

test('a deactivated account gets 403 and a message saying so', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    await createUser(hub.ctx, 'gone@example.com');
    await admin.post(`/admin/users/${userId(hub.ctx, 'gone@example.com')}/deactivate`);
    const res = await hub.agent().request('POST', '/login', { form: { email: 'gone@example.com', password: TEST_PASSWORD } });
    assert.equal(res.status, 403);
    assert.equal(setCookie(res, 'sy_session'), undefined);
    assert.match((await html(res)).get('[role="alert"]').text(), /This account is deactivated; ask an admin to reactivate it\./);
  } finally {
    await hub.close();
  }
});

test('signing out ends the session, clears the cookie and says so', async () => {
  const hub = await startTestHub();
  try {
    const agent = await hub.signIn('admin');
    const old = agent.cookies.get('sy_session');
    const res = await agent.post('/logout');
    assert.equal(redirectTarget(res), '/login');
    assert.equal(agent.cookies.has('sy_session'), false);
    const page = await html(await agent.get('/login'));
    assert.equal(page.get('[role="status"]').text(), 'You are signed out.');
    const replay = await hub.app.request('/admin', { headers: { Cookie: `sy_session=${old}` } });
    assert.equal(redirectTarget(replay), '/login?next=%2Fadmin', 'the old id is dead on the server too');
    assert.equal(auditCount(hub.ctx, 'auth.logout'), 1);
  } finally {
    await hub.close();
  }
});

test('signing out without a session is harmless', async () => {
  const hub = await startTestHub();
  try {
    await setupAdmin(hub);
    assert.equal(redirectTarget(await hub.agent().request('POST', '/logout')), '/login');
    assert.equal(auditCount(hub.ctx, 'auth.logout'), 0);
  } finally {
    await hub.close();
  }
});

test('an htmx sign-in gets HX-Redirect instead of a redirect', async () => {
  const hub = await startTestHub();
  try {
    await createUser(hub.ctx, 'ann@example.com');
    const res = await hub.agent().request('POST', '/login', { form: { email: 'ann@example.com', password: TEST_PASSWORD, next: '/admin/help' }, headers: { 'HX-Request': 'true' } });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('HX-Redirect'), '/admin/help');
    assert.ok(setCookie(res, 'sy_session'));
  } finally {
    await hub.close();
  }
});

test('two setups racing create one admin; the loser is told setup is already complete', async () => {
  const hub = await startTestHub();
  try {
    const [a, b] = await Promise.all([
      hub.agent().request('POST', '/setup', { form: setupForm({ email: 'one@example.com' }) }),
      hub.agent().request('POST', '/setup', { form: setupForm({ email: 'two@example.com' }) }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [303, 409]);
    const loser = a.status === 409 ? a : b;
    assert.match(mainText(await html(loser)), /Setup is already complete; sign in instead\./);
    assert.equal(setCookie(loser, 'sy_session'), undefined);
    assert.equal(userCount(hub), 1);
  } finally {
    await hub.close();
  }
});
