import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from '../../../../src/plugins/bqe/db/connection-repository.js';
import '../../../../src/plugins/bqe/sync/sync-events.js';
import { bqeRoutes } from '../../../../src/plugins/bqe/web/bqe-routes.js';
import type { Agent } from '../../../helpers/hub.js';
import { parseHtml, redirectTarget } from '../../../web/web-helpers.js';
import { bqeWebFixture, eventually, htmx, page, sseReader, type BqeWebFixture } from './bqe-web-fixture.js';

describe('BQE sync status and Sync now', () => {
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
  const connected = async (offset = '-300'): Promise<Connection> => {
    const created = await f.addConnection(admin, { name: `Sync tenant ${++named}`, utcOffsetMinutes: offset });
    assert.equal((await f.connect(admin, created.id)).status, 303);
    return f.repo.get(created.id) as Connection;
  };

  test('the live stream sends the panel at once and again when a run of this connection makes progress', async () => {
    const c = await connected();
    const other = await connected();
    const res = await viewer.get(bqeRoutes.connectionStream(c.id));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('Content-Type') ?? '', /^text\/event-stream/);
    const stream = sseReader(res);
    try {
      assert.match(await stream.readUntil(/event: sync-status/, 2000), /Never synced/);

      const run = f.syncRepo.startRun({ connectionId: c.id, object: 'project', mode: 'full', trigger: 'manual', cursorFrom: null, correlationId: null, now: f.hub.clock.now() });
      f.syncRepo.addToRun(run.id, { pages: 2, requests: 2, fetched: 40 });
      f.hub.ctx.events.emit('bqe.sync.progress', { connectionId: other.id, object: 'project', runId: run.id, pages: 2, fetched: 40, status: 'running' });
      f.hub.ctx.events.emit('bqe.sync.progress', { connectionId: c.id, object: 'project', runId: run.id, pages: 2, fetched: 40, status: 'running' });
      const text = await stream.readUntil(/records read\./, 3000);
      const last = text.split('event: sync-status').at(-1) ?? '';
      const html = parseHtml(last.split('\n').map((l) => l.replace(/^data: /, '')).join('\n'));
      const progress = html.get('[data-object=project] [data-testid=sync-progress]');
      assert.match(progress.text(), /Full re-sync running since .*: 2 pages, 40 records read\./);
      f.syncRepo.finishRun(run.id, { status: 'succeeded', now: f.hub.clock.now() });
    } finally {
      await stream.cancel();
    }
  });

  test('the connection page wires the panel to the stream and to saves that change it', async () => {
    const c = await connected();
    const doc = await page(await viewer.get(bqeRoutes.connection(c.id)));
    const section = doc.get('#bqe-sync');
    assert.equal(section.attr('hx-ext'), 'sse');
    assert.equal(section.attr('sse-connect'), bqeRoutes.connectionStream(c.id));
    assert.ok(section.find('[data-live-status]'));
    const panel = doc.get('#bqe-sync-status');
    assert.equal(panel.attr('sse-swap'), 'sync-status');
    assert.equal(panel.attr('hx-trigger'), 'bqe-connection-changed from:body');
    assert.equal(panel.attr('hx-get'), bqeRoutes.connectionSyncStatus(c.id));
    assert.equal(doc.find('#bqe-sync-status form'), undefined, 'viewers get no Sync now');
    assert.match(doc.get('[data-testid=limiter-stats]').text(), /Cap: \d+ requests a minute/);
  });

  test('only operators and admins start a sync', async () => {
    const c = await connected();
    assert.equal((await viewer.post(bqeRoutes.connectionSync(c.id, 'delta'))).status, 403);
    const doc = await page(await operator.get(bqeRoutes.connection(c.id)));
    assert.ok(doc.find(`form[action="${bqeRoutes.connectionSync(c.id, 'delta')}"] button`));
    assert.equal(doc.get(`form[action="${bqeRoutes.connectionSync(c.id, 'full')}"] button`).text(), 'Full re-sync');
  });

  test('Sync now mirrors the simulator’s projects and clients, and the history shows both runs', async () => {
    const c = await connected();
    const res = await operator.request('POST', bqeRoutes.connectionSync(c.id, 'delta'), { headers: htmx(operator) });
    assert.equal(res.status, 200);
    const notice = parseHtml(await res.text()).get('[data-testid=sync-notice]');
    assert.match(notice.text(), /^Sync queued for /);

    await eventually(() => ['project', 'client'].every((o) => f.syncRepo.latestRun(c.id, o as 'project' | 'client')?.status === 'succeeded'), 'both runs to succeed');
    const panel = parseHtml(await (await viewer.get(bqeRoutes.connectionSyncStatus(c.id))).text());
    assert.equal(panel.get('[data-object=project] [data-testid=mirrored-count]').text(), `${f.sim.sim.data.projects.size} mirrored`);
    assert.equal(panel.get('[data-object=client] [data-testid=mirrored-count]').text(), `${f.sim.sim.data.clients.size} mirrored`);
    assert.notEqual(panel.get('[data-object=project] [data-testid=cursor]').text(), 'none (the next run reads everything)');
    assert.equal(panel.findAll('table[aria-label="Sync history"] tbody tr').length, 2);
  });

  test('Full re-sync without JavaScript flashes what was queued', async () => {
    const c = await connected();
    const res = await admin.post(bqeRoutes.connectionSync(c.id, 'full'));
    assert.equal(redirectTarget(res), `${bqeRoutes.connection(c.id)}#bqe-sync`);
    const doc = await page(await admin.get(bqeRoutes.connection(c.id)));
    assert.match(doc.get('main > .notification').text(), /^Full re-sync queued for /);
    await eventually(() => f.syncRepo.latestRun(c.id, 'project')?.status === 'succeeded', 'the full run to finish');
  });

  test('a connection that cannot sync says why and offers no Sync now', async () => {
    const created = await f.addConnection(admin, { name: 'No offset yet' });
    assert.equal((await f.connect(admin, created.id)).status, 303);
    const doc = await page(await operator.get(bqeRoutes.connection(created.id)));
    assert.match(doc.get('[data-testid=sync-blocker]').text(), /Cannot sync: No UTC offset is set/);
    assert.ok(doc.get(`form[action="${bqeRoutes.connectionSync(created.id, 'delta')}"] button`).has('disabled'));
  });
});
