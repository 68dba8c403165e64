import { notFound } from '../../../errors.js';
import type { Clock } from '../../../platform/clock.js';
import type { Logger } from '../../../platform/logger.js';
import type { Connection, ConnectionRepository, TokenSet } from '../db/connection-repository.js';
import { requiredScopes, type ProviderMetadata } from '../provider.js';
import { createOAuthClient, type OAuthClient } from './oauth-client.js';
import { isOAuthError, ReauthRequiredError } from './oauth-errors.js';
import { toTokenSet } from './token-response.js';

export interface TokenManagerOptions {
  meta: ProviderMetadata;
  repo: ConnectionRepository;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
}

/** What a BQE API call needs: the bearer token and the tenant's API base it is valid for. */
export interface AccessGrant {
  token: string;
  apiBaseUrl: string;
}

export interface TokenCallOptions {
  log?: Logger;
  /** Stops this caller waiting; a refresh other callers share carries on. */
  signal?: AbortSignal;
}

export type RefreshReason = 'expiry' | 'unauthorized';

export interface RefreshOptions extends TokenCallOptions {
  reason: RefreshReason;
  /** The access token BQE just answered 401 to; if it was already replaced, the new one is used as is. */
  rejectedToken?: string;
}

/** OAuth errors on refresh that no retry can fix: an admin has to sign in (or fix the app) again. */
const SIGN_IN_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'invalid_scope']);

const grantOf = (tokens: TokenSet): AccessGrant => ({ token: tokens.accessToken, apiBaseUrl: tokens.apiBaseUrl });

const untilAborted = <T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
};

/**
 * Access tokens for BQE connections: renewed a little before they expire and after a 401, with one
 * refresh in flight per connection however many jobs ask at once. A refresh BQE refuses for good marks
 * the connection needs_reauth (tokens kept, so the admin sees why) and no further BQE call is made for it.
 */
