import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { isAppError } from '../../src/errors.js';
import { field, readForm, safeNext } from '../../src/web/form.js';

/** A bare app whose one route echoes what readForm read, or the AppError it threw. */
const echoApp = () => {
  const app = new Hono();
  app.post('/', async (c) => {
    try {
      return c.json({ form: await readForm(c) });
    } catch (err) {
      if (!isAppError(err)) throw err;
      return c.json({ status: err.status, code: err.code, message: err.message }, 400);
    }
  });
  return app;
};

test('reads a urlencoded form, keeping every value of a repeated field', async () => {
  const res = await echoApp().request('/', { method: 'POST', body: 'a=1&b=x&b=y&c=', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.deepEqual(await res.json(), { form: { a: '1', b: ['x', 'y'], c: '' } });
});

test('reads a multipart form', async () => {
  const body = new FormData();
  body.set('name', 'Ann');
  body.append('tag', 'one');
  body.append('tag', 'two');
  const res = await echoApp().request('/', { method: 'POST', body });
  assert.deepEqual(await res.json(), { form: { name: 'Ann', tag: ['one', 'two'] } });
});

test('refuses a file upload, naming the field', async () => {
  const body = new FormData();
  body.set('avatar', new Blob(['png bytes']), 'me.png');
  const res = await echoApp().request('/', { method: 'POST', body });
  assert.deepEqual(await res.json(), { status: 400, code: 'unexpected_file', message: 'Field "avatar" does not take a file.' });
});

test('refuses JSON, plain text, or no content type with 415', async () => {
  for (const headers of [{ 'Content-Type': 'application/json' }, { 'Content-Type': 'text/plain' }, {} as Record<string, string>]) {
    const res = await echoApp().request('/', { method: 'POST', body: 'a=1', headers });
    const body = (await res.json()) as { status: number; code: string };
    assert.equal(body.status, 415, JSON.stringify(headers));
    assert.equal(body.code, 'unsupported_media_type');
  }
});

test('accepts a urlencoded content type with a charset', async () => {
  const res = await echoApp().request('/', { method: 'POST', body: 'a=%C3%A9', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' } });
  assert.deepEqual(await res.json(), { form: { a: 'é' } });
});

test('field() takes the last value of a repeated field and "" for a missing one', () => {
  assert.equal(field({ enabled: ['0', '1'] }, 'enabled'), '1');
  assert.equal(field({ enabled: '0' }, 'enabled'), '0');
  assert.equal(field({ enabled: [] }, 'enabled'), '');
  assert.equal(field({}, 'enabled'), '');
});

test('safeNext() keeps same-site paths and falls back for anything else', () => {
  for (const good of ['/admin', '/admin/users?x=1#top', '/', '/a//b']) assert.equal(safeNext(good, '/home'), good, good);
  for (const bad of [undefined, '', 'admin', '//evil.com', '/\\evil.com', 'https://evil.com', 'javascript:alert(1)', '/\t/evil.com', '/\n/evil.com', '/admin\r\nSet-Cookie: a=b', '/x\u0000', '/x\u007f']) {
    assert.equal(safeNext(bad, '/home'), '/home', JSON.stringify(bad));
  }
});
