import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHub, TEST_PASSWORD } from '../../helpers/hub.js';
import { auditCount, html, redirectTarget } from '../web-helpers.js';

const NEW_PASSWORD = 'my-new-long-passphrase';

const signInWith = async (hub: Awaited<ReturnType<typeof startTestHub>>, password: string) =>
  (await hub.agent().request('POST', '/login', { form: { email: 'viewer@example.com', password } })).status;

test('the account page shows who you are and the change-password form', async () => {
  const hub = await startTestHub();
  try {
    const viewer = await hub.signIn('viewer');
    const doc = await html(await viewer.get('/admin/account'));
    assert.match(doc.get('main .box').text(), /viewer user · viewer@example\.com · role viewer/);
    const form = doc.get('form[action="/admin/account/password"]');
    assert.equal(form.get('input[name="_csrf"]').attr('value'), viewer.csrfToken);
    for (const id of ['acct-current', 'acct-password', 'acct-confirm']) assert.equal(form.get(`#${id}`).attr('type'), 'password');
  } finally {
    await hub.close();
  }
});

test('a wrong current password is refused with 422 beside that field, and nothing changes', async () => {
  const hub = await startTestHub();
  try {
    const viewer = await hub.signIn('viewer');
    const res = await viewer.post('/admin/account/password', { current: 'not-my-password', password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    assert.equal(res.status, 422);
    const doc = await html(res);
    assert.equal(doc.get('#acct-current-error').text(), 'Your current password is not right.');
    assert.equal(doc.get('#acct-current').attr('aria-invalid'), 'true');
    assert.equal(doc.get('#acct-current').attr('value'), '', 'no password is echoed');
    assert.equal(await signInWith(hub, TEST_PASSWORD), 303);
    assert.equal(await signInWith(hub, NEW_PASSWORD), 401);
  } finally {
    await hub.close();
  }
});

test('new passwords that differ are refused with 422 beside the repeat field', async () => {
  const hub = await startTestHub();
  try {
    const viewer = await hub.signIn('viewer');
    const res = await viewer.post('/admin/account/password', { current: TEST_PASSWORD, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` });
    assert.equal(res.status, 422);
    assert.equal((await html(res)).get('#acct-confirm-error').text(), 'The two new passwords differ.');
    assert.equal(await signInWith(hub, TEST_PASSWORD), 303);
  } finally {
    await hub.close();
  }
});

test('a too-short new password is refused with 422 beside the new-password field', async () => {
  const hub = await startTestHub();
  try {
    const viewer = await hub.signIn('viewer');
    const res = await viewer.post('/admin/account/password', { current: TEST_PASSWORD, password: 'short', confirm: 'short' });
    assert.equal(res.status, 422);
    assert.equal((await html(res)).get('#acct-password-error').text(), 'Use at least 12 characters.');
    assert.equal(await signInWith(hub, TEST_PASSWORD), 303);
  } finally {
    await hub.close();
  }
});

test('a good change is saved, confirmed with a flash, audited, and the new password signs in', async () => {
  const hub = await startTestHub();
  try {
    const viewer = await hub.signIn('viewer');
    const elsewhere = await hub.signIn('viewer');
    const res = await viewer.post('/admin/account/password', { current: TEST_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    assert.equal(redirectTarget(res), '/admin/account');
    const doc = await html(await viewer.get('/admin/account'));
    assert.equal(doc.get('[role="status"]').text(), 'Your password was changed; your other sessions were signed out.');
    assert.match(redirectTarget(await elsewhere.get('/admin')) ?? '', /^\/login/, 'the session in the other browser ended');
    assert.equal(await signInWith(hub, NEW_PASSWORD), 303);
    assert.equal(await signInWith(hub, TEST_PASSWORD), 401);
    assert.equal(auditCount(hub.ctx, 'user.password_change'), 1);
    const after = (hub.ctx.db.sqlite.prepare("SELECT after FROM audit_log WHERE action = 'user.password_change'").get() as { after: string }).after;
    assert.ok(!after.includes(NEW_PASSWORD), 'the audit never holds the password');
  } finally {
    await hub.close();
  }
});

test('changing your password needs the CSRF token', async () => {
  const hub = await startTestHub();
  try {
    const viewer = await hub.signIn('viewer');
    const res = await viewer.request('POST', '/admin/account/password', { form: { current: TEST_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD } });
    assert.equal(res.status, 403);
    assert.equal(await signInWith(hub, TEST_PASSWORD), 303);
  } finally {
    await hub.close();
  }
});