export const createTokenManager = (options: TokenManagerOptions) => {
  const { meta, repo, clock } = options;
  const oauth: OAuthClient = createOAuthClient({ meta, logger: options.logger, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const refreshMarginMs = meta.oauth.refreshBeforeExpirySeconds * 1000;
  const inFlight = new Map<number, Promise<AccessGrant>>();

  const fresh = (tokens: TokenSet): boolean => tokens.expiresAt - refreshMarginMs > clock.now();

  /** The connection, if it may call BQE; otherwise the reason an admin has to act, without asking BQE. */
  const usable = (connectionId: number): Connection => {
    const connection = repo.get(connectionId);
    if (!connection) throw notFound(`BQE connection ${connectionId} does not exist (it may have been deleted).`);
    if (connection.status === 'connected') return connection;
    const fallback: Record<Exclude<Connection['status'], 'connected'>, string> = {
      not_connected: 'it is not connected to BQE yet. Use Connect with BQE to sign in.',
      needs_reauth: 'BQE refused its stored tokens. Reconnect OAuth to sign in again.',
      needs_consent: 'the scopes Switchyard needs have changed since it was authorised. Reconnect OAuth to grant them.',
    };
    const reason = connection.statusReason ?? fallback[connection.status];
    throw new ReauthRequiredError(`BQE connection “${connection.name}” cannot call BQE: ${reason}`, { connectionId, connectionStatus: connection.status });
  };

  const needsReauth = (connectionId: number, reason: string, log: Logger, cause?: unknown): ReauthRequiredError => {
    repo.setStatus(connectionId, 'needs_reauth', reason, clock.now());
    log.warn({ connection: connectionId }, 'bqe connection needs reauthorization');
    return new ReauthRequiredError(reason, { connectionId, connectionStatus: 'needs_reauth', ...(cause === undefined ? {} : { cause }) });
  };

  const runRefresh = async (connection: Connection, current: TokenSet | undefined, reason: RefreshReason, log: Logger): Promise<AccessGrant> => {
    const id = connection.id;
    if (!current) throw needsReauth(id, 'No BQE tokens are stored for this connection. Reconnect OAuth to sign in again.', log);
    if (!current.refreshToken) {
      throw needsReauth(id, 'BQE gave this connection no refresh token (the offline_access scope was not granted), so its access token cannot be renewed. Reconnect OAuth to sign in again.', log);
    }
    const clientSecret = repo.clientSecret(id);
    if (clientSecret === undefined) throw notFound(`BQE connection ${id} does not exist (it may have been deleted).`);
    let set: TokenSet;
    try {
      const grant = await oauth.refresh({ identityUrl: connection.identityUrl, clientId: connection.clientId, clientSecret, refreshToken: current.refreshToken }, { log });
      set = toTokenSet(grant, clock.now(), { scopes: current.scopes, apiBaseUrl: current.apiBaseUrl, refreshToken: current.refreshToken });
    } catch (err) {
      const final = err instanceof ReauthRequiredError || (isOAuthError(err) && SIGN_IN_ERRORS.has(err.oauthError));
      if (!final) throw err;
      // An admin may have reconnected while this refresh was out; the new tokens are not the refused ones.
      const now = repo.tokens(id);
      if (now && now.refreshToken !== current.refreshToken && repo.get(id)?.status === 'connected') return grantOf(now);
      throw needsReauth(id, (err as Error).message, log, err);
    }
    repo.saveTokens(id, set, clock.now(), { connected: false });
    log.info({ connection: id, reason }, 'bqe token refreshed');
    return grantOf(set);
  };

  /**
   * Single flight: a refresh already running for the connection is joined, and a caller whose rejected
   * token was already replaced (or whose expiring token was already renewed) gets the stored one.
   */
  const refresh = (connectionId: number, opts: RefreshOptions): Promise<AccessGrant> => {
    const running = inFlight.get(connectionId);
    if (running) return untilAborted(running, opts.signal);
    let connection: Connection;
    try {
      connection = usable(connectionId);
    } catch (err) {
      return Promise.reject(err);
    }
    const current = repo.tokens(connectionId);
    if (current && fresh(current) && (opts.reason === 'expiry' || (opts.rejectedToken !== undefined && current.accessToken !== opts.rejectedToken))) {
      return Promise.resolve(grantOf(current));
    }
    const work = runRefresh(connection, current, opts.reason, opts.log ?? options.logger).finally(() => {
      if (inFlight.get(connectionId) === work) inFlight.delete(connectionId);
    });
    inFlight.set(connectionId, work);
    return untilAborted(work, opts.signal);
  };

  return {
    /** A token good for at least refreshBeforeExpirySeconds more, refreshed first if it is not. */
    async accessToken(connectionId: number, opts: TokenCallOptions = {}): Promise<AccessGrant> {
      usable(connectionId);
      const current = repo.tokens(connectionId);
      if (current && fresh(current) && !inFlight.has(connectionId)) return grantOf(current);
      return refresh(connectionId, { ...opts, reason: 'expiry' });
    },

    refresh,

    /**
     * The callback's code traded for a token set to store. Scopes default to what Switchyard asks for,
     * which is what an omitted `scope` means (RFC 6749 §5.1).
     */
    async exchangeCode(connection: Connection, input: { code: string; verifier: string; redirectUri: string; scopes?: string[] }, log?: Logger): Promise<TokenSet> {
      const clientSecret = repo.clientSecret(connection.id);
      if (clientSecret === undefined) throw notFound(`BQE connection ${connection.id} does not exist (it may have been deleted).`);
      const grant = await oauth.exchangeCode(
        { identityUrl: connection.identityUrl, clientId: connection.clientId, clientSecret, code: input.code, codeVerifier: input.verifier, redirectUri: input.redirectUri },
        { log: log ?? options.logger },
      );
      return toTokenSet(grant, clock.now(), { scopes: input.scopes ?? requiredScopes(meta) });
    },

    /** Revokes the refresh token (or, without one, the access token) at BQE; nothing stored is changed. */
    async revoke(connectionId: number, log?: Logger): Promise<void> {
      const connection = repo.get(connectionId);
      const tokens = repo.tokens(connectionId);
      const clientSecret = repo.clientSecret(connectionId);
      if (!connection || !tokens || clientSecret === undefined) return;
      await oauth.revoke(
        {
          identityUrl: connection.identityUrl,
          clientId: connection.clientId,
          clientSecret,
          token: tokens.refreshToken ?? tokens.accessToken,
          tokenTypeHint: tokens.refreshToken ? 'refresh_token' : 'access_token',
        },
        { log: log ?? options.logger },
      );
    },
  };
};

export type TokenManager = ReturnType<typeof createTokenManager>;
