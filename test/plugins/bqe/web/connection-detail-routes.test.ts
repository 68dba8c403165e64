import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from '../../../../src/plugins/bqe/db/connection-repository.js';
import { loadProvider } from '../../../../src/plugins/bqe/provider.js';
import { bqeRoutes } from '../../../../src/plugins/bqe/web/bqe-routes.js';
import type { Agent } from '../../../helpers/hub.js';
import { formData, parseHtml, redirectTarget } from '../../../web/web-helpers.js';
import { bqeWebFixture, htmx, page, type BqeWebFixture } from './bqe-web-fixture.js';

const meta = loadProvider();

describe('a BQE connection page', () => {
  let f: BqeWebFixture;
  let admin: Agent;
  let operator: Agent;
  let viewer: Agent;
  before(async () => {
    f = await bqeWebFixture();
    admin = await f.hub.signIn('admin');
    operator = await f.hub.signIn('operator');
    viewer = await f.hub.signIn('viewer');
  });
  after(async () => {
    await f.close();
  });

  let named = 0;
  /** A fresh connection, connected through the simulator unless asked otherwise. */
  const connection = async (options: { connect?: boolean; offset?: string } = {}): Promise<Connection> => {
    const created = await f.addConnection(admin, { name: `Tenant ${++named}`, utcOffsetMinutes: options.offset ?? '' });
    if (options.connect !== false) assert.equal((await f.connect(admin, created.id)).status, 303);
    return f.repo.get(created.id) as Connection;
  };
  const show = async (agent: Agent, id: number) => page(await agent.get(bqeRoutes.connection(id)));

  test('a connection without an offset warns that it cannot sync until one is saved', async () => {
    const c = await connection();
    const doc = await show(viewer, c.id);
    assert.match(doc.get('[data-testid=offset-missing]').text(), /cannot sync until one is saved/);
    assert.match(doc.get('[data-testid=sync-blocker]').text(), /No UTC offset is set/);
  });

  test('Save Offset stores the minutes and says so after the redirect', async () => {
    const c = await connection();
    const res = await admin.post(bqeRoutes.connectionOffset(c.id), { utcOffsetMinutes: '-300' });
    assert.equal(redirectTarget(res), `${bqeRoutes.connection(c.id)}#bqe-offset`);
    assert.equal(f.repo.get(c.id)?.utcOffsetMinutes, -300);
    const doc = await show(admin, c.id);
    assert.match(doc.get('.notification[role=status]').text(), /UTC offset saved: UTC−05:00 \(-300 minutes\)\./);
    assert.equal(doc.get('[data-testid=offset-current]').text(), 'UTC−05:00 (-300 minutes)');
    assert.equal(doc.find('[data-testid=offset-missing]'), undefined);
    assert.equal(doc.get('#bqe-utcOffsetMinutes').attr('value'), '-300');
  });

  test('an offset out of range is refused inline with the service message, keeping what was typed', async () => {
    const c = await connection({ offset: '60' });
    const doc = await page(await admin.post(bqeRoutes.connectionOffset(c.id), { utcOffsetMinutes: '900' }), 422);
    const card = doc.get('#bqe-offset');
    assert.equal(card.get('#bqe-utcOffsetMinutes-error').text(), 'Enter whole minutes from -720 to 840: east of UTC is positive (CET is 60), west is negative (EST is -300, PST is -480).');
    assert.equal(card.get('#bqe-utcOffsetMinutes').attr('value'), '900');
    assert.equal(card.get('#bqe-utcOffsetMinutes').attr('aria-invalid'), 'true');
    assert.ok(doc.find('#bqe-credentials'), 'the rest of the page is there');
    assert.equal(f.repo.get(c.id)?.utcOffsetMinutes, 60);
  });

  test('an htmx Save Offset answers with the card and tells the sync panel to reload; a change resets the cursors', async () => {
    const c = await connection({ offset: '60' });
    f.syncRepo.advanceCursor(c.id, 'project', '2025-01-15T10:22:31', f.hub.clock.now());
    const res = await admin.request('POST', bqeRoutes.connectionOffset(c.id), { form: { utcOffsetMinutes: '-480' }, headers: htmx(admin) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('HX-Trigger') ?? '', /bqe-connection-changed/);
    const doc = parseHtml(await res.text());
    assert.equal(doc.find('main'), undefined);
    assert.match(doc.get('form#bqe-offset .notification[role=status]').text(), /UTC offset saved: UTC−08:00 \(-480 minutes\)\. The delta cursors were reset/);
    assert.equal(f.syncRepo.getCursor(c.id, 'project')?.cursor, null);

    const refused = await admin.request('POST', bqeRoutes.connectionOffset(c.id), { form: { utcOffsetMinutes: 'abc' }, headers: htmx(admin) });
    assert.equal(refused.status, 422);
    assert.match(parseHtml(await refused.text()).get('#bqe-utcOffsetMinutes-error').text(), /^Enter whole minutes/);
  });

  test('Test connection reports the sampleCount and time from the connection probe', async () => {
    const c = await connection({ offset: '-300' });
    const res = await operator.request('POST', bqeRoutes.connectionTest(c.id), { headers: htmx(operator) });
    assert.equal(res.status, 200);
    const result = parseHtml(await res.text()).get('[data-testid=connection-test-result]');
    assert.equal(result.get('[data-testid=sample-count]').text(), String(meta.api.probes.connection.pageSize));
    assert.match(result.get('[data-testid=test-ms]').text(), /^\d+ ms$/);
    assert.match(result.text(), new RegExp(`sampleCount ${meta.api.probes.connection.pageSize}`));
  });

  test('Test connection without JavaScript flashes the result; an unconnected one says what to do', async () => {
    const c = await connection({ connect: false, offset: '-300' });
    const res = await operator.post(bqeRoutes.connectionTest(c.id));
    assert.equal(redirectTarget(res), `${bqeRoutes.connection(c.id)}#bqe-test`);
    const doc = await show(operator, c.id);
    assert.match(doc.get('.notification.is-danger').text(), /Not authorised yet: use Connect with BQE\./);
  });

  test('a connection that needs re-auth shows the reason and a Reconnect OAuth button', async () => {
    const c = await connection({ offset: '-300' });
    f.repo.setStatus(c.id, 'needs_reauth', 'BQE refused the refresh token (invalid_grant): someone revoked the app or the token expired.', f.hub.clock.now());
    const doc = await show(admin, c.id);
    const banner = doc.get('[data-testid=status-banner]');
    assert.equal(banner.attr('data-status'), 'needs_reauth');
    assert.equal(banner.attr('role'), 'alert');
    assert.match(banner.text(), /BQE refused the refresh token \(invalid_grant\)/);
    const form = banner.get(`form[action="${bqeRoutes.connectionAuthorize(c.id)}"]`);
    assert.equal(form.get('button').text(), 'Reconnect OAuth');
    assert.equal(doc.get('[data-testid=connection-status]').text(), 'Needs re-auth');

    const seenByViewer = (await show(viewer, c.id)).get('[data-testid=status-banner]');
    assert.equal(seenByViewer.find('form'), undefined);
    assert.match(seenByViewer.text(), /An admin must use Reconnect OAuth/);

    // Reconnecting goes through consent again and clears the banner.
    assert.equal((await f.connect(admin, c.id)).status, 303);
    assert.equal((await show(admin, c.id)).find('[data-testid=status-banner]'), undefined);
  });

  test('a connection that needs consent explains which scope changed and why', async () => {
    const c = await connection({ offset: '-300' });
    const tokens = f.repo.tokens(c.id);
    assert.ok(tokens);
    f.repo.saveTokens(c.id, { ...tokens, scopes: ['read:core'] }, f.hub.clock.now(), { connected: false });
    f.repo.setStatus(c.id, 'needs_consent', 'The scopes in provider.json changed.', f.hub.clock.now());
    const doc = await show(admin, c.id);
    const banner = doc.get('[data-testid=status-banner]');
    assert.equal(banner.attr('data-status'), 'needs_consent');
    const purpose = meta.scopes.find((s) => s.name === 'offline_access')?.purpose.replace(/\.$/, '');
    assert.equal(
      banner.get('[data-testid=consent-reason]').text(),
      `Switchyard now needs “offline_access” (${purpose}). BQE changes the granted scopes only when you consent again: use Reconnect OAuth.`,
    );
    assert.equal(banner.get('button').text(), 'Reconnect OAuth');
    assert.equal(doc.get('#bqe-scopes tr[data-scope="offline_access"]').get('.tag').text(), 'not granted');
  });

  test('a connection not connected yet offers Connect with BQE', async () => {
    const c = await connection({ connect: false });
    const banner = (await show(admin, c.id)).get('[data-testid=status-banner]');
    assert.equal(banner.attr('data-status'), 'not_connected');
    assert.equal(banner.get('button').text(), 'Connect with BQE');
  });

  test('each requested scope has its purpose as a tooltip', async () => {
    const c = await connection();
    const doc = await show(viewer, c.id);
    for (const scope of meta.scopes) {
      const row = doc.get(`#bqe-scopes tr[data-scope="${scope.name}"]`);
      const tip = row.get('.sy-tip');
      assert.equal(tip.attr('data-tip'), scope.purpose);
      assert.equal(tip.attr('aria-label'), scope.purpose);
      assert.equal(row.get('.tag').text(), 'granted');
    }
  });

  test('saving credentials with a blank secret keeps the stored one; problems come back per field', async () => {
    const c = await connection({ connect: false });
    const secret = f.repo.clientSecret(c.id);
    const form = formData((await show(admin, c.id)).get('#bqe-credentials form'));
    assert.equal(form.clientSecret, '');
    const saved = await admin.post(bqeRoutes.connectionCredentials(c.id), { ...form, name: `${c.name} renamed` });
    assert.equal(redirectTarget(saved), bqeRoutes.connection(c.id));
    assert.equal(f.repo.get(c.id)?.name, `${c.name} renamed`);
    assert.equal(f.repo.clientSecret(c.id), secret);

    const refused = await page(await admin.post(bqeRoutes.connectionCredentials(c.id), { ...form, name: '', clientSecret: 'new-secret' }), 422);
    assert.equal(refused.get('#cred-name-error').text(), 'Enter a name for this connection.');
    assert.equal(refused.get('#cred-clientId').attr('value'), form.clientId);
    assert.equal(refused.get('#cred-clientSecret').attr('value'), '');
    assert.equal(f.repo.clientSecret(c.id), secret);
  });

  test('changing the client ID of a connected connection drops its tokens and says to connect again', async () => {
    const c = await connection();
    const form = formData((await show(admin, c.id)).get('#bqe-credentials form'));
    await admin.post(bqeRoutes.connectionCredentials(c.id), { ...form, clientId: 'another-app.apps.bqe.com' });
    assert.equal(f.repo.get(c.id)?.hasTokens, false);
    const doc = await show(admin, c.id);
    assert.match(doc.get('.notification.is-warning').text(), /old tokens were dropped: use Connect with BQE/);
    assert.equal(doc.get('[data-testid=status-banner]').attr('data-status'), 'not_connected');
  });

  test('sync settings save, and a bad value is named', async () => {
    const c = await connection({ connect: false });
    const form = formData((await show(admin, c.id)).get('form#bqe-syncSettings'));
    const res = await admin.post(bqeRoutes.connectionSyncSettings(c.id), { ...form, parentOnly: ['0', '1'], maxProjectLevel: '2', clientSync: 'referenced', deletionPolicy: 'report_only' });
    assert.equal(redirectTarget(res), `${bqeRoutes.connection(c.id)}#bqe-syncSettings`);
    const stored = f.repo.get(c.id);
    assert.deepEqual([stored?.parentOnly, stored?.maxProjectLevel, stored?.clientSync, stored?.deletionPolicy], [true, 2, 'referenced', 'report_only']);
    const after = formData((await show(admin, c.id)).get('form#bqe-syncSettings'));
    assert.deepEqual([after.maxProjectLevel, after.clientSync, after.deletionPolicy], ['2', 'referenced', 'report_only']);

    const refused = await page(await admin.post(bqeRoutes.connectionSyncSettings(c.id), { ...form, clientSync: 'some' }), 422);
    assert.match(refused.get('#sync-clientSync-error').text(), /Choose which clients to mirror/);
  });

  test('viewers see everything read-only; operators can test but not edit', async () => {
    const c = await connection({ offset: '60' });
    const seen = await show(viewer, c.id);
    assert.ok(seen.get('#bqe-credentials fieldset').has('disabled'));
    assert.ok(seen.get('form#bqe-offset fieldset').has('disabled'));
    assert.equal(seen.find('#bqe-test form'), undefined);
    assert.equal(seen.find('#bqe-delete'), undefined);
    assert.equal((await viewer.post(bqeRoutes.connectionTest(c.id))).status, 403);
    assert.equal((await operator.post(bqeRoutes.connectionOffset(c.id), { utcOffsetMinutes: '0' })).status, 403);
    assert.equal(f.repo.get(c.id)?.utcOffsetMinutes, 60);
    assert.ok((await show(operator, c.id)).find('#bqe-test form'));
  });

  test('disconnect revokes and forgets the tokens', async () => {
    const c = await connection();
    const res = await admin.post(bqeRoutes.connectionDisconnect(c.id));
    assert.equal(redirectTarget(res), bqeRoutes.connection(c.id));
    assert.equal(f.repo.get(c.id)?.hasTokens, false);
    assert.match((await show(admin, c.id)).get('.notification.is-success').text(), /is disconnected/);
  });

  test('delete needs the confirmation box, then removes the connection and its mirrors', async () => {
    const c = await connection({ connect: false });
    f.seedProjects(c.id, [{ name: 'Doomed project' }]);
    const refused = await admin.post(bqeRoutes.connectionDelete(c.id));
    assert.equal(redirectTarget(refused), `${bqeRoutes.connection(c.id)}#bqe-delete`);
    assert.ok(f.repo.get(c.id));
    const doc = await show(admin, c.id);
    assert.match(doc.get('.notification.is-danger').text(), /tick the box/);
    assert.match(doc.get('#bqe-delete').text(), /every mirrored project and client of it/);

    const deleted = await admin.post(bqeRoutes.connectionDelete(c.id), { confirm: 'yes' });
    assert.equal(redirectTarget(deleted), bqeRoutes.connections);
    assert.equal(f.repo.get(c.id), undefined);
    assert.equal(f.mirrors.projectCounts(c.id).active, 0);
    assert.equal((await admin.get(bqeRoutes.connection(c.id))).status, 404);
  });
});
