import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HTTPException } from 'hono/http-exception';
import { AppError, tooManyRequests, validationError } from '../../src/errors.js';
import { createWebApp } from '../../src/web/app.js';
import { Agent, startTestHub, type TestHub } from '../helpers/hub.js';
import { html, mainText, parseHtml } from './web-helpers.js';

interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> & { requestId: string } };
}

/** An app over the hub's context with extra routes that fail in chosen ways; registered before its first request. */
const failingApp = (hub: TestHub) => {
  const app = createWebApp(hub.ctx);
  app.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  app.get('/boom-string', () => {
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  });
  app.get('/invalid', () => {
    throw validationError('The thing is not valid.', { name: 'Enter a name.' });
  });
  app.get('/slow-down', () => {
    throw tooManyRequests('Slow down, please.', 42);
  });
  app.get('/http-400', () => {
    throw new HTTPException(400, { message: 'Malformed JSON in request body' });
  });
  app.get('/http-503', () => {
    throw new HTTPException(503, { message: 'upstream internals here' });
  });
  app.get('/teapot', () => {
    throw new AppError(418, 'teapot', 'I am a teapot.');
  });
  return app;
};

test('an unknown route gets the 404 page naming the path', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.get('/no/such/page');
    assert.equal(res.status, 404);
    const doc = await html(res);
    assert.equal(doc.get('h1.title').text(), 'Page not found');
    assert.match(mainText(doc), /Nothing lives at \/no\/such\/page\./);
    assert.match(doc.get('title').text(), /^Page not found · /);
    assert.equal(doc.get('main a.button').attr('href'), '/admin', 'a signed-in user is led back to the overview');
    const anon = await html(await hub.agent().get('/no/such/page'));
    assert.equal(anon.get('main a.button').attr('href'), '/login', 'others to sign-in');
  } finally {
    await hub.close();
  }
});

test('a 404 asked for as JSON gets the JSON error body with the request id', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await hub.agent().get('/no/such/page', { Accept: 'application/json' });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('Content-Type') ?? '', /^application\/json/);
    const body = (await res.json()) as ErrorBody;
    assert.deepEqual(Object.keys(body), ['error']);
    assert.equal(body.error.code, 'not_found');
    assert.equal(body.error.message, 'Nothing lives at /no/such/page.');
    assert.equal(body.error.details.requestId, res.headers.get('X-Request-Id'));
  } finally {
    await hub.close();
  }
});

test('a browser that accepts both HTML and JSON gets the page', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await hub.agent().get('/no/such/page', { Accept: 'text/html,application/json;q=0.9' });
    assert.match(res.headers.get('Content-Type') ?? '', /^text\/html/);
  } finally {
    await hub.close();
  }
});

test('an unexpected error gets a 500 page with the request id and never the message or stack', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const agent = new Agent(failingApp(hub));
    for (const url of ['/boom', '/boom-string']) {
      const res = await agent.get(url, { 'X-Request-Id': 'support-ticket-7' });
      assert.equal(res.status, 500);
      const body = await res.text();
      assert.ok(!body.includes('hunter2') && !body.includes('Cannot read properties'), 'no error message');
      assert.ok(!/at .*\.ts:\d+/.test(body) && !body.includes('node_modules'), 'no stack');
      const doc = parseHtml(body);
      assert.equal(doc.get('h1.title').text(), 'Something went wrong');
      assert.match(mainText(doc), /An unexpected error stopped this request\. It has been logged; quote the request id/);
      assert.equal(doc.findAll('main [role="alert"] p.is-size-7 code').at(-1)?.text(), 'support-ticket-7');
      assert.equal(res.headers.get('X-Request-Id'), 'support-ticket-7');
    }
  } finally {
    await hub.close();
  }
});

test('an unexpected error asked for as JSON hides its message too', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await new Agent(failingApp(hub)).get('/boom', { Accept: 'application/json' });
    assert.equal(res.status, 500);
    const body = (await res.json()) as ErrorBody;
    assert.equal(body.error.code, 'internal_error');
    assert.ok(!JSON.stringify(body).includes('hunter2'));
    assert.equal(body.error.details.requestId, res.headers.get('X-Request-Id'));
  } finally {
    await hub.close();
  }
});

test('an htmx request that fails gets a small error fragment to swap in, with the request id', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await new Agent(failingApp(hub)).get('/boom', { 'HX-Request': 'true', 'X-Request-Id': 'htmx-1' });
    assert.equal(res.status, 500);
    const doc = parseHtml(await res.text());
    assert.equal(doc.find('html'), undefined);
    const alert = doc.get('[role="alert"]');
    assert.match(alert.text(), /An unexpected error stopped this request/);
    assert.equal(alert.get('code').text(), 'htmx-1');
  } finally {
    await hub.close();
  }
});

