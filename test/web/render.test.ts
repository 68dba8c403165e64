import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Hono } from 'hono';
import { projectPath } from '../../src/paths.js';
import type { AppEnv } from '../../src/web/app-env.js';
import { createRenderer } from '../../src/web/render.js';
import { StaticAssets } from '../../src/web/static-assets.js';
import { startTestHub, tempDir } from '../helpers/hub.js';
import { FIXTURE_PLUGINS, html, parseHtml, type HtmlDocument } from './web-helpers.js';

const menu = (doc: HtmlDocument) => doc.findAll('aside .menu-list a').map((a) => a.text());

test('the view helpers format times in UTC, pretty-print JSON and build asset URLs', async () => {
  const hub = await startTestHub();
  try {
    const { helpers } = createRenderer(hub.ctx, projectPath('views'), new StaticAssets(projectPath('static')));
    assert.equal(helpers.formatTime(Date.UTC(2026, 0, 31, 13, 5, 9)), '2026-01-31 13:05:09 UTC');
    assert.equal(helpers.formatTime(null), '—');
    assert.equal(helpers.formatTime(undefined), '—');
    assert.equal(helpers.json({ a: [1] }), '{\n  "a": [\n    1\n  ]\n}');
    assert.match(helpers.asset('app.css'), /^\/static\/app\.css\?v=[0-9a-f]{12}$/);
    assert.throws(() => helpers.asset('nope.css'));
    assert.equal(helpers.routes.user(7), '/admin/users/7');
  } finally {
    await hub.close();
  }
});

test('fragments render without the layout; pages render inside it with the given status', async () => {
  const hub = await startTestHub();
  try {
    const views = tempDir('switchyard-views-');
    fs.cpSync(projectPath('views'), views, { recursive: true });
    fs.writeFileSync(path.join(views, 'probe.eta'), '<p id="probe" data-req="<%= it.requestId %>" data-csrf="<%= it.csrfToken %>"><%= it.instanceName %>: <%= it.value %></p>');
    fs.writeFileSync(path.join(views, 'probe-page.eta'), "<% layout('./layout') %><p id=\"probe\"><%= it.value %></p>");
    const renderer = createRenderer(hub.ctx, views, new StaticAssets(projectPath('static')));
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set('requestId', 'req-42');
      c.set('session', undefined);
      c.set('flash', undefined);
      await next();
    });
    app.get('/fragment', (c) => renderer.fragment(c, 'probe', { value: '<b>escaped</b>' }, 202));
    app.get('/page', (c) => renderer.page(c, 'probe-page', { value: 'inside' }, { title: 'Probe', status: 201, breadcrumbs: [{ label: 'Probe' }] }));

    const fragment = await app.request('/fragment');
    assert.equal(fragment.status, 202);
    const frag = parseHtml(await fragment.text());
    assert.equal(frag.find('html'), undefined);
    const p = frag.get('#probe');
    assert.equal(p.attr('data-req'), 'req-42');
    assert.equal(p.attr('data-csrf'), '');
    assert.equal(p.text(), 'Switchyard: <b>escaped</b>');
    assert.equal(p.find('b'), undefined);

    const page = await app.request('/page');
    assert.equal(page.status, 201);
    const doc = await html(page);
    assert.equal(doc.get('title').text(), 'Probe · Switchyard');
    assert.equal(doc.get('main #probe').text(), 'inside');
    assert.equal(doc.get('nav.breadcrumb li.is-active a').attr('aria-current'), 'page');
  } finally {
    await hub.close();
  }
});

test('the instance name titles every page, changes at once when saved, and is escaped', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    assert.equal((await html(await admin.get('/admin'))).get('title').text(), 'Overview · Switchyard');
    await admin.post('/admin/settings/platform', { 'settings.instanceName': 'Prod <hub>' });
    const doc = await html(await admin.get('/admin'));
    assert.equal(doc.get('title').text(), 'Overview · Prod <hub>');
    assert.equal(doc.get('.navbar-brand a').text(), 'Prod <hub>');
    assert.equal(doc.find('hub'), undefined, 'the name is text, not a tag');
  } finally {
    await hub.close();
  }
});

