import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemActor } from '../../../src/platform/actor.js';
import { startTestHub, type Agent, type TestHub } from '../../helpers/hub.js';
import { auditCount, formData, html, mainText, parseHtml, redirectTarget, type El } from '../web-helpers.js';

const PAGE = '/admin/api/credentials';

const createForm = (doc: El): El => doc.get('form[aria-label="Create an API credential"]');

/** Fills the create form as a person would: the page's own fields (CSRF and one-time token included), then the typed values. */
const fillCreate = async (agent: Agent, values: Record<string, string | string[]>): Promise<Record<string, string | string[]>> => {
  const form = formData(createForm(await html(await agent.get(PAGE))));
  return { ...form, ...values };
};

const rowOf = (doc: El, clientId: string): El => doc.get(`tr#credential-${clientId}`);

/** The fields of the row form for an action, with its tokens. */
const rowForm = async (agent: Agent, clientId: string, action: string): Promise<Record<string, string | string[]>> =>
  formData(rowOf(await html(await agent.get(PAGE)), clientId).get(`form[action="${PAGE}/${clientId}/${action}"]`));

const credentialCount = (hub: TestHub): number => (hub.ctx.db.sqlite.prepare('SELECT COUNT(*) AS n FROM api_credentials').get() as { n: number }).n;

const revealed = (doc: El): string => doc.get('input#reveal-secret').attr('value')!;

test('creating an HMAC credential shows its secret once, on the answer to the POST, and never again', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const admin = await hub.signIn('admin');
    const form = await fillCreate(admin, { name: 'HR reporting script', type: 'hmac', scopes: ['rules:read', 'jobs:read'], allowedIps: '', rateLimitPerMinute: '60' });
    const res = await admin.post(PAGE, form);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    assert.equal(res.headers.get('Location'), null);
    const doc = await html(res);
    const secret = revealed(doc);
    assert.match(secret, /^sys_[A-Za-z0-9_-]{43}$/);
    assert.match(doc.get('[role="alert"]').text(), /This is the only time Switchyard shows this secret/);
    assert.equal(doc.get('button[data-copy="reveal-secret"]').attr('type'), 'button');
    assert.ok(doc.find('script[src^="/static/api-credentials.js"]'), 'the copy button is wired by a static file');
    assert.equal(doc.findAll('script').filter((el) => !el.has('src')).length, 0, 'no inline script');

    const [credential] = hub.ctx.apiCredentials.list();
    assert.equal(credential!.name, 'HR reporting script');
    assert.deepEqual(credential!.scopes, ['rules:read', 'jobs:read']);
    assert.equal(credential!.rateLimitPerMinute, 60);
    assert.equal(credential!.createdBy, 'admin@example.com');
    assert.equal(doc.get('input#reveal-client-id').attr('value'), credential!.clientId);
    assert.deepEqual(doc.get('pre[aria-label="Environment for api-curl.sh"]').rawText().split('\n'), [
      `export SWITCHYARD_URL=${hub.config.baseUrl}`,
      `export SWITCHYARD_CLIENT_ID=${credential!.clientId}`,
      'export SWITCHYARD_SECRET=<the secret above>',
    ]);
    assert.equal(auditCount(hub.ctx, 'api.credential.create'), 1);
    for (const cookie of res.headers.getSetCookie()) assert.ok(!cookie.includes(secret), 'no cookie carries it');

    const list = await admin.get(PAGE);
    const listHtml = await list.text();
    assert.ok(!listHtml.includes(secret), 'the list never shows it');
    assert.match(listHtml, new RegExp(credential!.clientId));

    // A reload re-sends the same form: refused, nothing created, and the secret is not shown again.
    const reload = await admin.post(PAGE, form);
    assert.equal(redirectTarget(reload), PAGE);
    const afterText = await (await admin.get(PAGE)).text();
    assert.match(afterText, /already sent, so nothing was changed/);
    assert.ok(!afterText.includes(secret));
    assert.equal(credentialCount(hub), 1);
    const audit = hub.ctx.db.sqlite.prepare('SELECT * FROM audit_log').all();
    assert.ok(!JSON.stringify(audit).includes(secret), 'the audit log never holds it');
  } finally {
    await hub.close();
  }
});

