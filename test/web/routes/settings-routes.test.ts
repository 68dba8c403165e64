import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHub, type TestHub } from '../../helpers/hub.js';
import { auditCount, FIXTURE_PLUGINS, formData, html, mainText, parseHtml, redirectTarget } from '../web-helpers.js';

const platform = (hub: TestHub) => hub.ctx.domainConfig.get('platform');

test('an admin sees each settings card with editable fields, its version and a Save button', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const doc = await html(await admin.get('/admin/settings'));
    const card = doc.get('form#domain-platform');
    assert.equal(card.attr('action'), '/admin/settings/platform');
    assert.equal(card.attr('hx-post'), '/admin/settings/platform');
    assert.equal(card.get('input[name="version"]').attr('value'), String(platform(hub).version));
    assert.equal(card.get('input[name="_csrf"]').attr('value'), admin.csrfToken);
    const hours = card.get('#f-platform-settings-sessionHours');
    assert.equal(hours.attr('value'), '12');
    assert.equal(hours.attr('min'), '1');
    assert.equal(hours.attr('max'), '720');
    assert.equal(hours.has('disabled'), false);
    assert.equal(card.get(`label[for="f-platform-settings-sessionHours"]`).text().startsWith('Session lifetime'), true);
    assert.ok(card.find('button[type="submit"]'));
  } finally {
    await hub.close();
  }
});

for (const [article, role] of [['a', 'viewer'], ['an', 'operator']] as const) {
  test(`${article} ${role} can read the settings but every field is disabled and there is no Save button`, async () => {
    const hub = await startTestHub();
    try {
      const agent = await hub.signIn(role);
      const res = await agent.get('/admin/settings');
      assert.equal(res.status, 200);
      const card = (await html(res)).get('form#domain-platform');
      assert.equal(card.find('button[type="submit"]'), undefined);
      const fields = card.findAll('input[name^="settings."]');
      assert.ok(fields.length >= 6);
      for (const field of fields) assert.ok(field.has('disabled'), field.attr('name'));
      assert.match(card.text(), /Only admins can change settings\./);
    } finally {
      await hub.close();
    }
  });

  test(`${article} ${role} posting a settings change gets 403 naming the admin role, and nothing changes`, async () => {
    const hub = await startTestHub();
    try {
      const agent = await hub.signIn(role);
      const before = platform(hub).version;
      const res = await agent.post('/admin/settings/platform', { 'settings.instanceName': 'Mine now' });
      assert.equal(res.status, 403);
      assert.match(mainText(await html(res)), new RegExp(`Your role \\(${role}\\) cannot change settings; it needs admin or higher\\.`));
      assert.equal(platform(hub).version, before);
      assert.equal(hub.ctx.platformSettings().instanceName, 'Switchyard');
    } finally {
      await hub.close();
    }
  });
}

test('a valid change is saved, read back at once, audited, and confirmed with a flash', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const before = platform(hub);
    const res = await admin.post('/admin/settings/platform', { version: String(before.version), 'settings.sessionHours': '24', 'settings.instanceName': 'Staging hub' });
    assert.equal(redirectTarget(res), '/admin/settings#domain-platform');
    const after = platform(hub);
    assert.equal(after.settings.sessionHours, 24);
    assert.equal(after.settings.instanceName, 'Staging hub');
    assert.equal(after.version, before.version + 1);
    assert.equal(after.updatedBy, 'admin@example.com');
    assert.equal(auditCount(hub.ctx, 'settings.update'), 1);
    const row = hub.ctx.db.sqlite.prepare("SELECT before, after, target_id AS targetId FROM audit_log WHERE action = 'settings.update'").get() as { before: string; after: string; targetId: string };
    assert.equal(row.targetId, 'platform');
    assert.equal((JSON.parse(row.before) as Record<string, unknown>).sessionHours, 12);
    assert.equal((JSON.parse(row.after) as Record<string, unknown>).sessionHours, 24);
    const doc = await html(await admin.get('/admin/settings'));
    assert.equal(doc.get('[role="status"]').text(), 'General settings saved.');
    assert.equal(doc.get('#f-platform-settings-sessionHours').attr('value'), '24');
    assert.match(doc.get('form#domain-platform').text(), /last saved by admin@example\.com/);
  } finally {
    await hub.close();
  }
});

