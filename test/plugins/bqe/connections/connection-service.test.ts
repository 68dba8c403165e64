import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAuditRepository } from '../../../../src/db/repositories/audit-repository.js';
import { AppError } from '../../../../src/errors.js';
import { createBqeProbes } from '../../../../src/plugins/bqe/api/probes.js';
import { createConnectionService, type ConnectionService } from '../../../../src/plugins/bqe/connections/connection-service.js';
import { authorizeUrl } from '../../../../src/plugins/bqe/oauth/oauth-client.js';
import { hashState, newAuthorization } from '../../../../src/plugins/bqe/oauth/pkce.js';
import type { Actor } from '../../../../src/platform/actor.js';
import { createAuditService } from '../../../../src/platform/audit.js';
import { createLogger } from '../../../../src/platform/logger.js';
import { migratedDb } from '../../../helpers/db.js';
import { startFixture, type BqeFixture } from '../oauth/connection-fixture.js';

const admin: Actor = { userId: 1, email: 'admin@example.com', role: 'admin', ip: '127.0.0.1', requestId: 'req-1' };
const viewer: Actor = { ...admin, role: 'viewer', email: 'viewer@example.com' };
const log = createLogger({ level: 'silent', format: 'json' });
const HUB = 'http://127.0.0.1:3000';

