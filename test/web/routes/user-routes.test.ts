import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHub, TEST_PASSWORD } from '../../helpers/hub.js';
import { auditCount, createUser, html, mainText, redirectTarget, userId } from '../web-helpers.js';

const NEW_PASSWORD = 'a-brand-new-passphrase';

test('the users page lists every user with their role, status and row actions', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    await createUser(hub.ctx, 'vera@example.com', 'viewer');
    const doc = await html(await admin.get('/admin/users'));
    const id = userId(hub.ctx, 'vera@example.com');
    const row = doc.get(`tr#user-${id}`);
    assert.match(row.text(), /vera@example\.com/);
    assert.equal(row.get('select[name="role"] option[selected]').attr('value'), 'viewer');
    assert.equal(row.get('form[action$="/role"]').attr('action'), `/admin/users/${id}/role`);
    assert.ok(row.find(`form[action="/admin/users/${id}/password"]`));
    assert.ok(row.find(`form[action="/admin/users/${id}/deactivate"]`));
    assert.match(row.get('.tag').text(), /active/);
    assert.ok(doc.find(`tr#user-${userId(hub.ctx, 'admin@example.com')}`));
  } finally {
    await hub.close();
  }
});

test('an admin creates a user who can then sign in with the given role', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.post('/admin/users', { name: 'Olga', email: 'olga@example.com', role: 'operator', password: NEW_PASSWORD });
    assert.equal(redirectTarget(res), '/admin/users');
    const doc = await html(await admin.get('/admin/users'));
    assert.equal(doc.get('[role="status"]').text(), 'User olga@example.com created as operator.');
    assert.equal(hub.ctx.users.get(userId(hub.ctx, 'olga@example.com')).role, 'operator');
    assert.equal(redirectTarget(await hub.agent().request('POST', '/login', { form: { email: 'olga@example.com', password: NEW_PASSWORD } })), '/admin');
  } finally {
    await hub.close();
  }
});

test('creating a user with bad fields re-renders with 422, each error beside its field, and creates nobody', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.post('/admin/users', { name: '', email: 'not-an-email', role: 'operator', password: 'short' });
    assert.equal(res.status, 422);
    const doc = await html(res);
    assert.equal(doc.get('#new-name-error').text(), 'Enter a name.');
    assert.equal(doc.get('#new-email-error').text(), 'Enter a valid email address.');
    assert.equal(doc.get('#new-password-error').text(), 'Use at least 12 characters.');
    assert.equal(doc.get('#new-email').attr('value'), 'not-an-email', 'typed values are kept');
    assert.equal(doc.get('#new-role option[selected]').attr('value'), 'operator');
    assert.equal(doc.get('#new-password').attr('value'), '', 'the password is not echoed');
    assert.match(doc.get('form[aria-label="Add a user"] [role="alert"]').text(), /check the highlighted fields/);
    assert.equal((hub.ctx.db.sqlite.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n, 1);
  } finally {
    await hub.close();
  }
});

test('a duplicate email or an unknown role is refused beside the field', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const dup = await admin.post('/admin/users', { name: 'Again', email: 'ADMIN@example.com', role: 'viewer', password: NEW_PASSWORD });
    assert.equal(dup.status, 422);
    assert.equal((await html(dup)).get('#new-email-error').text(), 'A user with this email already exists.');
    const role = await admin.post('/admin/users', { name: 'Root', email: 'root@example.com', role: 'superuser', password: NEW_PASSWORD });
    assert.equal(role.status, 422);
    assert.match((await html(role)).get('#new-role').closest('.field')!.get('.help.is-danger').text(), /Choose one of: viewer, operator, admin\./);
  } finally {
    await hub.close();
  }
});

test("changing a user's role takes effect on their very next request", async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const viewer = await hub.signIn('viewer');
    assert.equal((await viewer.get('/admin/users')).status, 403);
    const res = await admin.post(`/admin/users/${userId(hub.ctx, 'viewer@example.com')}/role`, { role: 'admin' });
    assert.equal(redirectTarget(res), '/admin/users');
    assert.equal((await html(await admin.get('/admin/users'))).get('[role="status"]').text(), 'viewer@example.com is now admin.');
    assert.equal((await viewer.get('/admin/users')).status, 200);
    assert.equal(auditCount(hub.ctx, 'user.role_change'), 1);
  } finally {
    await hub.close();
  }
});

test('an unknown role in a role change is shown in that user’s row with 422', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    await createUser(hub.ctx, 'vera@example.com');
    const id = userId(hub.ctx, 'vera@example.com');
    const res = await admin.post(`/admin/users/${id}/role`, { role: 'root' });
    assert.equal(res.status, 422);
    assert.match((await html(res)).get(`tr#user-${id} [role="alert"]`).text(), /Choose one of/);
    assert.equal(hub.ctx.users.get(id).role, 'viewer');
  } finally {
    await hub.close();
  }
});

