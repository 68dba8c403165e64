import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { Hono } from 'hono';
import pino from 'pino';
import { signWebhook } from '../../../../src/plugins/pf-jira/peopleforce/webhook-verifier.js';
import { webhookRoutes } from '../../../../src/plugins/pf-jira/web/webhook-routes.js';
import type { AppEnv } from '../../../../src/web/app-env.js';
import { intakeFixture } from '../events/intake-fixture.js';

const SECRET = 'whsec-1';
const URL_ = '/hooks/pf-jira/peopleforce';

const delivery = (action = 'employee_update', id: unknown = 133710) =>
  JSON.stringify({ action, data: { id, attributes: { first_name: 'Olena', last_name: 'Koval' }, meta: { updated_at: '2026-03-02T08:00:00Z' } } });

describe('PeopleForce webhook route', () => {
  let f: ReturnType<typeof intakeFixture>;
  let secret: string | undefined;
  let logs: Record<string, unknown>[];
  let app: Hono<AppEnv>;

  const post = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
    app.request(URL_, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-peopleforce-signature': signWebhook(body, SECRET), ...headers } });

  const refusal = async (res: Response, status: number, code: string) => {
    assert.equal(res.status, status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, code);
    assert.equal(f.events.list().length, 0, 'a refused delivery stores nothing');
    assert.deepEqual(f.jobs(), []);
    assert.ok(logs.some((l) => l.level === 40 && l.msg === 'webhook refused' && l.reason === code), `a warning names ${code}`);
    return body.error.message;
  };

  beforeEach(() => {
    f = intakeFixture();
    secret = SECRET;
    logs = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) }));
    app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set('requestId', 'req-42');
      await next();
    });
    app.route('/hooks/pf-jira', webhookRoutes({ intake: f.intake, webhookSecret: () => secret, clock: f.clock, logger, maxBodyBytes: 4096 }));
  });
  afterEach(() => f.close());

  test('a signed delivery is recorded and queued, answering 202 with the event id', async () => {
    const res = await post(delivery());
    assert.equal(res.status, 202);
    const body = (await res.json()) as { status: string; eventId: number };
    assert.equal(body.status, 'queued');
    const stored = f.events.get(body.eventId);
    assert.equal(stored?.type, 'employee_update');
    assert.equal(stored?.source, 'webhook');
    assert.equal(stored?.correlationId, 'req-42');
    assert.equal(stored?.payload.full_name, 'Olena Koval');
    assert.deepEqual(f.jobs().map((j) => j.key), ['pf-jira:route:employee:133710']);
  });

  test('a replayed delivery is refused with 409 naming the first event', async () => {
    const first = (await (await post(delivery())).json()) as { eventId: number };
    const res = await post(delivery());
    assert.equal(res.status, 409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'replayed');
    assert.match(body.error.message, new RegExp(`already received \\(event ${first.eventId}\\)`));
    assert.equal(f.events.list().length, 1);
  });

  test('refuses a signature made with another secret', async () => {
    await refusal(await post(delivery(), { 'x-peopleforce-signature': signWebhook(delivery(), 'wrong') }), 401, 'signature_invalid');
  });

  test('refuses a delivery without a signature', async () => {
    const res = await app.request(URL_, { method: 'POST', body: delivery(), headers: { 'content-type': 'application/json' } });
    await refusal(res, 401, 'signature_missing');
  });

  test('refuses a malformed signature header', async () => {
    await refusal(await post(delivery(), { 'x-peopleforce-signature': 'md5=abc' }), 401, 'signature_malformed');
  });

  test('refuses everything with 503 while no webhook secret is configured', async () => {
    secret = undefined;
    const message = await refusal(await post(delivery()), 503, 'webhook_not_configured');
    assert.match(message, /Set a webhook secret in PeopleForce and on the Connections page/);
  });

  test('refuses a signed body that is not JSON with 400', async () => {
    const message = await refusal(await post('{"action":'), 400, 'invalid_payload');
    assert.equal(message, 'The body is not valid JSON.');
  });

  test('refuses a signed body that is not UTF-8 with 400', async () => {
    await refusal(await post(new Uint8Array([0x7b, 0xff, 0x7d])), 400, 'invalid_payload');
  });

  test('refuses a body without an integer data.id with 400', async () => {
    await refusal(await post(delivery('employee_update', '133710')), 400, 'invalid_payload');
  });

  test('refuses a topic it does not handle with 422', async () => {
    await refusal(await post(delivery('employee_salary_create')), 422, 'unsupported_action');
  });

  test('refuses a content type other than JSON with 415', async () => {
    await refusal(await post(delivery(), { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_content_type');
    logs = [];
    const bare = await app.request(URL_, { method: 'POST', body: delivery() });
    assert.equal(bare.status, 415);
  });

  test('accepts a JSON content type with a charset', async () => {
    assert.equal((await post(delivery(), { 'content-type': 'application/json; charset=utf-8' })).status, 202);
  });

  test('refuses a body over its size limit with 413', async () => {
    await refusal(await post(JSON.stringify({ action: 'employee_update', pad: 'x'.repeat(5000) })), 413, 'body_too_large');
  });
});
