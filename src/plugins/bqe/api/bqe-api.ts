import { AppError } from '../../../errors.js';
import { createHttpClient } from '../../../platform/http-client.js';
import type { Logger } from '../../../platform/logger.js';
import { UpstreamError } from '../../../platform/upstream-error.js';
import type { AccessGrant, TokenManager } from '../oauth/token-manager.js';
import type { ProviderMetadata } from '../provider.js';
import type { BQERateLimiter } from '../rate-limiter.js';
import { buildListQuery, checkResource, type ListRequest } from './list-query.js';
import { readListPage, readRecord, type BqeRecord } from './list-response.js';

export type { BqeRecord } from './list-response.js';
export type { ListRequest } from './list-query.js';

export interface BqeApiOptions {
  meta: ProviderMetadata;
  tokens: Pick<TokenManager, 'accessToken' | 'refresh'>;
  limiter: Pick<BQERateLimiter, 'schedule' | 'pauseConnection'>;
  logger: Logger;
  fetch?: typeof fetch;
}

/** The caller's logger (its job or request id) and a signal to stop early. */
export interface BqeCallOptions {
  log?: Logger;
  signal?: AbortSignal;
}

/** The connection fields a call depends on; the offset is read once, when the handle is made. */
export interface ApiConnection {
  id: number;
  utcOffsetMinutes: number | null;
}

export interface ListPageRequest extends ListRequest {
  /** The record key checked on every row (the object's idField); left out, records are only counted. */
  idField?: string;
}

/** BQE reads and returns times in the offset sent with each call, so nothing is sent without a valid one. */
const offsetProblem = (minutes: number | null, meta: ProviderMetadata): AppError | undefined => {
  const header = meta.api.utcOffsetHeader;
  const { min, max } = meta.api.utcOffsetMinutes;
  if (minutes === null) {
    return new AppError(
      422,
      'bqe_utc_offset_missing',
      `Set this connection's UTC offset before syncing: BQE reads and returns dates in the offset sent with every call (${header}), and none is set. Open the connection and use Save Offset.`,
    );
  }
  if (!Number.isInteger(minutes) || minutes < min || minutes > max) {
    return new AppError(
      422,
      'bqe_utc_offset_invalid',
      `Set this connection's UTC offset before syncing: ${String(minutes)} minutes is not a whole number of minutes from ${min} to ${max}, the range ${header} accepts. Open the connection and use Save Offset.`,
    );
  }
  return undefined;
};

/** BQE's REST error bodies are not documented (contract §6); a `message` text is shown when there is one. */
const bqeMessage = (body: unknown): string | undefined => {
  const text = typeof body === 'object' && body !== null ? ((body as { message?: unknown }).message ?? (body as { Message?: unknown }).Message) : undefined;
  return typeof text === 'string' && text.trim() !== '' ? text.replace(/\s+/g, ' ').trim().slice(0, 300) : undefined;
};

/** Any other refusal, named by the resource path and with what BQE said about it. */
const refusal = (err: UpstreamError, path: string): UpstreamError => {
  const said = bqeMessage(err.body);
  return new UpstreamError({
    service: 'bqe',
    kind: 'http',
    status: err.status,
    message: `BQE answered GET ${path} with HTTP ${err.status}${said ? `: “${said}”` : ''}`,
    retryAfterMs: err.retryAfterMs,
    body: err.body,
    cause: err,
  });
};

/**
 * The one path to BQE's REST API. Every call runs inside the rate limiter, carries the bearer token, Accept
 * and the connection's UTC offset header, and reacts to BQE's answers the documented way: 429 waits out
 * Retry-After (the limiter pauses the whole connection), 401 refreshes the token and retries once, 403
 * explains which permission is missing. The platform client is built without its own 429 retries, so
 * every wait goes through the limiter and is counted.
 */
