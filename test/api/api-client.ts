import crypto from 'node:crypto';
import type { Hono } from 'hono';
import type { ApiScope } from '../../src/auth/api-credentials/scopes.js';
import { signRequest } from '../../src/auth/api-credentials/hmac-signature.js';
import type { Actor } from '../../src/platform/actor.js';
import type { AppEnv } from '../../src/web/app-env.js';
import type { TestHub } from '../helpers/hub.js';

/** Sends one request: the path with query exactly as signed, and the fetch init. */
export type Send = (pathWithQuery: string, init: RequestInit) => Promise<Response>;

/**
 * Through app.request(), with the socket a real server would give: the
 * client address (for Bearer allow-lists) and the request line's target
 * (what an HMAC signature covers).
 */
export const inProcess =
  (app: Hono<AppEnv>, ip = '127.0.0.1'): Send =>
  async (pathWithQuery, init) =>
    app.request(pathWithQuery, init, { incoming: { url: pathWithQuery, socket: { remoteAddress: ip, remotePort: 50_000, remoteFamily: ip.includes(':') ? 'IPv6' : 'IPv4' } } });

/** Over HTTP to a running hub. */
export const overHttp =
  (baseUrl: string): Send =>
  (pathWithQuery, init) =>
    fetch(new URL(pathWithQuery, baseUrl), init);

/** A credential as create() hands it out once: what a client keeps. */
export interface ClientCredential {
  clientId: string;
  secret: string;
  type: 'hmac' | 'bearer';
}

export interface ApiRequestOptions {
  /** Sent as JSON (Content-Type application/json). */
  json?: unknown;
  /** Sent as is, with `contentType` when given. */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** Overrides for signing tests: a stale timestamp, a reused nonce. */
  timestamp?: number;
  nonce?: string;
  /** Send without any credential headers. */
  anonymous?: boolean;
}

export const newNonce = (): string => crypto.randomBytes(16).toString('hex');

/**
 * An API client as a script would write one: HMAC requests signed per the
 * spec (src/auth/api-credentials/hmac-signature.ts), Bearer requests with
 * the token. Timestamps come from `now` (the hub's ManualClock in tests).
 */
export class ApiClient {
  constructor(
    readonly send: Send,
    readonly credential: ClientCredential | undefined,
    readonly now: () => number = Date.now,
  ) {}

  /** The credential headers for one request. */
  authHeaders(method: string, pathWithQuery: string, body: Buffer, options: Pick<ApiRequestOptions, 'timestamp' | 'nonce'> = {}): Record<string, string> {
    const credential = this.credential;
    if (!credential) return {};
    if (credential.type === 'bearer') return { Authorization: `Bearer ${credential.secret}` };
    const timestamp = String(options.timestamp ?? Math.floor(this.now() / 1000));
    const nonce = options.nonce ?? newNonce();
    return {
      'X-Client-Id': credential.clientId,
      'X-Timestamp': timestamp,
      'X-Nonce': nonce,
      'X-Signature': signRequest(credential.secret, method, pathWithQuery, timestamp, nonce, body),
    };
  }

  request(method: string, pathWithQuery: string, options: ApiRequestOptions = {}): Promise<Response> {
    const body = options.json !== undefined ? Buffer.from(JSON.stringify(options.json), 'utf8') : options.raw !== undefined ? Buffer.from(options.raw) : Buffer.alloc(0);
    const contentType = options.json !== undefined ? 'application/json' : options.contentType;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...(contentType ? { 'Content-Type': contentType } : {}),
      ...(options.anonymous ? {} : this.authHeaders(method, pathWithQuery, body, options)),
      ...options.headers,
    };
    return this.send(pathWithQuery, { method, headers, ...(body.length ? { body } : {}) });
  }

  get(pathWithQuery: string, options?: ApiRequestOptions): Promise<Response> {
    return this.request('GET', pathWithQuery, options);
  }

  post(pathWithQuery: string, json?: unknown, options: ApiRequestOptions = {}): Promise<Response> {
    return this.request('POST', pathWithQuery, json === undefined ? options : { ...options, json });
  }

  put(pathWithQuery: string, json: unknown, options: ApiRequestOptions = {}): Promise<Response> {
    return this.request('PUT', pathWithQuery, { ...options, json });
  }

  patch(pathWithQuery: string, json: unknown, options: ApiRequestOptions = {}): Promise<Response> {
    return this.request('PATCH', pathWithQuery, { ...options, json });
  }

  delete(pathWithQuery: string, options?: ApiRequestOptions): Promise<Response> {
    return this.request('DELETE', pathWithQuery, options);
  }
}

/** The admin who issues test credentials. */
const issuer: Actor = { userId: null, email: 'test-setup', role: 'admin', ip: null, requestId: null };

/** Creates a credential through the credential service, as the admin page does, and returns what its owner keeps. */
export const issueCredential = (hub: TestHub, options: { type?: 'hmac' | 'bearer'; scopes: ApiScope[]; allowedIps?: string[]; name?: string; rateLimitPerMinute?: number }): ClientCredential => {
  const type = options.type ?? 'hmac';
  const { credential, secret } = hub.ctx.apiCredentials.create(issuer, {
    name: options.name ?? `test ${type} ${newNonce().slice(0, 6)}`,
    type,
    scopes: options.scopes,
    allowedIps: options.allowedIps ?? (type === 'bearer' ? ['127.0.0.1'] : []),
    ...(options.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
  });
  return { clientId: credential.clientId, secret, type };
};

/** A client of the hub's app, in process, holding a new credential with these scopes. */
export const apiClientFor = (hub: TestHub, options: { type?: 'hmac' | 'bearer'; scopes: ApiScope[]; ip?: string; allowedIps?: string[] }): ApiClient =>
  new ApiClient(inProcess(hub.app, options.ip), issueCredential(hub, options), () => hub.clock.now());

/** Reads a JSON answer, failing with its text when the status is not the expected one. */
export const expectJson = async <T = Record<string, unknown>>(res: Response, status: number): Promise<T> => {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text.slice(0, 600)}`);
  return (text ? JSON.parse(text) : undefined) as T;
};

/** The API's error body. */
export interface ApiErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> | null; requestId: string };
}
