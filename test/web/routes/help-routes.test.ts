import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { projectPath } from '../../../src/paths.js';
import { startTestHub } from '../../helpers/hub.js';
import { FIXTURE_PLUGINS, html, mainText, shippedHelpTopics } from '../web-helpers.js';

const GUIDES = projectPath('user_guides');

test('the help index links every topic in user_guides with its title', async () => {
  const hub = await startTestHub();
  try {
    const viewer = await hub.signIn('viewer');
    const res = await viewer.get('/admin/help');
    assert.equal(res.status, 200);
    const doc = await html(res);
    const links = doc.findAll('ul[aria-label="Help topics"] li a').map((a) => a.attr('href'));
    const expected = shippedHelpTopics(GUIDES).map((name) => `/admin/help/${name}`);
    assert.ok(expected.includes('/admin/help/getting-started'));
    assert.deepEqual([...links].sort(), expected);
    const title = /^#\s+(.+)$/m.exec(fs.readFileSync(`${GUIDES}/getting-started.md`, 'utf8'))![1]!.trim();
    assert.equal(doc.get('a[href="/admin/help/getting-started"]').text(), title);
    assert.equal(doc.get('aside a[aria-current="page"]').attr('href'), '/admin/help');
  } finally {
    await hub.close();
  }
});

test('a topic renders its markdown with a table of contents that links to its headings', async () => {
  const hub = await startTestHub();
  try {
    const viewer = await hub.signIn('viewer');
    const res = await viewer.get('/admin/help/getting-started');
    assert.equal(res.status, 200);
    const doc = await html(res);
    const article = doc.get('article.sy-help');
    const headings = article.findAll('h2, h3');
    assert.ok(headings.length > 0, 'the guide has sections');
    const toc = doc.get('nav[aria-label="On this page"]').findAll('a');
    assert.equal(toc.length, headings.length);
    for (const link of toc) {
      const id = link.attr('href')!.slice(1);
      const target = article.find(`#${id}`);
      assert.ok(target, `the TOC entry #${id} has a heading`);
      assert.equal(target.text(), link.text());
    }
    assert.equal(doc.findAll('main h1').length, 1, 'one page title');
    assert.ok(doc.find('nav.breadcrumb a[href="/admin/help"]'));
  } finally {
    await hub.close();
  }
});

test('an unknown topic is a 404 that lists the topics there are', async () => {
  const hub = await startTestHub();
  try {
    const viewer = await hub.signIn('viewer');
    const res = await viewer.get('/admin/help/no-such-topic');
    assert.equal(res.status, 404);
    const doc = await html(res);
    assert.match(doc.get('main [role="alert"]').text(), /There is no help topic named "no-such-topic"\. These topics exist:/);
    assert.equal(doc.findAll('ul[aria-label="Help topics"] a').length, shippedHelpTopics(GUIDES).length);
  } finally {
    await hub.close();
  }
});

test('a path-traversal topic name is a 404 and reads no file', async () => {
  const hub = await startTestHub();
  try {
    const viewer = await hub.signIn('viewer');
    for (const url of ['/admin/help/..%2F..%2Fetc%2Fpasswd', '/admin/help/..%2F..%2Fpackage', '/admin/help/%2e%2e', '/admin/help/..%5C..%5Cpackage']) {
      const res = await viewer.get(url);
      assert.equal(res.status, 404, url);
      const body = await res.text();
      assert.ok(!body.includes('root:'), `${url}: no /etc/passwd`);
      assert.ok(!body.includes('"devDependencies"'), `${url}: no package.json`);
    }
  } finally {
    await hub.close();
  }
});

test('every help link on the platform pages leads to an existing topic', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const seen = new Set<string>();
    for (const url of ['/admin', '/admin/settings', '/admin/users', '/admin/audit', '/admin/account']) {
      const doc = await html(await admin.get(url));
      for (const a of doc.findAll('a[href^="/admin/help/"]')) seen.add(a.attr('href')!);
    }
    assert.ok(seen.size >= 2);
    for (const href of seen) assert.equal((await admin.get(href)).status, 200, href);
  } finally {
    await hub.close();
  }
});

test("a plugin's help topics are listed and rendered, with raw HTML shown as text", async () => {
  const hub = await startTestHub({ pluginsDir: FIXTURE_PLUGINS });
  try {
    const viewer = await hub.signIn('viewer');
    const index = await html(await viewer.get('/admin/help'));
    assert.ok(index.find('a[href="/admin/help/sample-guide"]'));
    const doc = await html(await viewer.get('/admin/help/sample-guide'));
    const article = doc.get('article.sy-help');
    assert.equal(article.find('script'), undefined);
    assert.match(article.text(), /<script>alert\('raw html is not rendered'\)<\/script>/);
    const sub = doc.get('nav[aria-label="On this page"] a[href="#the-token"]').closest('li');
    assert.ok(sub?.classes.includes('ml-3'), 'level-3 headings are indented in the TOC');
    assert.match(mainText(doc), /Turn it on\./);
  } finally {
    await hub.close();
  }
});