describe('the BQE connection service', () => {
  let f: BqeFixture;
  let service: ConnectionService;
  let resets: number[];
  let audit: ReturnType<typeof createAuditService>;

  before(async () => {
    f = await startFixture();
    resets = [];
    const auditDb = migratedDb();
    audit = createAuditService(createAuditRepository(auditDb.db), f.clock);
    service = createConnectionService({
      meta: f.meta,
      repo: f.repo,
      oauth: {
        newAuthorization,
        hashState,
        authorizeUrl: (c, i) => authorizeUrl({ identityUrl: c.identityUrl, clientId: c.clientId, redirectUri: i.redirectUri, scopes: i.scopes, state: i.state, codeChallenge: i.challenge }, f.meta),
        exchangeCode: (c, i, l) => f.tokens.exchangeCode(c, i, l),
        revoke: (id, l) => f.tokens.revoke(id, l),
      },
      probe: async (connection, l) => {
        const probes = createBqeProbes(f.api.forConnection(connection), f.meta);
        await probes.activityProbe({ log: l });
        return probes.connectionProbe({ log: l });
      },
      resetCursors: (id) => {
        resets.push(id);
      },
      audit,
      tx: (fn) => fn(),
      clock: f.clock,
      baseUrl: HUB,
      logger: log,
    });
  });
  after(async () => {
    await f.close();
  });

  /** The browser's round trip: the consent URL the service made, followed to the simulator's redirect back. */
  const consent = async (id: number): Promise<Record<string, string>> => {
    const res = await fetch(service.startAuthorization(admin, id), { redirect: 'manual' });
    return Object.fromEntries(new URL(res.headers.get('location')!).searchParams);
  };

  test('builds the redirect URI from HUB_BASE_URL', () => {
    assert.equal(service.redirectUri, `${HUB}/admin/bqe/oauth/callback`);
  });

  test('connects through the consent round trip and stores the tenant endpoint', async () => {
    const back = await consent(f.connectionId);
    const connection = await service.completeAuthorization(admin, back, log);
    assert.equal(connection.status, 'connected');
    assert.equal(connection.apiBaseUrl, f.sim.apiBase);
    assert.deepEqual(audit.search({ limit: 10, offset: 0 }).rows.map((r) => r.action).slice(0, 2).sort(), ['bqe.connection.authorize', 'bqe.connection.connected']);
  });

  test('refuses a state it never issued, and a state used twice', async () => {
    const back = await consent(f.connectionId);
    await service.completeAuthorization(admin, back, log);
    await assert.rejects(service.completeAuthorization(admin, back, log), (err: unknown) => err instanceof AppError && err.code === 'bqe_oauth_state_invalid');
    await assert.rejects(service.completeAuthorization(admin, { state: 'made-up', code: 'x' }, log), (err: unknown) => err instanceof AppError && err.code === 'bqe_oauth_state_invalid');
    await assert.rejects(service.completeAuthorization(admin, { code: 'x' }, log), (err: unknown) => err instanceof AppError && err.code === 'bqe_oauth_state_missing');
  });

  test('refuses a callback without a code, and an expired state, naming the connection and changing nothing', async () => {
    const before = f.repo.get(f.connectionId)!;
    const back = await consent(f.connectionId);
    await assert.rejects(service.completeAuthorization(admin, { state: back.state }, log), (err: unknown) => err instanceof AppError && err.code === 'bqe_oauth_code_missing' && err.message.includes('Simulated tenant'));
    const late = await consent(f.connectionId);
    f.clock.advance(f.meta.oauth.stateTtlSeconds * 1000 + 1);
    await assert.rejects(service.completeAuthorization(admin, late, log), (err: unknown) => err instanceof AppError && err.code === 'bqe_oauth_state_expired');
    assert.equal(f.repo.get(f.connectionId)!.updatedAt, before.updatedAt);
  });

  test('says consent was declined when BQE answers access_denied', async () => {
    const back = await consent(f.connectionId);
    await assert.rejects(service.completeAuthorization(admin, { state: back.state, error: 'access_denied' }, log), /consent was declined in BQE\. Nothing was changed\./);
  });

  test('tests the connection with the probes and reports sampleCount', async () => {
    await service.completeAuthorization(admin, await consent(f.connectionId), log);
    const result = await service.test(f.connectionId, log);
    assert.equal(result.ok, true);
    assert.equal(result.sampleCount, f.meta.api.probes.connection.pageSize);
    assert.match(result.message, /sampleCount 5/);
  });

  test('saving a new offset restarts the cursors; saving the same one does not', () => {
    resets.length = 0;
    const first = service.saveUtcOffset(admin, f.connectionId, { utcOffsetMinutes: '60' });
    assert.equal(first.cursorsReset, true);
    assert.equal(service.saveUtcOffset(admin, f.connectionId, { utcOffsetMinutes: 60 }).cursorsReset, false);
    assert.deepEqual(resets, [f.connectionId]);
    assert.throws(() => service.saveUtcOffset(admin, f.connectionId, { utcOffsetMinutes: '900' }), (err: unknown) => err instanceof AppError && err.status === 422);
    assert.equal(f.repo.get(f.connectionId)!.utcOffsetMinutes, 60);
  });

  test('a viewer can neither change the offset nor start a sign-in', () => {
    assert.throws(() => service.saveUtcOffset(viewer, f.connectionId, { utcOffsetMinutes: 0 }), (err: unknown) => err instanceof AppError && err.status === 403);
    assert.throws(() => service.startAuthorization(viewer, f.connectionId), (err: unknown) => err instanceof AppError && err.status === 403);
  });

  test('marks a connection whose consented scopes differ from provider.json for new consent, with the reason', async () => {
    await service.completeAuthorization(admin, await consent(f.connectionId), log);
    const tokens = f.repo.tokens(f.connectionId)!;
    f.repo.saveTokens(f.connectionId, { ...tokens, scopes: ['read:core'] }, f.clock.now(), { connected: false });
    assert.equal(service.markConsentChanges(), 1);
    const marked = f.repo.get(f.connectionId)!;
    assert.equal(marked.status, 'needs_consent');
    assert.match(marked.statusReason!, /now needs “offline_access”/);
    assert.match(service.syncBlocker(marked)!, /Reconnect OAuth/);
    assert.equal(service.markConsentChanges(), 0, 'a connection already marked is not counted again');
  });

  test('changing the client ID drops the tokens, since they belong to the old app', async () => {
    await service.completeAuthorization(admin, await consent(f.connectionId), log);
    const current = f.repo.get(f.connectionId)!;
    const updated = service.update(admin, f.connectionId, { name: current.name, environment: 'custom', identityUrl: current.identityUrl, clientId: 'another.apps.bqe.com', clientSecret: '' });
    assert.equal(updated.status, 'not_connected');
    assert.equal(updated.hasTokens, false);
    assert.equal(f.repo.clientSecret(f.connectionId), f.sim.sim.defaultClient.clientSecret, 'a blank secret keeps the stored one');
    f.repo.update(f.connectionId, { clientId: f.sim.sim.defaultClient.clientId }, f.clock.now());
  });

  test('refuses a second connection with the same name', () => {
    const raw = { name: 'Simulated tenant', environment: 'sandbox', clientId: 'x', clientSecret: 'y' };
    assert.throws(() => service.create(admin, raw), (err: unknown) => err instanceof AppError && err.fieldErrors?.name === 'A connection named “Simulated tenant” already exists.');
  });

  test('a connection without an offset says it cannot sync', () => {
    const created = service.create(admin, { name: 'No offset yet', environment: 'sandbox', clientId: 'x', clientSecret: 'y' });
    assert.match(service.syncBlocker(created)!, /Not authorised yet/);
    f.repo.saveTokens(created.id, { accessToken: 'a', refreshToken: 'r', expiresAt: f.clock.now() + 3_600_000, apiBaseUrl: f.sim.apiBase, scopes: ['offline_access', 'read:core'] }, f.clock.now(), { connected: true });
    assert.match(service.syncBlocker(f.repo.get(created.id)!)!, /No UTC offset is set/);
    service.remove(admin, created.id);
    assert.equal(service.get(created.id), undefined);
  });
});
