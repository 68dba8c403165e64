import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHub } from '../../helpers/hub.js';
import { FIXTURE_PLUGINS, html, redirectTarget } from '../web-helpers.js';

test('the site root leads to the overview', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    assert.equal(redirectTarget(await admin.get('/'), 302), '/admin');
  } finally {
    await hub.close();
  }
});

test('the overview shows each readiness check, and a failing one with its reason', async () => {
  const hub = await startTestHub();
  try {
    const viewer = await hub.signIn('viewer');
    const ok = await html(await viewer.get('/admin'));
    const items = ok.findAll('main li').filter((li) => li.find('.tag'));
    const names = Object.keys(hub.ctx.readiness.run().checks);
    assert.ok(names.includes('database') && names.includes('migrations'));
    assert.deepEqual(items.map((li) => li.text()), names.map((n) => `ok ${n}`));
    hub.ctx.readiness.register('mailer', () => ({ ok: false, reason: 'SMTP unreachable' }));
    const failing = await html(await viewer.get('/admin'));
    const mailer = failing.findAll('main li').find((li) => /mailer/.test(li.text()))!;
    assert.equal(mailer.text(), 'failing mailer: SMTP unreachable');
    assert.ok(mailer.get('.tag').classes.includes('is-danger'));
  } finally {
    await hub.close();
  }
});

test('only an admin is invited to add people; everyone gets the settings and help links', async () => {
  const hub = await startTestHub();
  try {
    const admin = await html(await (await hub.signIn('admin')).get('/admin'));
    const viewer = await html(await (await hub.signIn('viewer')).get('/admin'));
    assert.ok(admin.find('main a[href="/admin/users"]'));
    assert.equal(viewer.find('main a[href="/admin/users"]'), undefined);
    for (const doc of [admin, viewer]) {
      assert.ok(doc.find('main a[href="/admin/settings"]'));
      assert.ok(doc.find('main a[href="/admin/help"]'));
    }
  } finally {
    await hub.close();
  }
});

test('without plugins the overview says none are installed', async () => {
  const hub = await startTestHub();
  try {
    const doc = await html(await (await hub.signIn('viewer')).get('/admin'));
    assert.match(doc.get('main').text(), /No integration plugins are installed/);
  } finally {
    await hub.close();
  }
});

test('with a polling plugin the overview links it and shows whether it is on', async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const admin = await hub.signIn('admin');
    const link = (await html(await admin.get('/admin'))).get('main a[href="/admin/sample"]');
    assert.equal(link.text(), 'Sample');
    assert.equal(link.closest('li')!.get('.tag').text(), 'off');
    await admin.post('/admin/settings/sample', { enabled: ['0', '1'] });
    assert.equal((await html(await admin.get('/admin'))).get('main a[href="/admin/sample"]').closest('li')!.get('.tag').text(), 'on');
  } finally {
    await hub.close();
  }
});
