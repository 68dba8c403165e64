import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import type { AppEnv, Flash } from '../../src/web/app-env.js';
import { setFlash, takeFlash } from '../../src/web/flash.js';
import { startTestHub } from '../helpers/hub.js';
import { html, setCookie } from './web-helpers.js';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** /set sets the flash given as JSON in ?f=; /take returns what takeFlash finds. */
const flashApp = () => {
  const app = new Hono<AppEnv>();
  app.get('/set', (c) => {
    setFlash(c, JSON.parse(c.req.query('f') ?? '{}') as Flash);
    return c.text('set');
  });
  app.get('/take', (c) => c.json({ flash: takeFlash(c) ?? null }));
  return app;
};

const take = async (cookie: string) => {
  const res = await flashApp().request('/take', { headers: { Cookie: `sy_flash=${cookie}` } });
  return { res, flash: ((await res.json()) as { flash: Flash | null }).flash };
};

test('setFlash stores the message in a short-lived, HttpOnly, SameSite=Lax cookie', async () => {
  const res = await flashApp().request(`/set?f=${encodeURIComponent(JSON.stringify({ kind: 'success', text: 'Saved.' }))}`);
  const cookie = setCookie(res, 'sy_flash');
  assert.ok(cookie);
  assert.equal(cookie.attrs.httponly, true);
  assert.equal(cookie.attrs.samesite, 'Lax');
  assert.equal(cookie.attrs['max-age'], '60');
  assert.equal(cookie.attrs.path, '/');
  assert.deepEqual(JSON.parse(Buffer.from(cookie.value, 'base64url').toString('utf8')), { kind: 'success', text: 'Saved.' });
});

test('takeFlash returns the message once and deletes the cookie', async () => {
  const { res, flash } = await take(encode({ kind: 'warning', text: 'Careful.' }));
  assert.deepEqual(flash, { kind: 'warning', text: 'Careful.' });
  assert.equal(setCookie(res, 'sy_flash')?.attrs['max-age'], '0');
  assert.equal(((await (await flashApp().request('/take')).json()) as { flash: null }).flash, null, 'no cookie, no flash');
});

test('takeFlash drops a mangled, incomplete or unknown-kind cookie, still deleting it', async () => {
  for (const raw of ['not-base64-json!!', encode('just a string'), encode({ kind: 'success' }), encode({ kind: 'evil', text: 'x' }), encode({ kind: 'info', text: 42 })]) {
    const { res, flash } = await take(raw);
    assert.equal(flash, null, raw);
    assert.equal(setCookie(res, 'sy_flash')?.attrs['max-age'], '0', raw);
  }
});

test('takeFlash caps the text at 500 characters', async () => {
  const { flash } = await take(encode({ kind: 'info', text: 'x'.repeat(2000) }));
  assert.equal(flash?.text.length, 500);
});

test('a forged flash cookie is shown as text, never as markup, and only once', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    admin.cookies.set('sy_flash', encode({ kind: 'danger', text: '<script>alert(1)</script>' }));
    const doc = await html(await admin.get('/admin'));
    const note = doc.get('main .notification');
    assert.ok(note.classes.includes('is-danger'));
    assert.equal(note.text(), '<script>alert(1)</script>');
    assert.equal(doc.find('main script'), undefined);
    assert.equal((await html(await admin.get('/admin'))).find('main .notification'), undefined, 'gone on the next page');
  } finally {
    await hub.close();
  }
});