test('resetting a password ends their sessions, and the new password signs in', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const viewer = await hub.signIn('viewer');
    const res = await admin.post(`/admin/users/${userId(hub.ctx, 'viewer@example.com')}/password`, { password: NEW_PASSWORD });
    assert.equal(redirectTarget(res), '/admin/users');
    assert.equal((await html(await admin.get('/admin/users'))).get('[role="status"]').text(), 'Password for viewer@example.com reset; their sessions were ended.');
    assert.equal(redirectTarget(await viewer.get('/admin')), '/login?next=%2Fadmin');
    assert.equal((await hub.agent().request('POST', '/login', { form: { email: 'viewer@example.com', password: TEST_PASSWORD } })).status, 401);
    assert.equal((await hub.agent().request('POST', '/login', { form: { email: 'viewer@example.com', password: NEW_PASSWORD } })).status, 303);
    assert.equal((await admin.get('/admin')).status, 200, "the admin's own session is untouched");
  } finally {
    await hub.close();
  }
});

test('a too-short reset password is shown in that row with 422 and changes nothing', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const viewer = await hub.signIn('viewer');
    const id = userId(hub.ctx, 'viewer@example.com');
    const res = await admin.post(`/admin/users/${id}/password`, { password: 'short' });
    assert.equal(res.status, 422);
    assert.equal((await html(res)).get(`tr#user-${id} [role="alert"]`).text(), 'Use at least 12 characters.');
    assert.equal((await viewer.get('/admin')).status, 200, 'their session goes on');
  } finally {
    await hub.close();
  }
});

test('deactivating signs the user out and keeps them out until reactivated', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const viewer = await hub.signIn('viewer');
    const id = userId(hub.ctx, 'viewer@example.com');
    assert.equal(redirectTarget(await admin.post(`/admin/users/${id}/deactivate`)), '/admin/users');
    const list = await html(await admin.get('/admin/users'));
    assert.equal(list.get('[role="status"]').text(), 'viewer@example.com is deactivated and signed out.');
    assert.match(list.get(`tr#user-${id} .tag`).text(), /deactivated/);
    assert.ok(list.find(`tr#user-${id} form[action="/admin/users/${id}/reactivate"]`));
    assert.equal(redirectTarget(await viewer.get('/admin')), '/login?next=%2Fadmin');
    assert.equal((await hub.agent().request('POST', '/login', { form: { email: 'viewer@example.com', password: TEST_PASSWORD } })).status, 403);

    assert.equal(redirectTarget(await admin.post(`/admin/users/${id}/reactivate`)), '/admin/users');
    assert.equal((await html(await admin.get('/admin/users'))).get('[role="status"]').text(), 'viewer@example.com is active again.');
    assert.equal((await hub.agent().request('POST', '/login', { form: { email: 'viewer@example.com', password: TEST_PASSWORD } })).status, 303);
    assert.equal(auditCount(hub.ctx, 'user.deactivate'), 1);
    assert.equal(auditCount(hub.ctx, 'user.reactivate'), 1);
  } finally {
    await hub.close();
  }
});

test('an admin cannot deactivate themselves: 409 with the reason in their row', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    await hub.signIn('admin', 'second-admin@example.com');
    const id = userId(hub.ctx, 'admin@example.com');
    const res = await admin.post(`/admin/users/${id}/deactivate`);
    assert.equal(res.status, 409);
    assert.equal((await html(res)).get(`tr#user-${id} [role="alert"]`).text(), 'You cannot deactivate your own account.');
    assert.equal(hub.ctx.users.get(id).active, true);
    assert.equal((await admin.get('/admin')).status, 200);
  } finally {
    await hub.close();
  }
});

test('the last active admin cannot be demoted: 409 with the reason in their row', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const id = userId(hub.ctx, 'admin@example.com');
    const res = await admin.post(`/admin/users/${id}/role`, { role: 'viewer' });
    assert.equal(res.status, 409);
    assert.equal((await html(res)).get(`tr#user-${id} [role="alert"]`).text(), 'This is the only active admin; make another user admin first.');
    assert.equal(hub.ctx.users.get(id).role, 'admin');
  } finally {
    await hub.close();
  }
});

test('a user id that is not a positive whole number is a 400', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    for (const bad of ['abc', '0', '-1', '1.5', '1e3x']) {
      const res = await admin.post(`/admin/users/${bad}/role`, { role: 'viewer' });
      assert.equal(res.status, 400, bad);
      assert.match(mainText(await html(res)), /A user id is a positive whole number\./);
    }
  } finally {
    await hub.close();
  }
});

test('acting on a user that does not exist is a 404 that says so', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    for (const action of ['role', 'password', 'deactivate', 'reactivate']) {
      const res = await admin.post(`/admin/users/9999/${action}`, { role: 'viewer', password: NEW_PASSWORD });
      assert.equal(res.status, 404, action);
      assert.match(mainText(await html(res)), /User #9999 does not exist\./, action);
    }
  } finally {
    await hub.close();
  }
});
