import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/platform/logger.js';
import { listenHttp } from '../../src/web/http-server.js';

/** Sends raw bytes, so requests a client library would refuse to build reach the server. */
const raw = (port: number, request: Buffer | string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });

const envelope = (answer: string) => {
  const [head, body] = answer.split('\r\n\r\n');
  const parsed = JSON.parse(body ?? '') as { error: { code: string; message: string; requestId: string } };
  assert.match(head ?? '', new RegExp(`x-request-id: ${parsed.error.requestId}`, 'i'));
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head ?? '')?.[1]), ...parsed.error };
};

describe('the HTTP server', () => {
  let server: Awaited<ReturnType<typeof listenHttp>>;
  let port: number;
  before(async () => {
    server = await listenHttp(() => new Response('ok'), { port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent', format: 'json' }) });
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('serves the app', async () => {
    assert.match(await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /\r\n\r\nok$/);
  });

  test('answers a raw non-ASCII byte in the target with the error envelope, not an empty 400', async () => {
    const answer = envelope(await raw(port, Buffer.concat([Buffer.from('GET /api/v1/'), Buffer.from([0xc3, 0xa9]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')])));
    assert.equal(answer.status, 400);
    assert.equal(answer.code, 'bad_request_target');
    assert.match(answer.message, /percent-encode/);
  });

  test('answers a target the adapter cannot turn into a URL with the envelope', async () => {
    const answer = envelope(await raw(port, 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    assert.equal(answer.status, 400);
    assert.equal(answer.code, 'bad_request_target');
  });

  test('answers oversized headers with 431 in the envelope', async () => {
    const answer = envelope(await raw(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    assert.equal(answer.status, 431);
    assert.equal(answer.code, 'headers_too_large');
  });
});
