/**
 * What went wrong talking to an upstream API, in a form both pages and the
 * job runner can act on: `retryAfterMs` tells the runner when to try again,
 * `fieldErrors` carries an API's per-field complaints (Jira's `errors`).
 */
export type UpstreamErrorKind =
  | 'timeout'
  | 'network'
  /** The body was not the JSON the API documents (HTML error page, truncated JSON, empty). */
  | 'bad_response'
  | 'http';

export class UpstreamError extends Error {
  readonly service: string;
  readonly kind: UpstreamErrorKind;
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  readonly fieldErrors: Record<string, string>;
  readonly body: unknown;

  constructor(options: {
    service: string;
    kind: UpstreamErrorKind;
    status?: number;
    message: string;
    retryAfterMs?: number | undefined;
    fieldErrors?: Record<string, string>;
    body?: unknown;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = 'UpstreamError';
    this.service = options.service;
    this.kind = options.kind;
    this.status = options.status ?? 0;
    this.retryAfterMs = options.retryAfterMs;
    this.fieldErrors = options.fieldErrors ?? {};
    this.body = options.body;
  }

  /** Worth trying again later: the network, a timeout, rate limits and server errors. */
  get transient(): boolean {
    return this.kind !== 'http' || this.status === 429 || this.status >= 500;
  }

  /** The credentials were refused or lack permission. */
  get authFailure(): boolean {
    return this.kind === 'http' && (this.status === 401 || this.status === 403);
  }
}

export const isUpstreamError = (err: unknown): err is UpstreamError => err instanceof UpstreamError;
