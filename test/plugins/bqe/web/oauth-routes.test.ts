import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { bqeRoutes } from '../../../../src/plugins/bqe/web/bqe-routes.js';
import type { Agent } from '../../../helpers/hub.js';
import { auditCount, redirectTarget } from '../../../web/web-helpers.js';
import { bqeWebFixture, page, type BqeWebFixture } from './bqe-web-fixture.js';

describe('connecting a BQE connection through OAuth', () => {
  let f: BqeWebFixture;
  let admin: Agent;
  before(async () => {
    f = await bqeWebFixture();
    admin = await f.hub.signIn('admin');
  });
  afterEach(() => {
    f.sim.sim.setConfig({ denyConsent: false });
  });
  after(async () => {
    await f.close();
  });

  /** Starts a consent and returns the state BQE would send back, without visiting BQE. */
  const startConsent = async (id: number): Promise<string> => new URL(await f.startConsent(admin, id)).searchParams.get('state') as string;

  const errorPage = async (res: Response, status: number) => {
    const doc = await page(res, status);
    return doc.get('[data-testid=oauth-error]');
  };

  test('Connect with BQE sends the browser to the consent page and the callback stores the tokens', async () => {
    const connection = await f.addConnection(admin, { name: 'Flow' });
    const authorize = new URL(await f.startConsent(admin, connection.id));
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${f.sim.identityUrl}/connect/authorize`);
    assert.equal(authorize.searchParams.get('redirect_uri'), `${f.hub.config.baseUrl}/admin/bqe/oauth/callback`);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');

    const callback = await f.connect(admin, connection.id);
    assert.equal(redirectTarget(callback), bqeRoutes.connection(connection.id));
    const stored = f.repo.get(connection.id);
    assert.equal(stored?.status, 'connected');
    assert.equal(stored?.hasTokens, true);
    assert.equal(stored?.apiBaseUrl, f.sim.apiBase);

    const doc = await page(await admin.get(bqeRoutes.connection(connection.id)));
    assert.match(doc.get('.notification[role=status]').text(), /^Connected “Flow” to BQE Core \(granted: offline_access, read:core\)\. Set the UTC offset next/);
    assert.equal(doc.get('[data-testid=connection-status]').text(), 'Connected');
    assert.equal(doc.find('[data-testid=status-banner]'), undefined);
    assert.match(doc.get('[data-testid=granted-scopes]').text(), /offline_access, read:core/);
  });

  test('Connect without JavaScript answers with a page linking to BQE, since the CSP keeps form posts on this site', async () => {
    const connection = await f.addConnection(admin, { name: 'Plain flow' });
    const doc = await page(await admin.post(bqeRoutes.connectionAuthorize(connection.id)));
    const link = doc.get('[data-testid=consent-link]');
    assert.match(link.attr('href') ?? '', new RegExp(`^${f.sim.identityUrl}/connect/authorize\\?`));
    const consent = await fetch(link.attr('href') as string, { redirect: 'manual' });
    const back = new URL(consent.headers.get('Location') as string);
    assert.equal(redirectTarget(await admin.get(`${back.pathname}${back.search}`)), bqeRoutes.connection(connection.id));
    assert.equal(f.repo.get(connection.id)?.status, 'connected');
  });

  test('a callback with a state Switchyard did not issue is refused with its own message and stores nothing', async () => {
    const connection = await f.addConnection(admin, { name: 'Wrong state' });
    await startConsent(connection.id);
    const panel = await errorPage(await admin.get(`${bqeRoutes.oauthCallback}?code=abc&state=forged-state`), 400);
    assert.equal(panel.attr('data-code'), 'bqe_oauth_state_invalid');
    assert.match(panel.text(), /This sign-in link is not one Switchyard started, or it was already used\. Start again with Connect with BQE\./);
    assert.match(panel.text(), /Nothing was stored/);
    const stored = f.repo.get(connection.id);
    assert.equal(stored?.status, 'not_connected');
    assert.equal(stored?.hasTokens, false);
  });

  test('a callback without a state says so', async () => {
    const panel = await errorPage(await admin.get(`${bqeRoutes.oauthCallback}?code=abc`), 400);
    assert.equal(panel.attr('data-code'), 'bqe_oauth_state_missing');
    assert.match(panel.text(), /without a state value/);
  });

  test('a callback without a code names the connection, and its state cannot be used again', async () => {
    const connection = await f.addConnection(admin, { name: 'No code' });
    const state = await startConsent(connection.id);
    const panel = await errorPage(await admin.get(`${bqeRoutes.oauthCallback}?state=${encodeURIComponent(state)}`), 400);
    assert.equal(panel.attr('data-code'), 'bqe_oauth_code_missing');
    assert.match(panel.text(), /BQE sent you back without an authorization code, so “No code” was not connected/);
    const again = await errorPage(await admin.get(`${bqeRoutes.oauthCallback}?state=${encodeURIComponent(state)}&code=late`), 400);
    assert.equal(again.attr('data-code'), 'bqe_oauth_state_invalid');
    assert.equal(f.repo.get(connection.id)?.hasTokens, false);
  });

  test('declined consent comes back as a specific error', async () => {
    const connection = await f.addConnection(admin, { name: 'Declined' });
    f.sim.sim.setConfig({ denyConsent: true });
    const panel = await errorPage(await f.connect(admin, connection.id), 400);
    assert.equal(panel.attr('data-code'), 'bqe_oauth_denied');
    assert.match(panel.text(), /Connecting “Declined” did not finish: consent was declined in BQE\. Nothing was changed\./);
    assert.equal(f.repo.get(connection.id)?.status, 'not_connected');
  });

  test('a code exchange BQE refuses (wrong client secret) is a 502 naming the connection, with nothing stored', async () => {
    const connection = await f.addConnection(admin, { name: 'Bad secret', clientSecret: 'not-the-secret' });
    const panel = await errorPage(await f.connect(admin, connection.id), 502);
    assert.equal(panel.attr('data-code'), 'bqe_oauth_exchange_failed');
    assert.match(panel.text(), /BQE did not accept the sign-in for “Bad secret”/);
    const stored = f.repo.get(connection.id);
    assert.equal(stored?.hasTokens, false);
    assert.equal(stored?.status, 'not_connected');
  });

  test('only admins start a consent or finish one', async () => {
    const connection = await f.addConnection(admin, { name: 'Roles' });
    const operator = await f.hub.signIn('operator');
    assert.equal((await operator.post(bqeRoutes.connectionAuthorize(connection.id))).status, 403);
    const state = await startConsent(connection.id);
    const before = auditCount(f.hub.ctx, 'bqe.connection.connected');
    const panel = await errorPage(await operator.get(`${bqeRoutes.oauthCallback}?state=${encodeURIComponent(state)}&code=x`), 403);
    assert.match(panel.text(), /needs admin or higher/);
    assert.equal(auditCount(f.hub.ctx, 'bqe.connection.connected'), before);
  });
});
