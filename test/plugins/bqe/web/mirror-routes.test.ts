import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from '../../../../src/plugins/bqe/db/connection-repository.js';
import { bqeRoutes } from '../../../../src/plugins/bqe/web/bqe-routes.js';
import { MIRROR_PAGE_SIZE } from '../../../../src/plugins/bqe/web/mirror-query.js';
import type { Agent } from '../../../helpers/hub.js';
import { parseHtml } from '../../../web/web-helpers.js';
import { bqeWebFixture, htmx, page, type BqeWebFixture } from './bqe-web-fixture.js';

const ROOT = '21134e3a-ba25-4614-84c3-0d42b9012448';
const PHASE = '31134e3a-ba25-4614-84c3-0d42b9012448';
const SUB = '41134e3a-ba25-4614-84c3-0d42b9012448';
const OTHER_ROOT = '51134e3a-ba25-4614-84c3-0d42b9012448';
const GONE = '61134e3a-ba25-4614-84c3-0d42b9012448';
const CLIENT = '211303ef-7cb4-401b-a9b7-62c99a7321b8';

describe('the BQE mirror pages', () => {
  let f: BqeWebFixture;
  let viewer: Agent;
  let acme: Connection;
  let globex: Connection;

  before(async () => {
    f = await bqeWebFixture();
    const admin = await f.hub.signIn('admin');
    viewer = await f.hub.signIn('viewer');
    assert.match((await page(await viewer.get(bqeRoutes.projects))).get('[data-testid=no-connections]').text(), /Add a connection/);
    acme = await f.addConnection(admin, { name: 'Acme' });
    globex = await f.addConnection(admin, { name: 'Globex' });
    const now = f.hub.clock.now();
    const clientRun = f.syncRepo.startRun({ connectionId: acme.id, object: 'client', mode: 'full', trigger: 'manual', cursorFrom: null, correlationId: null, now });
    f.mirrors.upsertClients(acme.id, [{ externalId: CLIENT, legacyExternalId: '501', name: 'Riverside Health', company: 'Riverside Health Inc.', email: 'ap@riverside.example', status: 0, lastUpdated: '2025-01-10T08:00:00', payload: '{}' }], { runId: clientRun.id, now });
    const projects = [
      { externalId: ROOT, legacyExternalId: '1001', name: 'Riverside Clinic', code: 'P-1001', level: 0, clientExternalId: CLIENT },
      { externalId: PHASE, legacyExternalId: '1002', name: 'Design Development', code: 'P-1001.01', level: 1, parentExternalId: ROOT, rootExternalId: ROOT },
      { externalId: SUB, legacyExternalId: null, name: 'Structural', code: 'P-1001.01.01', level: 2, parentExternalId: PHASE, rootExternalId: ROOT },
      { externalId: OTHER_ROOT, legacyExternalId: '2001', name: 'Harbor Bridge', code: 'P-2001', level: 0 },
      { externalId: GONE, legacyExternalId: '3001', name: 'Cancelled Annex', code: 'P-3001', level: 0 },
    ];
    f.seedProjects(acme.id, projects);
    // A later full sweep no longer sees the annex, so it is marked deleted.
    const sweep = f.syncRepo.startRun({ connectionId: acme.id, object: 'project', mode: 'full', trigger: 'manual', cursorFrom: null, correlationId: null, now });
    f.mirrors.upsertProjects(acme.id, f.mirrors.searchProjects(acme.id, { limit: 100, offset: 0 }).rows.filter((p) => p.externalId !== GONE).map((p) => ({ ...p, payload: JSON.stringify(p.payload) })), { runId: sweep.id, now });
    f.mirrors.sweepUnseen(acme.id, 'project', sweep.id, 'mark_deleted', now);
    f.seedProjects(globex.id, Array.from({ length: MIRROR_PAGE_SIZE + 10 }, (_, i) => ({ name: `Globex project ${String(i + 1).padStart(3, '0')}` })));
  });
  after(async () => {
    await f.close();
  });

  const rows = (doc: ReturnType<typeof parseHtml>) => doc.findAll('tr[data-project]').map((r) => r.attr('data-project'));

  test('finds a project by its legacy id and shows both ids and its client', async () => {
    const doc = await page(await viewer.get(`${bqeRoutes.projects}?connection=${acme.id}&q=1002`));
    assert.deepEqual(rows(doc), [PHASE]);
    const row = doc.get(`tr[data-project="${PHASE}"]`);
    assert.equal(row.get('[data-testid=external-id]').text(), PHASE);
    assert.equal(row.get('[data-testid=legacy-id]').text(), '1002');
    assert.equal(doc.get('#bqe-q').attr('value'), '1002');
    const root = await page(await viewer.get(`${bqeRoutes.projects}?connection=${acme.id}&q=1001`));
    assert.match(root.get(`tr[data-project="${ROOT}"]`).text(), /Riverside Health/);
  });

  test('searches part of a name or code, or a whole GUID', async () => {
    assert.deepEqual(rows(await page(await viewer.get(`${bqeRoutes.projects}?connection=${acme.id}&q=harbor`))), [OTHER_ROOT]);
    assert.deepEqual(rows(await page(await viewer.get(`${bqeRoutes.projects}?connection=${acme.id}&q=P-1001.01`))), [PHASE, SUB]);
    assert.deepEqual(rows(await page(await viewer.get(`${bqeRoutes.projects}?connection=${acme.id}&q=${SUB}`))), [SUB]);
    const none = await page(await viewer.get(`${bqeRoutes.projects}?connection=${acme.id}&q=nothing-like-this`));
    assert.match(none.get('[data-testid=mirror-empty]').text(), /No project matches “nothing-like-this”/);
  });

  test('an htmx search answers with the results alone; the form keeps the URL', async () => {
    const res = await viewer.get(`${bqeRoutes.projects}?connection=${acme.id}&q=clinic`, { 'HX-Request': 'true', 'HX-Target': 'bqe-mirror-results' });
    const doc = parseHtml(await res.text());
    assert.equal(doc.find('main'), undefined);
    assert.deepEqual(rows(doc), [ROOT]);
    const form = (await page(await viewer.get(bqeRoutes.projects))).get('form[role=search]');
    assert.equal(form.attr('method'), 'get');
    assert.equal(form.attr('hx-push-url'), 'true');
    assert.match(form.attr('hx-trigger') ?? '', /keyup changed delay/);
    assert.equal(form.attr('hx-target'), '#bqe-mirror-results');
  });

  test('deleted projects are hidden unless asked for, then tagged', async () => {
    assert.deepEqual(rows(await page(await viewer.get(`${bqeRoutes.projects}?connection=${acme.id}&q=annex`))), []);
    const doc = await page(await viewer.get(`${bqeRoutes.projects}?connection=${acme.id}&q=annex&deleted=1`));
    assert.equal(doc.get(`tr[data-project="${GONE}"] [data-testid=deleted-tag]`).text(), 'deleted');
    assert.ok(doc.get('#bqe-deleted').has('checked'));
  });

  test('the hierarchy lists top-level projects, with sub-projects loaded lazily and a plain link without JavaScript', async () => {
    const doc = await page(await viewer.get(`${bqeRoutes.projects}?connection=${acme.id}&view=tree`));
    assert.deepEqual(doc.findAll('#bqe-mirror-results > ul.sy-bqe-tree > li').map((li) => li.attr('data-project')), [OTHER_ROOT, ROOT]);
    const node = doc.get(`li[data-project="${ROOT}"] details`);
    const childrenUrl = `${bqeRoutes.projectChildren}?connection=${acme.id}&parent=${ROOT}`;
    assert.equal(node.attr('hx-get'), childrenUrl);
    assert.equal(node.attr('hx-trigger'), 'toggle once');
    assert.equal(node.get('.sy-bqe-children a').attr('href'), childrenUrl);
    assert.match(node.get('summary').text(), /1 sub-project\b/);
    assert.equal(doc.find(`li[data-project="${OTHER_ROOT}"] details`), undefined, 'a project without children does not open');
  });

  test('the children fragment lists one level, each child able to open its own', async () => {
    const res = await viewer.get(`${bqeRoutes.projectChildren}?connection=${acme.id}&parent=${ROOT}`, htmx(viewer));
    assert.equal(res.status, 200);
    const doc = parseHtml(await res.text());
    assert.equal(doc.find('main'), undefined);
    assert.deepEqual(doc.findAll('ul.sy-bqe-tree > li').map((li) => li.attr('data-project')), [PHASE]);
    const phase = doc.get(`li[data-project="${PHASE}"]`);
    assert.equal(phase.get('[data-testid=legacy-id]').text(), '1002');
    assert.equal(phase.get('details').attr('hx-get'), `${bqeRoutes.projectChildren}?connection=${acme.id}&parent=${PHASE}`);

    const deeper = parseHtml(await (await viewer.get(`${bqeRoutes.projectChildren}?connection=${acme.id}&parent=${PHASE}`, htmx(viewer))).text());
    const sub = deeper.get(`li[data-project="${SUB}"]`);
    assert.equal(sub.find('details'), undefined);
    assert.equal(sub.find('[data-testid=legacy-id]'), undefined, 'no legacy id to show');
  });

  test('without JavaScript the children open as a page with the path to them', async () => {
    const doc = await page(await viewer.get(`${bqeRoutes.projectChildren}?connection=${acme.id}&parent=${PHASE}`));
    assert.equal(doc.get('h1').text(), 'Sub-projects of Design Development');
    const trail = doc.get('main').text();
    assert.match(trail, /All top-level projects › Riverside Clinic › Design Development/);
    assert.deepEqual(doc.findAll('li[data-project]').map((li) => li.attr('data-project')), [SUB]);
    assert.equal((await viewer.get(`${bqeRoutes.projectChildren}?connection=${acme.id}&parent=no-such-project`)).status, 404);
  });

  test('pages through a long mirror and switches connection', async () => {
    const first = await page(await viewer.get(`${bqeRoutes.projects}?connection=${globex.id}`));
    assert.equal(rows(first).length, MIRROR_PAGE_SIZE);
    assert.equal(first.get('[data-testid=result-count]').text(), `Showing 1–${MIRROR_PAGE_SIZE} of ${MIRROR_PAGE_SIZE + 10}`);
    const next = first.get('a[rel=next]').attr('href') as string;
    assert.equal(next, `${bqeRoutes.projects}?connection=${globex.id}&page=2`);
    const second = await page(await viewer.get(next));
    assert.equal(rows(second).length, 10);
    assert.ok(second.find('a[rel=prev]'));
    assert.equal(second.get('#bqe-connection option[selected]').text(), 'Globex');
  });

  test('the clients page searches by legacy id and shows both ids', async () => {
    const doc = await page(await viewer.get(`${bqeRoutes.clients}?connection=${acme.id}&q=501`));
    const row = doc.get(`tr[data-client="${CLIENT}"]`);
    assert.equal(row.get('[data-testid=external-id]').text(), CLIENT);
    assert.equal(row.get('[data-testid=legacy-id]').text(), '501');
    assert.match(row.text(), /Riverside Health Inc\./);
    const fragment = parseHtml(await (await viewer.get(`${bqeRoutes.clients}?connection=${acme.id}&q=riverside`, { 'HX-Request': 'true', 'HX-Target': 'bqe-mirror-results' })).text());
    assert.equal(fragment.find('main'), undefined);
    assert.equal(fragment.findAll('tr[data-client]').length, 1);
  });
});
