import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bqeRoutes } from '../../../../src/plugins/bqe/web/bqe-routes.js';
import type { Agent } from '../../../helpers/hub.js';
import { formData, parseHtml, redirectTarget } from '../../../web/web-helpers.js';
import { bqeWebFixture, htmx, page, type BqeWebFixture } from './bqe-web-fixture.js';

describe('the BQE connections list', () => {
  let f: BqeWebFixture;
  let admin: Agent;
  let viewer: Agent;
  before(async () => {
    f = await bqeWebFixture();
    admin = await f.hub.signIn('admin');
    viewer = await f.hub.signIn('viewer');
  });
  after(async () => {
    await f.close();
  });

  test('shows the exact redirect URI to register, without a trailing slash', async () => {
    const doc = await page(await viewer.get(bqeRoutes.connections));
    const uri = doc.get('[data-testid=redirect-uri]');
    assert.equal(uri.attr('value'), `${f.hub.config.baseUrl}/admin/bqe/oauth/callback`);
    assert.ok(uri.has('readonly'));
    assert.match(doc.get('main').text(), /no trailing slash/);
    assert.equal(doc.find('#bqe-add-connection'), undefined, 'viewers get no add form');
  });

  test('refuses a connection with problems, naming each field and keeping what was typed except the secret', async () => {
    const res = await admin.post(bqeRoutes.connections, f.connectionForm({ name: '', environment: 'custom', identityUrl: 'not a url', clientId: 'has space', clientSecret: 'typed-secret', utcOffsetMinutes: '900' }));
    const doc = await page(res, 422);
    const form = doc.get('form#bqe-add-connection');
    assert.equal(form.get('#add-name-error').text(), 'Enter a name for this connection.');
    assert.equal(form.get('#add-clientId-error').text(), 'A client ID has no spaces.');
    assert.match(form.get('#add-utcOffsetMinutes-error').text(), /^Enter whole minutes from -720 to 840/);
    assert.equal(form.get('#add-name').attr('aria-invalid'), 'true');
    const values = formData(form);
    assert.equal(values.clientId, 'has space');
    assert.equal(values.environment, 'custom');
    assert.equal(values.utcOffsetMinutes, '900');
    assert.equal(values.clientSecret, '', 'the secret is never echoed back');
    assert.doesNotMatch(await (await admin.post(bqeRoutes.connections, f.connectionForm({ name: '', clientSecret: 'typed-secret' }))).text(), /typed-secret/);
    assert.equal(f.repo.list().length, 0, 'nothing was saved');
  });

  test('asks for the identity URL only for a Custom environment', async () => {
    const res = await admin.post(bqeRoutes.connections, f.connectionForm({ identityUrl: '' }));
    const doc = await page(res, 422);
    assert.match(doc.get('#add-identityUrl-error').text(), /Enter the identity server URL/);
    assert.ok(doc.get('#add-identityUrl').closest('.sy-bqe-custom-only'), 'hidden by CSS unless Custom is chosen');
  });

  test('answers an htmx post with the form alone when it has problems', async () => {
    const res = await admin.request('POST', bqeRoutes.connections, { form: { ...f.connectionForm({ clientSecret: '' }) }, headers: htmx(admin) });
    assert.equal(res.status, 422);
    const doc = parseHtml(await res.text());
    assert.equal(doc.find('main'), undefined, 'a fragment, not a page');
    assert.match(doc.get('#add-clientSecret-error').text(), /Enter the client secret/);
  });

  test('adds a connection and lists it with its environment, status, offset and last syncs', async () => {
    const res = await admin.post(bqeRoutes.connections, f.connectionForm({ name: 'Acme East', utcOffsetMinutes: '-300' }));
    const created = f.repo.list().find((c) => c.name === 'Acme East');
    assert.ok(created);
    assert.equal(redirectTarget(res), bqeRoutes.connection(created.id));
    assert.equal(created.utcOffsetMinutes, -300);
    assert.equal(created.identityUrl, f.sim.identityUrl);
    assert.notEqual(f.repo.clientSecret(created.id), undefined);

    const doc = await page(await viewer.get(bqeRoutes.connections));
    const row = doc.get(`tr[data-connection-id="${created.id}"]`);
    assert.equal(row.get('a').attr('href'), bqeRoutes.connection(created.id));
    assert.equal(row.get('[data-testid=connection-status]').text(), 'Not connected');
    assert.match(row.text(), /Custom/);
    assert.match(row.text(), /UTC−05:00 \(-300 minutes\)/);
    assert.match(row.text(), /Projects: never/);
    assert.match(row.text(), /Clients: never/);
  });

  test('the plugin address opens the connections, and an htmx add follows HX-Redirect to the new connection', async () => {
    const res = await viewer.get('/admin/bqe');
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('Location'), bqeRoutes.connections);
    const added = await admin.request('POST', bqeRoutes.connections, { form: f.connectionForm({ name: 'Htmx add' }), headers: htmx(admin) });
    assert.equal(added.status, 204);
    assert.equal(added.headers.get('HX-Redirect'), bqeRoutes.connection(f.repo.findByName('Htmx add')?.id as number));
  });

  test('a viewer cannot add a connection', async () => {
    const res = await viewer.post(bqeRoutes.connections, f.connectionForm({ name: 'Not allowed' }));
    assert.equal(res.status, 403);
    assert.equal(f.repo.findByName('Not allowed'), undefined);
  });
});
