import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { isBoosted, isHtmx, redirect, triggerMessage, wantsFragment } from '../../src/web/htmx.js';

const app = new Hono();
app.get('/who', (c) => c.json({ htmx: isHtmx(c), boosted: isBoosted(c), fragment: wantsFragment(c) }));
app.get('/go', (c) => redirect(c, '/target?x=1'));
app.get('/toast', (c) => {
  triggerMessage(c, 'success', 'Sync "started".');
  return c.body(null, 204);
});

test('reads the HX-Request and HX-Boosted headers only when they say "true"', async () => {
  assert.deepEqual(await (await app.request('/who')).json(), { htmx: false, boosted: false, fragment: false });
  assert.deepEqual(await (await app.request('/who', { headers: { 'HX-Request': 'true', 'HX-Boosted': 'true' } })).json(), { htmx: true, boosted: true, fragment: false });
  assert.deepEqual(await (await app.request('/who', { headers: { 'HX-Request': 'true' } })).json(), { htmx: true, boosted: false, fragment: true });
  assert.deepEqual(await (await app.request('/who', { headers: { 'HX-Request': 'false', 'HX-Boosted': '1' } })).json(), { htmx: false, boosted: false, fragment: false });
});

test('redirect() answers a plain request with 303 and Location', async () => {
  const res = await app.request('/go');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('Location'), '/target?x=1');
  assert.equal(res.headers.get('HX-Redirect'), null);
});

test('redirect() answers htmx with 204 and HX-Redirect, so the whole page moves', async () => {
  const res = await app.request('/go', { headers: { 'HX-Request': 'true' } });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('HX-Redirect'), '/target?x=1');
  assert.equal(res.headers.get('Location'), null);
});

test('redirect() answers a boosted htmx request with a plain 303, which htmx follows itself', async () => {
  const res = await app.request('/go', { headers: { 'HX-Request': 'true', 'HX-Boosted': 'true' } });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('Location'), '/target?x=1');
});

test('triggerMessage() sets HX-Trigger to a showMessage event as valid JSON', async () => {
  const res = await app.request('/toast');
  assert.deepEqual(JSON.parse(res.headers.get('HX-Trigger') ?? ''), { showMessage: { kind: 'success', text: 'Sync "started".' } });
});

test('triggerMessage() sends text beyond ASCII as JSON escapes, since header values are Latin-1', async () => {
  const quoted = new Hono();
  quoted.get('/', (c) => {
    triggerMessage(c, 'success', 'Rule “Onboarding — IT” saved.');
    return c.body(null, 204);
  });
  const header = (await quoted.request('/')).headers.get('HX-Trigger') ?? '';
  assert.match(header, /^[\x20-\x7e]+$/);
  assert.equal(JSON.parse(header).showMessage.text, 'Rule “Onboarding — IT” saved.');
});
