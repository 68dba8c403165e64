import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../../helpers/hub.js';
import { documentOf, operationsOf } from '../../api/openapi-helpers.js';
import { html, type HtmlDocument } from '../web-helpers.js';

describe('the API reference page', () => {
  let hub: TestHub;
  let doc: HtmlDocument;
  let source: string;

  before(async () => {
    hub = await startTestHub({ plugins: ['pf-jira', 'bqe'], startJobs: false });
    const viewer = await hub.signIn('viewer');
    const res = await viewer.get('/admin/api/reference');
    assert.equal(res.status, 200);
    source = await res.clone().text();
    doc = await html(res);
  });
  after(() => hub.close());

  test('is in the Hub menu for viewers and parses as well-formed HTML', () => {
    assert.deepEqual(doc.problems, []);
    const link = doc.findAll('ul[aria-label="Hub"] a').find((a) => a.text() === 'API reference');
    assert.equal(link?.attr('href'), '/admin/api/reference');
  });

  test('shows every operation of the OpenAPI document with its method, path and scope', async () => {
    const ops = operationsOf(await documentOf(hub));
    const shown = doc.findAll('article.sy-api-op');
    assert.equal(shown.length, ops.length);
    for (const { method, path, op } of ops) {
      const article = doc.get(`article[data-operation="${op.operationId}"]`);
      assert.equal(article.get('[data-testid=method]').text(), method.toUpperCase());
      assert.equal(article.get('[data-testid=path]').text(), path);
      assert.equal(article.get('[data-testid=scope]').text(), op['x-required-scope'] ? `scope ${op['x-required-scope']}` : 'any credential');
    }
  });

  test('lists a request body’s nested fields with their type, whether required, and limits', () => {
    const create = doc.get('article[data-operation="createRule"]');
    const row = (name: string) => {
      const found = create.findAll('tr').find((tr) => tr.attr('data-field') === name);
      assert.ok(found, `a row for ${name}`);
      return found;
    };
    const cells = (name: string) => row(name).findAll('td').map((td) => td.text());
    assert.deepEqual(cells('name').slice(0, 3), ['name', 'string', 'yes']);
    assert.deepEqual(cells('priority').slice(1, 3), ['integer', 'no']);
    assert.deepEqual(cells('conditions[].operator').slice(1, 3), ['string', 'yes']);
    assert.match(row('conditions[].operator').text(), /one of "equals"/);
    assert.match(row('mappings[].sourceType').text(), /"TEMPLATE"/);
    const list = doc.get('article[data-operation="listJobs"]');
    assert.match(list.get('tr[data-param="limit"]').text(), /≤ 200/);
    assert.ok(list.find('details'), 'answer fields fold away without JavaScript');
  });

  test('explains both ways to authenticate and links the JSON document', () => {
    assert.match(doc.get('[data-testid=scheme-hmac] p').text(), /X-Signature/);
    assert.match(doc.get('[data-testid=scheme-bearer] p').text(), /Authorization: Bearer/);
    assert.equal(doc.get('[data-testid=openapi-json]').attr('href'), '/api/v1/openapi.json');
  });

  test('needs no script or inline style (the CSP forbids them)', () => {
    assert.doesNotMatch(source, /<script(?![^>]*\bsrc=)[^>]*>/);
    assert.doesNotMatch(source, /\sstyle="/);
  });

  test('needs a signed-in user', async () => {
    const res = await hub.agent().get('/admin/api/reference');
    assert.equal(res.status, 303);
  });
});
