import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from '../../../../src/plugins/bqe/db/connection-repository.js';
import { bqeRoutes } from '../../../../src/plugins/bqe/web/bqe-routes.js';
import type { Agent } from '../../../helpers/hub.js';
import { apiClientFor, expectJson, type ApiClient, type ApiErrorBody } from '../../../api/api-client.js';
import { documentOf, schemaChecker } from '../../../api/openapi-helpers.js';
import { bqeWebFixture, eventually, page, type BqeWebFixture } from './bqe-web-fixture.js';

const BASE = '/api/v1/bqe';
const ROOT = '21134e3a-ba25-4614-84c3-0d42b9012448';
const PHASE = '31134e3a-ba25-4614-84c3-0d42b9012448';

interface ConnectionBody {
  id: number;
  name: string;
  status: string;
  consent: { needed: boolean };
  utcOffsetMinutes: number | null;
  syncBlocker: string | null;
  latestRuns: { object: string; run: { status: string } | null }[];
}

interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

describe('/api/v1/bqe', () => {
  let f: BqeWebFixture;
  let admin: Agent;
  let reader: ApiClient;
  let syncer: ApiClient;
  let check: ReturnType<typeof schemaChecker>;
  let connected: Connection;
  let seeded: Connection;

  before(async () => {
    f = await bqeWebFixture();
    admin = await f.hub.signIn('admin');
    reader = apiClientFor(f.hub, { scopes: ['bqe:read'] });
    syncer = apiClientFor(f.hub, { type: 'bearer', scopes: ['bqe:read', 'sync:run'] });
    check = schemaChecker(await documentOf(f.hub));
    const created = await f.addConnection(admin, { name: 'Acme (API)', utcOffsetMinutes: '-300' });
    assert.equal((await f.connect(admin, created.id)).status, 303);
    connected = f.repo.get(created.id) as Connection;
    seeded = await f.addConnection(admin, { name: 'Seeded (API)' });
    f.seedProjects(seeded.id, [
      { externalId: ROOT, legacyExternalId: '1001', name: 'Riverside Clinic', code: 'P-1001' },
      { externalId: PHASE, legacyExternalId: '1002', name: 'Design Development', code: 'P-1001.01', level: 1, parentExternalId: ROOT, rootExternalId: ROOT },
      ...Array.from({ length: 8 }, (_, i) => ({ name: `Zeta project ${i + 1}` })),
    ]);
  });
  after(async () => {
    await f.close();
  });

  test('lists the connections with status, consent, UTC offset, sync blocker and latest runs', async () => {
    const body = await expectJson<Page<ConnectionBody>>(await reader.get(`${BASE}/connections`), 200);
    check('BqeConnectionPage', body);
    assert.equal(body.total, 2);
    const acme = body.items.find((c) => c.id === connected.id)!;
    assert.equal(acme.status, 'connected');
    assert.equal(acme.consent.needed, false);
    assert.equal(acme.utcOffsetMinutes, -300);
    assert.equal(acme.syncBlocker, null);
    assert.deepEqual(acme.latestRuns.map((r) => r.object), ['project', 'client']);
    const other = body.items.find((c) => c.id === seeded.id)!;
    assert.equal(other.status, 'not_connected');
    assert.ok(other.syncBlocker, 'a connection that never connected cannot sync, and says why');
    assert.equal(JSON.stringify(body).includes('clientSecret'), false, 'no secret is ever sent');
  });

  test('Sync now through the API mirrors the simulator, and the connection shows both runs', async () => {
    const queued = await expectJson<{ queued: string[] }>(await syncer.post(`${BASE}/connections/${connected.id}/sync`), 202);
    check('BqeSyncQueued', queued);
    assert.deepEqual([...queued.queued].sort(), ['client', 'project']);
    await eventually(() => ['project', 'client'].every((o) => f.syncRepo.latestRun(connected.id, o as 'project' | 'client')?.status === 'succeeded'), 'both runs to succeed');

    const detail = await expectJson<ConnectionBody & { sync: { objects: { object: string; mirrored: { active: number }; lastSuccess: unknown }[]; history: unknown[] } }>(
      await reader.get(`${BASE}/connections/${connected.id}`),
      200,
    );
    check('BqeConnectionDetail', detail);
    const projects = detail.sync.objects.find((o) => o.object === 'project')!;
    assert.equal(projects.mirrored.active, f.sim.sim.data.projects.size);
    assert.ok(projects.lastSuccess);
    assert.equal(detail.sync.history.length, 2);
    assert.ok(detail.latestRuns.every((r) => r.run?.status === 'succeeded'));

    const viewer = await f.hub.signIn('viewer');
    const panel = await page(await viewer.get(bqeRoutes.connectionSyncStatus(connected.id)));
    assert.equal(panel.get('[data-object=project] [data-testid=mirrored-count]').text(), `${projects.mirrored.active} mirrored`, 'the page shows the same');
  });

  test('a sync the connection cannot run answers 409 with the reason; a missing connection 404', async () => {
    const body = await expectJson<ApiErrorBody>(await syncer.post(`${BASE}/connections/${seeded.id}/full-sync`), 409);
    assert.equal(body.error.code, 'bqe_cannot_sync');
    const missing = await expectJson<ApiErrorBody>(await reader.get(`${BASE}/connections/999999`), 404);
    assert.equal(missing.error.code, 'not_found');
  });

  test('searches mirrored projects by name, code, GUID or legacy id, a page at a time', async () => {
    const byLegacy = await expectJson<Page<{ externalId: string; legacyExternalId: string | null; statusLabel: string | null }>>(await reader.get(`${BASE}/connections/${seeded.id}/projects?q=1002`), 200);
    check('BqeProjectPage', byLegacy);
    assert.deepEqual(byLegacy.items.map((p) => p.externalId), [PHASE]);
    assert.equal(byLegacy.items[0]!.legacyExternalId, '1002');

    const zeta = await expectJson<Page<{ name: string }>>(await reader.get(`${BASE}/connections/${seeded.id}/projects?q=zeta&limit=3&offset=6`), 200);
    assert.deepEqual({ total: zeta.total, limit: zeta.limit, offset: zeta.offset }, { total: 8, limit: 3, offset: 6 });
    assert.deepEqual(zeta.items.map((p) => p.name), ['Zeta project 7', 'Zeta project 8']);

    const one = await expectJson<{ externalId: string; name: string }>(await reader.get(`${BASE}/connections/${seeded.id}/projects/1001`), 200);
    check('BqeProject', one);
    assert.equal(one.externalId, ROOT);
    const none = await expectJson<ApiErrorBody>(await reader.get(`${BASE}/connections/${seeded.id}/projects/9999`), 404);
    assert.match(none.error.message, /legacy id “9999”/);
  });

  test('searches mirrored clients of a synced connection', async () => {
    const body = await expectJson<Page<{ externalId: string; name: string }>>(await reader.get(`${BASE}/connections/${connected.id}/clients?limit=5`), 200);
    check('BqeClientPage', body);
    assert.equal(body.total, f.sim.sim.data.clients.size);
    assert.equal(body.items.length, Math.min(5, body.total));
    const first = body.items[0]!;
    const one = await expectJson<{ name: string }>(await reader.get(`${BASE}/connections/${connected.id}/clients/${first.externalId}`), 200);
    assert.equal(one.name, first.name);
  });

  test('refuses unknown query parameters with 422, and a sync without sync:run with 403', async () => {
    const unknown = await expectJson<ApiErrorBody>(await reader.get(`${BASE}/connections/${seeded.id}/projects?deleted=1`), 422);
    assert.deepEqual(Object.keys(unknown.error.details!.fields as object), ['deleted']);
    const before = f.syncRepo.latestRun(connected.id, 'project')?.id;
    const refused = await expectJson<ApiErrorBody>(await reader.post(`${BASE}/connections/${connected.id}/sync`), 403);
    assert.equal(refused.error.code, 'scope_missing');
    assert.equal(refused.error.details?.scope, 'sync:run');
    assert.equal(f.syncRepo.latestRun(connected.id, 'project')?.id, before);
  });
});
