import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebhookSender } from '../../../src/simulators/peopleforce/webhook-sender.js';
import { startReceiver } from './webhook-receiver.js';

const now = () => Date.UTC(2026, 0, 14, 10);

const verify = (secret: string, body: string, header: string | undefined): boolean => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/** A port nothing listens on: take a free one and close it again. */
const deadUrl = async (): Promise<string> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
};

test('posts the {action, data} envelope as JSON with a verifiable signature', async () => {
  const receiver = await startReceiver();
  try {
    const sender = new WebhookSender({ now });
    sender.configure({ url: receiver.url, secret: 's3cret' });
    const delivery = await sender.send('employee_create', { id: 133700 });
    const [got] = receiver.received;
    assert.equal(got?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(got?.body ?? ''), { action: 'employee_create', data: { id: 133700 } });
    assert.ok(verify('s3cret', got?.body ?? '', got?.headers['x-peopleforce-signature'] as string));
    assert.equal(delivery.outcome, 'delivered');
    assert.equal(delivery.status, 200);
    assert.equal(delivery.attempts, 1);
    assert.equal(delivery.signed, true);
    assert.equal(delivery.at, '2026-01-14T10:00:00.000Z');
    assert.equal(typeof delivery.ms, 'number');
  } finally {
    await receiver.close();
  }
});

test('sends no signature header when no secret is set', async () => {
  const receiver = await startReceiver();
  try {
    const sender = new WebhookSender({ now });
    sender.configure({ url: receiver.url });
    await sender.send('employee_update', {});
    assert.equal(receiver.received[0]?.headers['x-peopleforce-signature'], undefined);
  } finally {
    await receiver.close();
  }
});

test('delivers only the subscribed topics, in the order the changes happened', async () => {
  const receiver = await startReceiver();
  try {
    const sender = new WebhookSender({ now });
    sender.configure({ url: receiver.url, topics: ['employee_create', 'employee_terminate'] });
    sender.notify('employee_create', { n: 1 });
    sender.notify('employee_update', { n: 2 });
    sender.notify('employee_terminate', { n: 3 });
    await sender.idle();
    assert.deepEqual(receiver.received.map((r) => JSON.parse(r.body).action), ['employee_create', 'employee_terminate']);
    assert.equal(sender.deliveries().length, 2);
  } finally {
    await receiver.close();
  }
});

test('does nothing for a change when no webhook is set', async () => {
  const sender = new WebhookSender({ now });
  sender.notify('employee_create', {});
  await sender.idle();
  assert.deepEqual(sender.deliveries(), []);
  await assert.rejects(sender.send('employee_create', {}), /no webhook/);
});

test('retries a 5xx answer and logs the attempts', async () => {
  const receiver = await startReceiver([503, 500]);
  try {
    const sender = new WebhookSender({ now, retryDelaysMs: [1, 1] });
    sender.configure({ url: receiver.url });
    const delivery = await sender.send('employee_create', {});
    assert.equal(delivery.outcome, 'delivered');
    assert.equal(delivery.attempts, 3);
    assert.equal(receiver.received.length, 3);
    assert.equal(sender.delivered, 1);
  } finally {
    await receiver.close();
  }
});

test('does not retry a 4xx answer', async () => {
  const receiver = await startReceiver([401]);
  try {
    const sender = new WebhookSender({ now, retryDelaysMs: [1, 1] });
    sender.configure({ url: receiver.url });
    const delivery = await sender.send('employee_create', {});
    assert.equal(delivery.outcome, 'failed');
    assert.equal(delivery.status, 401);
    assert.equal(delivery.error, 'HTTP 401');
    assert.equal(delivery.attempts, 1);
  } finally {
    await receiver.close();
  }
});

test('gives up after three attempts when nothing answers, keeping the error', async () => {
  const sender = new WebhookSender({ now, retryDelaysMs: [1, 1] });
  sender.configure({ url: await deadUrl() });
  const delivery = await sender.send('employee_create', {});
  assert.equal(delivery.outcome, 'failed');
  assert.equal(delivery.attempts, 3);
  assert.equal(delivery.status, null);
  assert.match(delivery.error ?? '', /ECONNREFUSED/);
  assert.equal(sender.failed, 1);
});

test('keeps only the newest deliveries beyond the log limit', async () => {
  const receiver = await startReceiver();
  try {
    const sender = new WebhookSender({ now, logLimit: 2 });
    sender.configure({ url: receiver.url });
    for (let i = 1; i <= 3; i++) sender.notify('employee_update', { i });
    await sender.idle();
    assert.deepEqual(sender.deliveries().map((d) => d.id), [2, 3]);
  } finally {
    await receiver.close();
  }
});
