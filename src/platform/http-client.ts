import type { Logger } from './logger.js';
import { UpstreamError } from './upstream-error.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface HttpClientOptions {
  /** Names the upstream in logs and errors ("jira", "peopleforce"). */
  service: string;
  baseUrl: string;
  /** Auth and fixed headers, read on every call so a changed credential applies at once. */
  headers: () => Record<string, string>;
  timeoutMs: number;
  logger: Logger;
  /** 429/503 answers whose Retry-After is at most this long are waited out in place; longer ones are thrown. */
  maxInlineWaitMs: number;
  /** How many times one call may wait out a Retry-After before giving up. */
  maxRetries: number;
  /** Turns an error body into a readable message and per-field errors (each API has its own shape). */
  describeError?: (status: number, body: unknown) => { message?: string; fieldErrors?: Record<string, string> };
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  fetch?: typeof fetch;
}

export interface HttpRequest {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | boolean | undefined | (string | number)[]>;
  body?: unknown;
  /** The caller's logger, so the call's log line carries its request or job id. */
  log?: Logger;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

export const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export const parseRetryAfter = (value: string | null, now = Date.now()): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Only an IMF-fixdate is a date here: Date.parse reads almost anything, and junk must not mean "retry now".
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

const snippet = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 120);

const buildUrl = (baseUrl: string, path: string, query: HttpRequest['query']): URL => {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v));
    else url.searchParams.set(key, String(value));
  }
  return url;
};

/**
 * The one way we call an upstream API: a timeout on every call, Retry-After
 * honoured, bodies checked to be the JSON the API promises, and one log line
 * per call (method, path, status, ms; never headers or bodies).
 */
export const createHttpClient = (options: HttpClientOptions) => {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? abortableSleep;

  const fail = (fields: ConstructorParameters<typeof UpstreamError>[0]) => new UpstreamError(fields);

  const readBody = async (res: Response, method: HttpMethod, path: string): Promise<unknown> => {
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw fail({ service: options.service, kind: 'network', status: res.status, message: `${options.service} closed the connection while sending ${method} ${path}`, cause: err });
    }
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      const type = res.headers.get('content-type') ?? 'no content type';
      const what = /html/i.test(type) || /^\s*</.test(text) ? 'an HTML page' : 'malformed or truncated JSON';
      throw fail({
        service: options.service,
        kind: 'bad_response',
        status: res.status,
        message: `${options.service} answered ${method} ${path} with ${what} (HTTP ${res.status}, ${type}): "${snippet(text)}"`,
        cause: err,
      });
    }
  };

  const request = async <T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> => {
    const log = req.log ?? options.logger;
    const url = buildUrl(options.baseUrl, req.path, req.query);
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const timeout = AbortSignal.timeout(req.timeoutMs ?? options.timeoutMs);
      const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
      const headers: Record<string, string> = { Accept: 'application/json', ...options.headers() };
      if (req.body !== undefined) headers['Content-Type'] = 'application/json';
      const line = { upstream: options.service, method: req.method, path: url.pathname, attempt };
      let res: Response;
      try {
        res = await doFetch(url, { method: req.method, headers, body: req.body === undefined ? null : JSON.stringify(req.body), signal });
      } catch (err) {
        const ms = Math.round(performance.now() - started);
        if (req.signal?.aborted) throw req.signal.reason;
        const timedOut = timeout.aborted;
        log.warn({ ...line, ms, error: timedOut ? 'timeout' : 'network' }, 'upstream call failed');
        throw fail({
          service: options.service,
          kind: timedOut ? 'timeout' : 'network',
          message: timedOut
            ? `${options.service} did not answer ${req.method} ${url.pathname} within ${req.timeoutMs ?? options.timeoutMs} ms`
            : `could not reach ${options.service} at ${url.origin}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`,
          cause: err,
        });
      }
      let body: unknown;
      let unreadable = false;
      try {
        body = await readBody(res, req.method, url.pathname);
      } catch (err) {
        log.warn({ ...line, status: res.status, ms: Math.round(performance.now() - started), error: (err as UpstreamError).kind }, 'upstream call failed');
        // An unreadable error page (an HTML 401, say) still tells us the status, and the status decides what to do next.
        if (res.ok) throw err;
        unreadable = true;
      }
      const ms = Math.round(performance.now() - started);
      if (res.ok) {
        log.info({ ...line, status: res.status, ms }, 'upstream call');
        return { status: res.status, headers: res.headers, data: body as T };
      }
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      log.warn({ ...line, status: res.status, ms, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }, 'upstream call refused');
      const limited = res.status === 429 || res.status === 503;
      if (limited && attempt <= options.maxRetries && (retryAfterMs ?? Infinity) <= options.maxInlineWaitMs) {
        await sleep(retryAfterMs ?? 0, req.signal);
        continue;
      }
      const described = unreadable ? {} : (options.describeError?.(res.status, body) ?? {});
      throw fail({
        service: options.service,
        kind: 'http',
        status: res.status,
        message: described.message ?? `${options.service} answered ${req.method} ${url.pathname} with HTTP ${res.status}${unreadable ? ' and a body that is not JSON' : ''}`,
        retryAfterMs: limited ? (retryAfterMs ?? undefined) : undefined,
        ...(described.fieldErrors ? { fieldErrors: described.fieldErrors } : {}),
        body,
      });
    }
  };

  return { request, service: options.service };
};

export type HttpClient = ReturnType<typeof createHttpClient>;