test('the settings form submitted exactly as rendered saves cleanly', async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const admin = await hub.signIn('admin');
    const doc = await html(await admin.get('/admin/settings'));
    for (const domain of ['platform', 'sample']) {
      const before = hub.ctx.domainConfig.get(domain);
      const res = await admin.request('POST', `/admin/settings/${domain}`, { form: formData(doc.get(`form#domain-${domain}`)) });
      assert.equal(res.status, 303, `${domain} saves`);
      const after = hub.ctx.domainConfig.get(domain);
      assert.equal(after.version, before.version + 1);
      assert.deepEqual(after.settings, before.settings, `${domain}: nothing changed by a round trip`);
      assert.equal(after.enabled, before.enabled);
      assert.equal(after.pollIntervalSeconds, before.pollIntervalSeconds);
    }
  } finally {
    await hub.close();
  }
});

test('an invalid value re-renders with 422, the error beside the field, the typed value kept, and nothing saved', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const before = platform(hub);
    const res = await admin.post('/admin/settings/platform', { 'settings.sessionHours': '0', 'settings.instanceName': 'Not saved either' });
    assert.equal(res.status, 422);
    const doc = await html(res);
    assert.equal(doc.get('#f-platform-settings-sessionHours-error').text(), 'Must be at least 1 hours.');
    const input = doc.get('#f-platform-settings-sessionHours');
    assert.equal(input.attr('aria-describedby'), 'f-platform-settings-sessionHours-error');
    assert.equal(input.attr('aria-invalid'), 'true');
    assert.equal(input.attr('value'), '0');
    assert.equal(doc.get('#f-platform-settings-instanceName').attr('value'), 'Not saved either');
    assert.match(doc.get('form#domain-platform [role="alert"]').text(), /Some General settings are not valid; nothing was saved\./);
    assert.ok(doc.find('html'), 'a whole page for a plain form post');
    assert.deepEqual(platform(hub), before);
    assert.equal(auditCount(hub.ctx, 'settings.update'), 0);
  } finally {
    await hub.close();
  }
});

test('a setting the domain does not declare is refused', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.post('/admin/settings/platform', { 'settings.nope': '1' }, { Accept: 'application/json' });
    assert.equal(res.status, 422);
    assert.equal(platform(hub).version, 1);
  } finally {
    await hub.close();
  }
});

test('with htmx a successful save answers with the card fragment only, showing it saved', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.post('/admin/settings/platform', { version: '1', 'settings.sessionHours': '8' }, { 'HX-Request': 'true' });
    assert.equal(res.status, 200);
    const body = await res.text();
    const doc = parseHtml(body);
    assert.equal(doc.find('html'), undefined);
    assert.equal(doc.find('nav'), undefined, 'no layout around the card');
    assert.ok(body.trimStart().startsWith('<form'), 'the fragment is the card itself');
    assert.equal(doc.get('form#domain-platform [role="status"]').text(), 'General settings saved.');
    assert.equal(doc.get('input[name="version"]').attr('value'), '2', 'the next save carries the new version');
    assert.equal(doc.get('#f-platform-settings-sessionHours').attr('value'), '8');
    assert.equal(platform(hub).settings.sessionHours, 8);
  } finally {
    await hub.close();
  }
});

test('with htmx an invalid value answers 422 with the card fragment and the error beside the field', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.post('/admin/settings/platform', { 'settings.sessionHours': '0' }, { 'HX-Request': 'true' });
    assert.equal(res.status, 422);
    const doc = parseHtml(await res.text());
    assert.equal(doc.find('html'), undefined);
    assert.equal(doc.get('#f-platform-settings-sessionHours-error').text(), 'Must be at least 1 hours.');
    assert.equal(platform(hub).settings.sessionHours, 12);
  } finally {
    await hub.close();
  }
});