test('a validation error as JSON carries the field errors beside the request id', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await new Agent(failingApp(hub)).get('/invalid', { Accept: 'application/json' });
    assert.equal(res.status, 422);
    const body = (await res.json()) as ErrorBody;
    assert.equal(body.error.code, 'validation_failed');
    assert.equal(body.error.message, 'The thing is not valid.');
    assert.deepEqual(body.error.details.fields, { name: 'Enter a name.' });
    assert.ok(body.error.details.requestId);
  } finally {
    await hub.close();
  }
});

test('a 429 from anywhere carries Retry-After from the error', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await new Agent(failingApp(hub)).get('/slow-down');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('Retry-After'), '42');
    assert.equal((await html(res)).get('h1.title').text(), 'Slow down');
  } finally {
    await hub.close();
  }
});

test("Hono's own client errors keep their status; its server errors become a plain 500", async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const agent = new Agent(failingApp(hub));
    const bad = await agent.get('/http-400', { Accept: 'application/json' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as ErrorBody).error.code, 'bad_request');
    const unavailable = await agent.get('/http-503', { Accept: 'application/json' });
    assert.equal(unavailable.status, 500);
    const body = (await unavailable.json()) as ErrorBody;
    assert.equal(body.error.code, 'internal_error');
    assert.ok(!JSON.stringify(body).includes('upstream internals'));
  } finally {
    await hub.close();
  }
});

test('a status without a known title still gets a page', async () => {
  const hub = await startTestHub();
  try {
    await hub.signIn('admin');
    const res = await new Agent(failingApp(hub)).get('/teapot');
    assert.equal(res.status, 418);
    const doc = await html(res);
    assert.equal(doc.get('h1.title').text(), 'Error');
    assert.match(mainText(doc), /I am a teapot\./);
  } finally {
    await hub.close();
  }
});

test('a body over HUB_BODY_LIMIT_KB is refused with 413 and changes nothing', async () => {
  const hub = await startTestHub({ env: { HUB_BODY_LIMIT_KB: '16' } });
  try {
    const admin = await hub.signIn('admin');
    const before = hub.ctx.domainConfig.get('platform');
    const padding = 'x'.repeat(20 * 1024);
    const res = await admin.post('/admin/settings/platform', { 'settings.instanceName': 'Too big', padding });
    assert.equal(res.status, 413);
    assert.match(mainText(await html(res)), /The request body is larger than 16 KB\./);
    const withLength = await admin.request('POST', '/admin/settings/platform', {
      body: new URLSearchParams({ _csrf: admin.csrfToken, 'settings.instanceName': 'Too big', padding }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(20 * 1024 + 100), Accept: 'application/json' },
    });
    assert.equal(withLength.status, 413);
    assert.equal(((await withLength.json()) as ErrorBody).error.code, 'body_too_large');
    assert.deepEqual(hub.ctx.domainConfig.get('platform'), before);
    assert.equal((await admin.post('/admin/settings/platform', { 'settings.instanceName': 'Small' })).status, 303, 'a small body still passes');
  } finally {
    await hub.close();
  }
});

test('a form route posted as JSON is refused with 415', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    const res = await admin.request('POST', '/admin/settings/platform', {
      body: JSON.stringify({ settings: { instanceName: 'Json' } }),
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': admin.csrfToken, Accept: 'application/json' },
    });
    assert.equal(res.status, 415);
    assert.equal(((await res.json()) as ErrorBody).error.code, 'unsupported_media_type');
    assert.equal(hub.ctx.platformSettings().instanceName, 'Switchyard');
    const page = await admin.request('POST', '/login', { body: '{}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(page.status, 415);
    assert.equal((await html(page)).get('h1.title').text(), 'Unsupported content type');
  } finally {
    await hub.close();
  }
});

test('a malformed urlencoded body is handled without a 500', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    for (const body of [`_csrf=${admin.csrfToken}&%%%&&&=%E0%A4%A`, `_csrf=${admin.csrfToken}&settings.instanceName=%ZZbad`, `_csrf=${admin.csrfToken}&=&==&a==b`]) {
      const res = await admin.request('POST', '/admin/settings/platform', { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      assert.ok(res.status < 500, `${body}: ${res.status}`);
    }
    const login = await hub.agent().request('POST', '/login', { body: 'email=%E0%A4%A&password=%', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(login.status, 401);
  } finally {
    await hub.close();
  }
});