test('the list shows type, scopes, addresses, status, creator and last use, and explains rotation', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const { credential } = hub.ctx.apiCredentials.create(systemActor, { name: 'Door badge sync', type: 'bearer', scopes: ['settings:read'], allowedIps: ['10.0.0.0/8', '2001:db8::7'] });
    hub.ctx.db.sqlite.prepare('UPDATE api_credentials SET last_used_at = ?, last_used_ip = ? WHERE client_id = ?').run(Date.UTC(2026, 0, 2, 9, 30), '10.1.2.3', credential.clientId);
    const viewer = await hub.signIn('viewer');
    const res = await viewer.get(PAGE);
    assert.equal(res.status, 200);
    const doc = await html(res);
    const row = rowOf(doc, credential.clientId);
    const cells = row.findAll('td').map((td) => td.text());
    assert.match(cells[0]!, /Door badge sync/);
    assert.equal(cells[1], 'Bearer');
    assert.equal(row.get('.tag[title]').text(), 'settings:read');
    assert.match(row.get('.tag[title]').attr('title')!, /Read integration settings/);
    assert.match(cells[3]!, /10\.0\.0\.0\/8, 2001:db8::7/);
    assert.match(cells[4]!, /active/);
    assert.match(cells[5]!, /by system/);
    assert.match(cells[6]!, /2026-01-02 09:30:00 UTC from 10\.1\.2\.3/);
    assert.match(cells[7]!, /^one$/);
    assert.equal(doc.get('aside a[aria-current="page"]').text(), 'API credentials');
    assert.equal(doc.get('a[href="/admin/help/api"]').text(), 'Help: API credentials');
    assert.equal((await viewer.get('/admin/help/api')).status, 200);
  } finally {
    await hub.close();
  }
});

test('the create form offers each scope with its description as a tooltip, and both types explained', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const admin = await hub.signIn('admin');
    const form = createForm(await html(await admin.get(PAGE)));
    const boxes = form.findAll('input[type="checkbox"][name="scopes"]').map((b) => b.attr('value'));
    assert.ok(boxes.includes('rules:write') && boxes.includes('bqe:read'));
    const tip = form.get('.sy-scope-grid .sy-tip[aria-label^="rules:write"]');
    assert.match(tip.attr('data-tip')!, /Create, change, reorder/);
    assert.deepEqual(form.findAll('input[type="radio"][name="type"]').map((r) => r.attr('value')), ['hmac', 'bearer']);
    assert.match(form.text(), /accepts it only from the allowed addresses/);
    assert.equal(form.get('label[for="credential-ips"]').text().startsWith('Allowed addresses'), true);
  } finally {
    await hub.close();
  }
});

test('invalid fields re-render with 422, each message beside its field, what was typed kept, and nothing created', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.post(PAGE, await fillCreate(admin, { name: 'Kiosk', type: 'bearer', scopes: ['jobs:read'], allowedIps: '', rateLimitPerMinute: 'lots' }));
    assert.equal(res.status, 422);
    const doc = await html(res);
    assert.match(doc.get('#credential-ips-error').text(), /A Bearer token is only accepted from the addresses listed here/);
    assert.match(doc.get('#credential-rate-error').text(), /whole number of requests per minute/);
    assert.equal(doc.get('#credential-name').attr('value'), 'Kiosk');
    assert.equal(doc.get('input[name="type"][checked]').attr('value'), 'bearer');
    assert.deepEqual(doc.findAll('input[name="scopes"][checked]').map((b) => b.attr('value')), ['jobs:read']);
    assert.equal(doc.find('#reveal-secret'), undefined);
    assert.equal(credentialCount(hub), 0);

    // The re-rendered form carries a fresh token, so correcting it and sending again works.
    const fixed = { ...formData(createForm(doc)), allowedIps: '127.0.0.1\n::1', rateLimitPerMinute: '' };
    const again = await admin.post(PAGE, fixed);
    assert.equal(again.status, 200);
    assert.match(revealed(await html(again)), /^syb_/);
    assert.deepEqual(hub.ctx.apiCredentials.list()[0]!.allowedIps, ['127.0.0.1', '::1']);

    const bad = await admin.post(PAGE, await fillCreate(admin, { name: '', type: 'hmac', scopes: [], allowedIps: 'not-an-ip' }));
    assert.equal(bad.status, 422);
    const badDoc = await html(bad);
    assert.match(badDoc.get('#credential-name-error').text(), /Give the credential a name/);
    assert.match(badDoc.get('#credential-scopes-error').text(), /Choose at least one scope/);
    assert.match(badDoc.get('#credential-ips-error').text(), /"not-an-ip" is not an IP address/);
    assert.equal(credentialCount(hub), 1);
  } finally {
    await hub.close();
  }
});