test('saving over a newer version is refused with 409 and a message to reload', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const other = await hub.signIn('admin', 'other@example.com');
    assert.equal((await other.post('/admin/settings/platform', { version: '1', 'settings.instanceName': 'Theirs' })).status, 303);
    const res = await admin.post('/admin/settings/platform', { version: '1', 'settings.instanceName': 'Mine' });
    assert.equal(res.status, 409);
    const doc = await html(res);
    assert.match(doc.get('form#domain-platform [role="alert"]').text(), /General settings were changed by other@example\.com since you opened them; reload/);
    assert.equal(hub.ctx.platformSettings().instanceName, 'Theirs');
    const htmx = await admin.post('/admin/settings/platform', { version: '1', 'settings.instanceName': 'Mine' }, { 'HX-Request': 'true' });
    assert.equal(htmx.status, 409);
    assert.equal(parseHtml(await htmx.text()).find('html'), undefined);
  } finally {
    await hub.close();
  }
});

test('an unknown settings domain is a 404', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.post('/admin/settings/nope', { 'settings.x': '1' });
    assert.equal(res.status, 404);
    assert.match(mainText(await html(res)), /There is no settings domain named "nope"\./);
    const json = await admin.post('/admin/settings/nope', {}, { Accept: 'application/json' });
    assert.equal(((await json.json()) as { error: { code: string } }).error.code, 'not_found');
  } finally {
    await hub.close();
  }
});

test("a plugin's card renders each field type and never shows a stored secret", async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const admin = await hub.signIn('admin');
    const saved = await admin.post('/admin/settings/sample', { enabled: ['0', '1'], pollIntervalSeconds: '120', fallbackProjects: 'OPS\nHR', 'settings.mode': 'slow', 'settings.verbose': ['0', '1'], 'settings.apiToken': 'tok-s3cret-value' });
    assert.equal(saved.status, 303);
    assert.equal(hub.ctx.domainConfig.secret('sample', 'apiToken'), 'tok-s3cret-value');
    const res = await admin.get('/admin/settings');
    const body = await res.text();
    assert.ok(!body.includes('tok-s3cret-value'), 'the secret never reaches the page');
    const card = parseHtml(body).get('form#domain-sample');
    assert.ok(card.get('#f-sample-enabled').has('checked'));
    assert.equal(card.get('#f-sample-pollIntervalSeconds').attr('value'), '120');
    assert.equal(card.get('#f-sample-fallbackProjects').text(), 'OPS HR');
    assert.equal(card.get('#f-sample-settings-mode option[selected]').attr('value'), 'slow');
    assert.ok(card.get('#f-sample-settings-verbose').has('checked'));
    const secret = card.get('#f-sample-settings-apiToken');
    assert.equal(secret.attr('type'), 'password');
    assert.equal(secret.attr('value'), '');
    assert.match(secret.attr('placeholder') ?? '', /A value is stored/);
    assert.equal(card.get('a.card-header-icon').attr('href'), '/admin/help/sample-guide');
  } finally {
    await hub.close();
  }
});

test('a blank secret field keeps the stored secret', async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const admin = await hub.signIn('admin');
    await admin.post('/admin/settings/sample', { 'settings.apiToken': 'first-token' });
    await admin.post('/admin/settings/sample', { 'settings.apiToken': '', 'settings.mode': 'slow' });
    assert.equal(hub.ctx.domainConfig.secret('sample', 'apiToken'), 'first-token');
    const after = JSON.parse((hub.ctx.db.sqlite.prepare("SELECT after FROM audit_log WHERE action = 'settings.update' ORDER BY id LIMIT 1").get() as { after: string }).after) as Record<string, unknown>;
    assert.equal(after.apiToken, '[changed]', 'the audit names the secret without its value');
  } finally {
    await hub.close();
  }
});

test('a bad list entry or interval is shown beside its own field on a plugin card', async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.post('/admin/settings/sample', { pollIntervalSeconds: '1', fallbackProjects: 'ok\nOPS' });
    assert.equal(res.status, 422);
    const doc = await html(res);
    assert.equal(doc.get('#f-sample-pollIntervalSeconds-error').text(), 'Must be at least 10 seconds.');
    assert.match(doc.get('#f-sample-fallbackProjects-error').text(), /"ok": a Jira project key/);
    assert.equal(doc.get('#f-sample-fallbackProjects').text(), 'ok OPS', 'the typed list is kept');
    assert.equal(doc.find('#f-platform-settings-sessionHours-error'), undefined, 'other cards are untouched');
  } finally {
    await hub.close();
  }
});
