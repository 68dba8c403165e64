import { AppError } from '../../../errors.js';
import type { ConnectionStatus } from '../db/connection-repository.js';

/**
 * The connection cannot call BQE until an admin signs in again (Reconnect OAuth): the refresh token was
 * refused, there is none, or the connection is not (or no longer) authorised. Sync stops on this error
 * instead of retrying, since no retry can succeed.
 */
export class ReauthRequiredError extends AppError {
  readonly connectionId: number | undefined;
  readonly connectionStatus: ConnectionStatus;

  constructor(message: string, options: { connectionId?: number; connectionStatus?: ConnectionStatus; cause?: unknown } = {}) {
    const connectionStatus = options.connectionStatus ?? 'needs_reauth';
    super(409, 'bqe_needs_reauth', message, {
      details: { ...(options.connectionId === undefined ? {} : { connectionId: options.connectionId }), connectionStatus },
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'ReauthRequiredError';
    this.connectionId = options.connectionId;
    this.connectionStatus = connectionStatus;
  }
}

export const isReauthRequired = (err: unknown): err is ReauthRequiredError => err instanceof ReauthRequiredError;

/**
 * BQE's identity server answered with a standard OAuth error body (RFC 6749 §5.2). `oauthError` is its
 * `error` code; the message says what to do about it in plain words.
 */
export class OAuthError extends AppError {
  readonly oauthError: string;

  constructor(code: string, message: string, oauthError: string) {
    super(502, code, message, { details: { oauthError } });
    this.name = 'OAuthError';
    this.oauthError = oauthError;
  }
}

export const isOAuthError = (err: unknown): err is OAuthError => err instanceof OAuthError;
