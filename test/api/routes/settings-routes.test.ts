import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../../helpers/hub.js';
import { html } from '../../web/web-helpers.js';
import { apiClientFor, expectJson, type ApiClient, type ApiErrorBody } from '../api-client.js';
import { documentOf, schemaChecker } from '../openapi-helpers.js';

interface DomainSettings {
  domain: string;
  enabled: boolean;
  pollIntervalSeconds: number;
  settings: Record<string, unknown>;
  definitions: { key: string; type: string }[];
  polling: { minIntervalSeconds: number } | null;
  version: number;
  updatedBy: string | null;
}

describe('/api/v1/settings', () => {
  let hub: TestHub;
  let reader: ApiClient;
  let writer: ApiClient;
  let check: ReturnType<typeof schemaChecker>;
  const pfJira = () => hub.ctx.domainConfig.get('pf-jira');

  before(async () => {
    hub = await startTestHub({ plugins: ['pf-jira'], startJobs: false });
    reader = apiClientFor(hub, { scopes: ['settings:read'] });
    writer = apiClientFor(hub, { type: 'bearer', scopes: ['settings:read', 'settings:write'] });
    check = schemaChecker(await documentOf(hub));
  });
  after(() => hub.close());

  test('lists every domain as the Settings page does, a page at a time', async () => {
    const all = await expectJson<{ items: DomainSettings[]; total: number; limit: number; offset: number }>(await reader.get('/api/v1/settings'), 200);
    check('DomainSettingsPage', all);
    assert.deepEqual(
      all.items.map((d) => d.domain),
      hub.ctx.domainConfig.declarations().map((d) => d.domain),
    );
    assert.deepEqual({ total: all.total, limit: all.limit, offset: all.offset }, { total: 2, limit: 50, offset: 0 });
    const second = await expectJson<{ items: DomainSettings[]; total: number }>(await reader.get('/api/v1/settings?limit=1&offset=1'), 200);
    assert.deepEqual(second.items.map((d) => d.domain), ['pf-jira']);
    assert.equal(second.total, 2);
  });

  test('reads one domain with its definitions; a secret shows only whether it is stored', async () => {
    const body = await expectJson<DomainSettings>(await reader.get('/api/v1/settings/pf-jira'), 200);
    check('DomainSettings', body);
    assert.equal(body.settings.jiraApiToken, false);
    assert.equal(body.polling?.minIntervalSeconds, 30);
    assert.equal(body.definitions.find((d) => d.key === 'jiraApiToken')?.type, 'secret');
    const missing = await expectJson<ApiErrorBody>(await reader.get('/api/v1/settings/no-such-domain'), 404);
    assert.equal(missing.error.code, 'not_found');
    assert.match(missing.error.message, /no settings domain named "no-such-domain"/);
  });

  test('turns the master switch on and sets the interval, audited under the credential, and the Settings page shows it', async () => {
    const before = pfJira();
    const res = await writer.patch('/api/v1/settings/pf-jira', { enabled: true, pollIntervalSeconds: 120, version: before.version });
    const body = await expectJson<DomainSettings>(res, 200);
    check('DomainSettings', body);
    assert.equal(body.enabled, true);
    assert.equal(body.pollIntervalSeconds, 120);
    assert.equal(body.version, before.version + 1);
    assert.equal(body.updatedBy, `api:${writer.credential!.clientId}`);
    const audit = hub.ctx.db.sqlite.prepare("SELECT actor_email AS actor FROM audit_log WHERE action = 'settings.update' ORDER BY id DESC LIMIT 1").get() as { actor: string };
    assert.equal(audit.actor, `api:${writer.credential!.clientId}`);

    const admin = await hub.signIn('admin');
    const card = (await html(await admin.get('/admin/settings'))).get('form#domain-pf-jira');
    assert.equal(card.get('#f-pf-jira-enabled').has('checked'), true);
    assert.equal(card.get('#f-pf-jira-pollIntervalSeconds').attr('value'), '120');
  });

  test('refuses a stale version with 409 and changes nothing', async () => {
    const current = pfJira();
    const body = await expectJson<ApiErrorBody>(await writer.patch('/api/v1/settings/pf-jira', { pollIntervalSeconds: 600, version: current.version - 1 }), 409);
    assert.equal(body.error.code, 'conflict');
    assert.equal(pfJira().version, current.version);
    assert.equal(pfJira().pollIntervalSeconds, current.pollIntervalSeconds);
  });

  test('refuses unknown fields, values out of range and undeclared settings with 422 naming each field', async () => {
    const current = pfJira();
    const unknown = await expectJson<ApiErrorBody>(await writer.patch('/api/v1/settings/pf-jira', { enabled: false, colour: 'blue' }), 422);
    assert.equal(unknown.error.code, 'validation_failed');
    assert.deepEqual(Object.keys(unknown.error.details!.fields as object), ['colour']);

    const invalid = await expectJson<ApiErrorBody>(await writer.patch('/api/v1/settings/pf-jira', { pollIntervalSeconds: 5, settings: { nope: 1 } }), 422);
    const fields = invalid.error.details!.fields as Record<string, string>;
    assert.match(fields.pollIntervalSeconds!, /30/);
    assert.match(fields['settings.nope']!, /Unknown setting "nope"/);

    const wrongType = await expectJson<ApiErrorBody>(await writer.patch('/api/v1/settings/pf-jira', { enabled: 'yes please' }), 422);
    assert.ok((wrongType.error.details!.fields as Record<string, string>).enabled);
    assert.equal(pfJira().version, current.version, 'nothing was saved');
  });

  test('a credential without settings:write may read but not change, with 403 scope_missing', async () => {
    const current = pfJira();
    const body = await expectJson<ApiErrorBody>(await reader.patch('/api/v1/settings/pf-jira', { enabled: false }), 403);
    assert.equal(body.error.code, 'scope_missing');
    assert.match(body.error.message, /settings:write/);
    assert.equal(pfJira().enabled, current.enabled);
  });
});
