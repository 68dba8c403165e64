import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { listenHttp } from '../../../src/web/http-server.js';
import { createAppContext, type AppContext } from '../../../src/app-context.js';
import type { RawApiCredentialInput } from '../../../src/auth/api-credentials/credential-input.js';
import type { IssuedCredential } from '../../../src/auth/api-credentials/credential-service.js';
import { signRequest } from '../../../src/auth/api-credentials/hmac-signature.js';
import { loadConfig } from '../../../src/config.js';
import type { Actor } from '../../../src/platform/actor.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { createLogger } from '../../../src/platform/logger.js';
import { createWebApp } from '../../../src/web/app.js';
import { TEST_SCRYPT, tempDir } from '../../helpers/hub.js';

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

export interface SendOptions {
  method: string;
  /** Sent on the request line exactly as given. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The address the client socket binds to, e.g. 127.0.0.2. */
  localAddress?: string;
}

export interface SignOptions {
  body?: string | Buffer;
  timestamp?: string;
  nonce?: string;
  secret?: string;
}

const ADMIN: Actor = { userId: null, email: 'test-admin', role: 'admin', ip: null, requestId: null };

/**
 * The whole hub (web app with /api/v1 mounted) served on a real socket, so
 * requests carry exact request lines and client addresses; the logger's JSON
 * lines are kept for assertions.
 */
export const apiFixture = async (options: { env?: Record<string, string>; host?: string } = {}) => {
  const config = loadConfig({ HUB_DATA_DIR: tempDir(), LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...options.env }, false);
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const clock = new ManualClock(Date.now());
  const ctx: AppContext = await createAppContext(config, createLogger({ level: 'info', format: 'json', destination }), {
    clock,
    pluginsDir: tempDir('switchyard-plugins-'),
    scrypt: TEST_SCRYPT,
    sleep: async () => undefined,
  });
  const app = createWebApp(ctx);
  const server = await listenHttp(app.fetch, { port: 0, host: options.host ?? '127.0.0.1', logger: ctx.logger });
  const port = (server.address() as AddressInfo).port;

  const send = (req: SendOptions): Promise<ApiResponse> =>
    new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
      const outgoing = http.request(
        {
          host: '127.0.0.1',
          port,
          method: req.method,
          path: req.path,
          headers: { ...(body ? { 'Content-Length': String(body.length) } : {}), ...req.headers },
          ...(req.localAddress ? { localAddress: req.localAddress } : {}),
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  /** The four signing headers for a request, signed with the credential's secret unless another is given. */
  const signHeaders = (issued: IssuedCredential, method: string, path: string, sign: SignOptions = {}): Record<string, string> => {
    const timestamp = sign.timestamp ?? String(Math.floor(clock.now() / 1000));
    const nonce = sign.nonce ?? crypto.randomBytes(16).toString('hex');
    const body = sign.body === undefined ? Buffer.alloc(0) : Buffer.from(sign.body);
    return {
      'X-Client-Id': issued.credential.clientId,
      'X-Timestamp': timestamp,
      'X-Nonce': nonce,
      'X-Signature': signRequest(sign.secret ?? issued.secret, method, path, timestamp, nonce, body),
    };
  };

  return {
    ctx,
    clock,
    lines,
    port,
    send,
    signHeaders,
    create: (raw: RawApiCredentialInput): IssuedCredential => ctx.apiCredentials.create(ADMIN, raw),
    /** Signs and sends a request as an API client would. */
    signed: (issued: IssuedCredential, method: string, path: string, sign: SignOptions & { headers?: Record<string, string>; localAddress?: string } = {}) =>
      send({
        method,
        path,
        headers: { ...(sign.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...signHeaders(issued, method, path, sign), ...sign.headers },
        ...(sign.body !== undefined ? { body: sign.body } : {}),
        ...(sign.localAddress ? { localAddress: sign.localAddress } : {}),
      }),
    logged: (): Record<string, unknown>[] => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      ctx.close();
    },
  };
};

export type ApiFixture = Awaited<ReturnType<typeof apiFixture>>;