test('rotating shows the new secret once while the old one stays valid; retiring ends it; revoking needs the box ticked', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const admin = await hub.signIn('admin');
    const created = await html(await admin.post(PAGE, await fillCreate(admin, { name: 'CI deploy', type: 'hmac', scopes: ['sync:run'] })));
    const first = revealed(created);
    const clientId = created.get('input#reveal-client-id').attr('value')!;

    const rotateForm = await rowForm(admin, clientId, 'rotate');
    const rotated = await admin.post(`${PAGE}/${clientId}/rotate`, rotateForm);
    assert.equal(rotated.status, 200);
    assert.equal(rotated.headers.get('Cache-Control'), 'no-store');
    const rotatedDoc = await html(rotated);
    const second = revealed(rotatedDoc);
    assert.match(second, /^sys_/);
    assert.notEqual(second, first);
    assert.match(mainText(rotatedDoc), /previous secret keeps working until/);
    const afterRotate = hub.ctx.apiCredentials.get(clientId)!;
    assert.equal(afterRotate.hasSecondary, true);
    assert.equal(afterRotate.secondaryExpiresAt, hub.clock.now() + 24 * 3_600_000);

    // Reloading the reveal re-sends the rotation: refused, so the secret just handed out stays the current one.
    assert.equal(redirectTarget(await admin.post(`${PAGE}/${clientId}/rotate`, rotateForm)), PAGE);
    assert.equal(auditCount(hub.ctx, 'api.credential.rotate'), 1);

    const listText = await (await admin.get(PAGE)).text();
    assert.ok(!listText.includes(second));
    assert.match(rowOf(parseHtml(listText), clientId).findAll('td')[7]!.text(), /new and old both valid; old until/);

    assert.equal(redirectTarget(await admin.post(`${PAGE}/${clientId}/retire`, await rowForm(admin, clientId, 'retire'))), PAGE);
    const retired = await html(await admin.get(PAGE));
    assert.match(retired.get('[role="status"]').text(), /old secret of CI deploy is retired/);
    assert.match(rowOf(retired, clientId).findAll('td')[7]!.text(), /^one \(rotated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$/);
    assert.equal(hub.ctx.apiCredentials.get(clientId)!.hasSecondary, false);
    assert.equal(rowOf(retired, clientId).find(`form[action="${PAGE}/${clientId}/retire"]`), undefined, 'nothing left to retire');

    // Retiring again (a stale page) is a conflict shown beside the row.
    const again = await admin.post(`${PAGE}/${clientId}/retire`, {});
    assert.equal(again.status, 409);
    assert.match(rowOf(await html(again), clientId).get('[role="alert"]').text(), /nothing to retire/);

    const unconfirmed = await admin.post(`${PAGE}/${clientId}/revoke`, {});
    assert.equal(unconfirmed.status, 422);
    assert.match(rowOf(await html(unconfirmed), clientId).get('[role="alert"]').text(), /Tick the box to confirm/);
    assert.equal(hub.ctx.apiCredentials.get(clientId)!.status, 'active');

    const revokeForm = { ...(await rowForm(admin, clientId, 'revoke')), confirm: 'yes' };
    assert.equal(redirectTarget(await admin.post(`${PAGE}/${clientId}/revoke`, revokeForm)), PAGE);
    const revoked = await html(await admin.get(PAGE));
    assert.match(revoked.get('[role="status"]').text(), /CI deploy is revoked/);
    const row = rowOf(revoked, clientId);
    assert.match(row.findAll('td')[4]!.text(), /revoked .* by admin@example\.com/);
    assert.equal(row.find('form'), undefined, 'a revoked credential has no actions');
    assert.equal(hub.ctx.apiCredentials.get(clientId)!.status, 'revoked');
    assert.deepEqual(['create', 'rotate', 'retire', 'revoke'].map((a) => auditCount(hub.ctx, `api.credential.${a}`)), [1, 1, 1, 1]);

    assert.equal((await admin.post(`${PAGE}/sy_nosuchclient/revoke`, { confirm: 'yes' })).status, 404);
  } finally {
    await hub.close();
  }
});

test('a viewer can read the list but cannot create, rotate, retire or revoke', async () => {
  const hub = await startTestHub({ startJobs: false });
  try {
    const { credential } = hub.ctx.apiCredentials.create(systemActor, { name: 'Existing', type: 'hmac', scopes: ['jobs:read'], allowedIps: [] });
    hub.ctx.apiCredentials.rotate(systemActor, credential.clientId);
    for (const role of ['viewer', 'operator'] as const) {
      const agent = await hub.signIn(role);
      const doc = await html(await agent.get(PAGE));
      assert.ok(rowOf(doc, credential.clientId));
      assert.equal(doc.find('form[aria-label="Create an API credential"]'), undefined, role);
      assert.equal(doc.find(`form[action^="${PAGE}/"]`), undefined, role);
      assert.match(mainText(doc), /Only admins can create, rotate, retire or revoke API credentials\./);
      assert.ok(doc.find(`aside a[href="${PAGE}"]`), `${role} has the menu entry`);

      assert.equal((await agent.post(PAGE, { name: 'Sneaky', type: 'hmac', scopes: 'jobs:write', once: 'AAAAAAAAAAAAAAAAAAAAAA' })).status, 403);
      assert.equal((await agent.post(`${PAGE}/${credential.clientId}/rotate`, { once: 'BBBBBBBBBBBBBBBBBBBBBB' })).status, 403);
      assert.equal((await agent.post(`${PAGE}/${credential.clientId}/retire`)).status, 403);
      assert.equal((await agent.post(`${PAGE}/${credential.clientId}/revoke`, { confirm: 'yes' })).status, 403);
    }
    assert.equal(credentialCount(hub), 1);
    const after = hub.ctx.apiCredentials.get(credential.clientId)!;
    assert.equal(after.status, 'active');
    assert.equal(after.hasSecondary, true);
    assert.equal(auditCount(hub.ctx, 'api.credential.rotate'), 1);
  } finally {
    await hub.close();
  }
});
