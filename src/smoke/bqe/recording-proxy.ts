import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The User-Agent the smoke run's own browser sends, so the proxy can tell its requests from the hub's. */
export const SMOKE_BROWSER_AGENT = 'switchyard-bqe-smoke (browser)';

/** Query values a report never shows: the one-time OAuth state. */
const HIDDEN_QUERY = new Set(['state', 'code']);

/** Headers that describe one hop, not the request: never copied across the proxy. */
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length', 'content-encoding']);

/** One request that reached BQE (the simulator) through the proxy, as a report may show it: no token, code or secret. */
export interface WireRequest {
  seq: number;
  /** When it arrived, ISO UTC. */
  at: string;
  /** Milliseconds since the proxy started, from a monotonic clock. */
  t: number;
  /** `browser`: the admin's browser on BQE's consent page; `hub`: the hub's own calls. */
  from: 'hub' | 'browser';
  method: string;
  path: string;
  /** The query as sent; a repeated key keeps every value. */
  query: Record<string, string | string[]>;
  /** `authorization` is the scheme alone ("Bearer"), never the credential. */
  headers: { utcOffset: string | null; authorization: string | null; accept: string | null };
  /** A form post (the token endpoint): its grant type and the names, not the values, of the fields. */
  form?: { grantType: string | null; fields: string[] };
  status: number;
}

export interface RecordingProxy {
  url: string;
  /** Where requests go on to; set once the simulator listens (it is started with this proxy as its public URL). */
  forwardTo(target: string): void;
  requests(): WireRequest[];
  close(): Promise<void>;
}

const queryOf = (params: URLSearchParams): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  for (const [key, raw] of params) {
    const value = HIDDEN_QUERY.has(key) ? '(hidden)' : raw;
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
};

const header = (req: http.IncomingMessage, name: string): string | null => {
  const value = req.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
};

const formOf = (req: http.IncomingMessage, body: Buffer): WireRequest['form'] => {
  if (!(header(req, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')) return undefined;
  const fields = new URLSearchParams(body.toString('utf8'));
  return { grantType: fields.get('grant_type'), fields: [...new Set(fields.keys())] };
};

/**
 * A pass-through HTTP proxy in front of the BQE simulator that records what
 * crosses the wire: method, path, query, the X-UTC-OFFSET value and the
 * Authorization scheme. Redirects are passed back, not followed, so the
 * browser's consent step stays visible.
 */
export const startRecordingProxy = async (utcOffsetHeader: string): Promise<RecordingProxy> => {
  const started = performance.now();
  const seen: WireRequest[] = [];
  let target: string | undefined;
  let arrivals = 0;

  const forward = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const arrived = { seq: ++arrivals, at: new Date().toISOString(), t: Math.round((performance.now() - started) * 10) / 10 };
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', target ?? 'http://invalid');
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let status = 502;
    try {
      if (target === undefined) throw new Error('the proxy has no target yet');
      const answer = await fetch(url, { method, headers, redirect: 'manual', ...(body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body } : {}) });
      const out = Buffer.from(await answer.arrayBuffer());
      const back: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!HOP_HEADERS.has(name)) back[name] = value;
      });
      status = answer.status;
      res.writeHead(status, back).end(out);
    } catch (err) {
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`recording proxy: ${(err as Error).message}`);
    }
    const authorization = header(req, 'authorization');
    const form = formOf(req, body);
    seen.push({
      ...arrived,
      from: header(req, 'user-agent') === SMOKE_BROWSER_AGENT ? 'browser' : 'hub',
      method,
      path: url.pathname,
      query: queryOf(url.searchParams),
      headers: { utcOffset: header(req, utcOffsetHeader.toLowerCase()), authorization: authorization === null ? null : (authorization.split(/\s+/)[0] ?? ''), accept: header(req, 'accept') },
      ...(form ? { form } : {}),
      status,
    });
  };

  const server = http.createServer((req, res) => void forward(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwardTo: (url) => {
      target = url;
    },
    requests: () => seen.map((r) => ({ ...r, query: { ...r.query } })).sort((a, b) => a.seq - b.seq),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