export const createBqeApi = (options: BqeApiOptions) => {
  const { meta, tokens, limiter } = options;
  const timeoutMs = meta.api.timeoutSeconds * 1000;
  const scopeNames = meta.scopes.map((s) => s.name).join(', ');

  const httpFor = (grant: AccessGrant, offset: number) =>
    createHttpClient({
      service: 'bqe',
      baseUrl: grant.apiBaseUrl,
      headers: () => ({ Authorization: `Bearer ${grant.token}`, [meta.api.utcOffsetHeader]: String(offset) }),
      timeoutMs,
      maxInlineWaitMs: 0,
      maxRetries: 0,
      logger: options.logger,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });

  const forbidden = (err: UpstreamError, path: string): UpstreamError =>
    new UpstreamError({
      service: 'bqe',
      kind: 'http',
      status: 403,
      message:
        `BQE refused GET ${path} (HTTP 403 Forbidden): the app or the BQE user who connected it may not read this. ` +
        `Check that the app is allowed the scopes ${scopeNames} in the BQE developer portal, that the BQE subscription includes it, ` +
        `and that the user's security permissions in BQE allow reading it; after changing scopes, Reconnect OAuth.`,
      body: err.body,
      cause: err,
    });

  const forConnection = (connection: ApiConnection) => {
    const { id } = connection;

    /** One GET with the limiter, token refresh and 429 handling; resolves to the status and parsed body. */
    const send = async (path: string, query: Record<string, string>, opts: BqeCallOptions): Promise<{ status: number; data: unknown }> => {
      const refused = offsetProblem(connection.utcOffsetMinutes, meta);
      if (refused) throw refused;
      const offset = connection.utcOffsetMinutes as number;
      const log = opts.log ?? options.logger;
      const signal = opts.signal ? { signal: opts.signal } : {};
      let rateLimitWaits = 0;
      let refreshed = false;
      for (;;) {
        let used: string | undefined;
        try {
          return await limiter.schedule(
            id,
            async () => {
              const grant = await tokens.accessToken(id, { log, ...signal });
              used = grant.token;
              const res = await httpFor(grant, offset).request({ method: 'GET', path, query, log, ...signal });
              return { status: res.status, data: res.data };
            },
            { log, ...signal },
          );
        } catch (err) {
          if (!(err instanceof UpstreamError) || err.kind !== 'http') throw err;
          if (err.status === 429) {
            if (rateLimitWaits >= meta.rateLimits.maxRateLimitRetries) {
              throw new UpstreamError({
                service: 'bqe',
                kind: 'http',
                status: 429,
                message: `BQE kept answering GET ${path} with 429 Too Many Requests after ${rateLimitWaits} waits; the request will be tried again later.`,
                retryAfterMs: err.retryAfterMs ?? meta.rateLimits.retryAfterFallbackSeconds * 1000,
                cause: err,
              });
            }
            rateLimitWaits++;
            limiter.pauseConnection(id, err.retryAfterMs ?? meta.rateLimits.retryAfterFallbackSeconds * 1000, log);
            continue;
          }
          if (err.status === 401 && used !== undefined) {
            if (refreshed) {
              throw new UpstreamError({
                service: 'bqe',
                kind: 'http',
                status: 401,
                message: `BQE refused GET ${path} with 401 even with a newly refreshed access token. The BQE user who connected may have lost access; Reconnect OAuth with a user who can read it.`,
                cause: err,
              });
            }
            refreshed = true;
            await tokens.refresh(id, { reason: 'unauthorized', rejectedToken: used, log, ...signal });
            continue;
          }
          if (err.status === 403) throw forbidden(err, path);
          throw refusal(err, path);
        }
      }
    };

    return {
      connectionId: id,

      /** One list page, checked to be an array of records (with a text id when `idField` is given). */
      async list(request: ListPageRequest, opts: BqeCallOptions = {}): Promise<BqeRecord[]> {
        const { idField, ...listRequest } = request;
        const query = buildListQuery(meta, listRequest);
        const path = `/${request.resource}`;
        const res = await send(path, query, opts);
        return readListPage(res.data, { status: res.status, path, page: request.page, ...(idField === undefined ? {} : { idField }) });
      },

      /** One record by its GUID. */
      async get(resource: string, recordId: string, idField: string, opts: BqeCallOptions = {}): Promise<BqeRecord> {
        const path = `/${checkResource(resource)}/${encodeURIComponent(recordId)}`;
        const res = await send(path, {}, opts);
        return readRecord(res.data, { status: res.status, path, idField });
      },
    };
  };

  return { forConnection };
};

export type BqeApi = ReturnType<typeof createBqeApi>;
export type BqeConnectionApi = ReturnType<BqeApi['forConnection']>;