test('the side menu shows each role only what it may open, and marks the current page', async () => {
  const hub = await startTestHub();
  try {
    const admin = await html(await (await hub.signIn('admin')).get('/admin/settings'));
    assert.deepEqual(menu(admin), ['Overview', 'Jobs', 'Settings', 'Diagnostics', 'Users', 'API credentials', 'API reference', 'Audit log', 'Help']);
    assert.equal(admin.get('aside a[aria-current="page"]').attr('href'), '/admin/settings');
    assert.ok(admin.get('aside a[aria-current="page"]').classes.includes('is-active'));
    for (const role of ['viewer', 'operator'] as const) {
      assert.deepEqual(menu(await html(await (await hub.signIn(role)).get('/admin'))), ['Overview', 'Jobs', 'Settings', 'Diagnostics', 'API credentials', 'API reference', 'Help'], role);
    }
    assert.equal((await html(await hub.agent().get('/login'))).find('aside'), undefined, 'no menu before sign-in');
  } finally {
    await hub.close();
  }
});

test("a plugin's menu item appears under its own heading for the roles it names", async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const operator = await html(await (await hub.signIn('operator')).get('/admin'));
    assert.deepEqual(operator.findAll('aside .menu-label').map((l) => l.text()), ['Hub', 'Sample']);
    assert.equal(operator.get('aside a[href="/admin/sample"]').text(), 'Sample jobs');
    const viewer = await html(await (await hub.signIn('viewer')).get('/admin'));
    assert.equal(viewer.find('aside a[href="/admin/sample"]'), undefined);
    assert.deepEqual(viewer.findAll('aside .menu-label').map((l) => l.text()), ['Hub']);
  } finally {
    await hub.close();
  }
});

test("pages with a help topic link to it for signed-in users, and breadcrumbs end at the current page", async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const users = await html(await admin.get('/admin/users'));
    assert.equal(users.get('main .level-right a').attr('href'), '/admin/help/users-and-roles');
    const crumbs = users.findAll('nav.breadcrumb li');
    assert.deepEqual(crumbs.map((li) => li.text()), ['Overview', 'Users']);
    assert.equal(crumbs[0]!.get('a').attr('href'), '/admin');
    assert.equal(crumbs[1]!.get('a').attr('aria-current'), 'page');
    assert.equal((await html(await hub.agent().get('/login'))).find('main .level-right'), undefined);
  } finally {
    await hub.close();
  }
});

test('every page and fragment is well-formed HTML', async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const pages: [string, string][] = [['setup', await (await hub.agent().get('/setup')).text()]];
    pages.push(['setup 422', await (await hub.agent().request('POST', '/setup', { form: { email: 'x' } })).text()]);
    const admin = await hub.signIn('admin');
    for (const url of ['/login', '/admin', '/admin/settings', '/admin/users', '/admin/audit', '/admin/help', '/admin/help/getting-started', '/admin/help/sample-guide', '/admin/help/missing', '/admin/account', '/nope']) {
      pages.push([url, await (await (url === '/login' ? hub.agent() : admin).get(url)).text()]);
    }
    pages.push(['settings 422', await (await admin.post('/admin/settings/sample', { pollIntervalSeconds: '1' })).text()]);
    pages.push(['settings fragment', await (await admin.post('/admin/settings/platform', { 'settings.sessionHours': '0' }, { 'HX-Request': 'true' })).text()]);
    pages.push(['users 422', await (await admin.post('/admin/users', { email: 'bad' })).text()]);
    pages.push(['login 401', await (await hub.agent().request('POST', '/login', { form: { email: 'a@b.c', password: 'x' } })).text()]);
    for (const [label, body] of pages) assert.deepEqual(parseHtml(body).problems, [], label);
  } finally {
    await hub.close();
  }
});

test('every form field has a label, and every described-by points at an element that exists', async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const admin = await hub.signIn('admin');
    const docs = [
      await html(await admin.post('/admin/settings/sample', { pollIntervalSeconds: '1', 'settings.baseUrl': 'ftp://x' })),
      await html(await admin.post('/admin/users', { email: 'bad', password: 'x' })),
      await html(await admin.post('/admin/account/password', { current: 'wrong-password', password: 'x', confirm: 'y' })),
    ];
    for (const doc of docs) {
      for (const input of doc.findAll('main input, main select, main textarea')) {
        if (input.attr('type') === 'hidden') continue;
        const id = input.attr('id');
        const labelled = (id && doc.find(`label[for="${id}"]`)) || input.closest('label') || input.attr('aria-label');
        assert.ok(labelled, `${input.tag}[name=${input.attr('name')}] has a label`);
        const described = input.attr('aria-describedby');
        if (described) assert.ok(doc.find(`#${described}`), `#${described} exists`);
      }
      assert.ok(doc.findAll('[aria-invalid="true"]').length > 0, 'the error case was rendered');
    }
  } finally {
    await hub.close();
  }
});
