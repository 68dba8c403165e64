import type { RunInTransaction } from '../../../db/transaction.js';
import { AppError, conflict, notFound, validationError } from '../../../errors.js';
import { assertRole, type Actor } from '../../../platform/actor.js';
import type { AuditService } from '../../../platform/audit.js';
import type { Clock } from '../../../platform/clock.js';
import type { Logger } from '../../../platform/logger.js';
import type { Connection, ConnectionRepository, TokenSet } from '../db/connection-repository.js';
import { requiredScopes, type ProviderMetadata } from '../provider.js';
import { checkConsent, type ConsentCheck } from './consent.js';
import { parseConnectionInput, parseSyncPolicy, parseUtcOffset } from './connection-input.js';

/** The OAuth steps the service needs; the engine wires them to the oauth module. */
export interface OAuthSteps {
  newAuthorization(): { state: string; stateHash: string; verifier: string; challenge: string };
  hashState(state: string): string;
  authorizeUrl(connection: Connection, input: { state: string; challenge: string; redirectUri: string; scopes: string[] }): string;
  exchangeCode(connection: Connection, input: { code: string; verifier: string; redirectUri: string }, log: Logger): Promise<TokenSet>;
  revoke(connectionId: number, log: Logger): Promise<void>;
}

export interface ProbeResult {
  sampleCount: number;
  ms: number;
}

export interface ConnectionServiceDeps {
  meta: ProviderMetadata;
  repo: ConnectionRepository;
  oauth: OAuthSteps;
  /** Calls BQE's activity and project probes for the connection. */
  probe(connection: Connection, log: Logger): Promise<ProbeResult>;
  /** The next sync of every object of the connection starts from scratch (a changed offset shifts BQE's timestamps). */
  resetCursors(connectionId: number): void;
  audit: AuditService;
  tx: RunInTransaction;
  clock: Clock;
  /** HUB_BASE_URL: BQE sends the browser back here, so it must match the app's registered redirect URI exactly. */
  baseUrl: string;
  logger: Logger;
}

export interface TestResult {
  ok: boolean;
  message: string;
  sampleCount?: number;
  ms?: number;
}

export const CALLBACK_PATH = '/admin/bqe/oauth/callback';

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Connections: create and edit them, authorise them with OAuth (PKCE), set
 * the UTC offset and sync policy, and test them. Every change is audited;
 * secrets are sealed by the repository and never reach the audit trail.
 */
export const createConnectionService = (deps: ConnectionServiceDeps) => {
  const now = () => deps.clock.now();
  const redirectUri = `${deps.baseUrl}${CALLBACK_PATH}`;
  const audited = (c: Connection) => ({ name: c.name, environment: c.environment, identityUrl: c.identityUrl, clientId: c.clientId, utcOffsetMinutes: c.utcOffsetMinutes, syncEnabled: c.syncEnabled, parentOnly: c.parentOnly, maxProjectLevel: c.maxProjectLevel, clientSync: c.clientSync, deletionPolicy: c.deletionPolicy });

  const require = (id: number): Connection => {
    const connection = deps.repo.get(id);
    if (!connection) throw notFound(`BQE connection ${id} does not exist (it may have been deleted).`);
    return connection;
  };
  const nameTaken = (name: string, exceptId?: number) => {
    const other = deps.repo.findByName(name);
    return other !== undefined && other.id !== exceptId;
  };

  /** Why the connection cannot sync right now, or null when it can. */
  const syncBlocker = (connection: Connection): string | null => {
    if (connection.status === 'not_connected') return 'Not authorised yet: use Connect with BQE.';
    if (connection.status === 'needs_reauth') return connection.statusReason ?? 'BQE refused the stored tokens: use Reconnect OAuth.';
    if (connection.status === 'needs_consent') return connection.statusReason ?? 'The requested scopes changed: use Reconnect OAuth.';
    if (connection.utcOffsetMinutes === null) return 'No UTC offset is set, so BQE dates cannot be read correctly: set it in the UTC offset card.';
    return null;
  };

  return {
    redirectUri,
    list: (): Connection[] => deps.repo.list(),
    get: (id: number): Connection | undefined => deps.repo.get(id),
    require,
    consent: (connection: Connection): ConsentCheck => checkConsent(deps.meta, connection.consentedScopes),
    syncBlocker,

    create(actor: Actor, raw: unknown): Connection {
      assertRole(actor, 'admin', 'add BQE connections');
      const input = parseConnectionInput(raw, deps.meta, { secretRequired: true });
      if (nameTaken(input.name)) throw validationError('The connection has problems; nothing was saved.', { name: `A connection named “${input.name}” already exists.` });
      return deps.tx(() => {
        const created = deps.repo.create({ ...input, clientSecret: input.clientSecret as string }, now());
        deps.audit.record(actor, { action: 'bqe.connection.create', targetType: 'bqe_connection', targetId: created.id, after: { ...audited(created), clientSecret: '[changed]' } });
        return created;
      });
    },

    /** Edits name and credentials; a blank secret keeps the stored one. A changed client or identity server needs a new consent. */
    update(actor: Actor, id: number, raw: unknown): Connection {
      assertRole(actor, 'admin', 'change BQE connections');
      const before = require(id);
      const input = parseConnectionInput(raw, deps.meta, { secretRequired: false });
      if (nameTaken(input.name, id)) throw validationError('The connection has problems; nothing was saved.', { name: `A connection named “${input.name}” already exists.` });
      const reauthorize = before.hasTokens && (input.clientId !== before.clientId || input.identityUrl !== before.identityUrl);
      return deps.tx(() => {
        deps.repo.update(id, { name: input.name, environment: input.environment, identityUrl: input.identityUrl, clientId: input.clientId, ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}) }, now());
        if (input.utcOffsetMinutes !== null && input.utcOffsetMinutes !== before.utcOffsetMinutes) {
          deps.repo.setUtcOffset(id, input.utcOffsetMinutes, now());
          deps.resetCursors(id);
        }
        if (reauthorize) deps.repo.clearTokens(id, 'not_connected', 'The client ID or identity server changed, so the old tokens no longer apply: connect again.', now());
        const after = require(id);
        deps.audit.record(actor, { action: 'bqe.connection.update', targetType: 'bqe_connection', targetId: id, before: audited(before), after: { ...audited(after), ...(input.clientSecret ? { clientSecret: '[changed]' } : {}) } });
        return after;
      });
    },

    remove(actor: Actor, id: number): void {
      assertRole(actor, 'admin', 'delete BQE connections');
      const before = require(id);
      deps.tx(() => {
        deps.repo.remove(id);
        deps.audit.record(actor, { action: 'bqe.connection.delete', targetType: 'bqe_connection', targetId: id, before: audited(before) });
      });
    },

    /** Saves the X-UTC-OFFSET minutes. A change restarts the delta cursors, since every BQE timestamp moves with it. */
    saveUtcOffset(actor: Actor, id: number, raw: unknown): { connection: Connection; cursorsReset: boolean } {
      assertRole(actor, 'admin', 'change the UTC offset');
      const before = require(id);
      const minutes = parseUtcOffset(raw, deps.meta);
      const changed = minutes !== before.utcOffsetMinutes;
      deps.tx(() => {
        deps.repo.setUtcOffset(id, minutes, now());
        // A first offset has no cursor to move; a changed one would make the next delta skip or repeat hours.
        if (changed && before.utcOffsetMinutes !== null) deps.resetCursors(id);
        deps.audit.record(actor, { action: 'bqe.connection.utc_offset', targetType: 'bqe_connection', targetId: id, before: { utcOffsetMinutes: before.utcOffsetMinutes }, after: { utcOffsetMinutes: minutes } });
      });
      return { connection: require(id), cursorsReset: changed && before.utcOffsetMinutes !== null };
    },

    saveSyncPolicy(actor: Actor, id: number, raw: unknown): Connection {
      assertRole(actor, 'admin', 'change BQE sync settings');
      const before = require(id);
      const policy = parseSyncPolicy(raw, deps.meta);
      return deps.tx(() => {
        deps.repo.update(id, policy, now());
        const after = require(id);
        deps.audit.record(actor, { action: 'bqe.connection.sync_policy', targetType: 'bqe_connection', targetId: id, before: audited(before), after: audited(after) });
        return after;
      });
    },

    /** Starts OAuth: stores a one-time state with its PKCE verifier and returns BQE's consent URL. */
    startAuthorization(actor: Actor, id: number): string {
      assertRole(actor, 'admin', 'connect BQE');
      const connection = require(id);
      const auth = deps.oauth.newAuthorization();
      const scopes = requiredScopes(deps.meta);
      deps.repo.savePendingAuthorization(auth.stateHash, { connectionId: id, codeVerifier: auth.verifier, redirectUri, scopes, createdBy: actor.email, expiresAt: now() + deps.meta.oauth.stateTtlSeconds * 1000 }, now());
      deps.audit.record(actor, { action: 'bqe.connection.authorize', targetType: 'bqe_connection', targetId: id });
      return deps.oauth.authorizeUrl(connection, { state: auth.state, challenge: auth.challenge, redirectUri, scopes });
    },

    /**
     * BQE's redirect back: the state must be one we issued, unused and not
     * expired; then the code is exchanged (with the PKCE verifier) and the
     * tokens and tenant endpoint stored.
     */
    async completeAuthorization(actor: Actor, query: Record<string, string | undefined>, log: Logger): Promise<Connection> {
      assertRole(actor, 'admin', 'connect BQE');
      const state = query.state?.trim();
      if (!state) throw new AppError(400, 'bqe_oauth_state_missing', 'BQE sent you back without a state value, so Switchyard cannot tell which connection this was for. Start again with Connect with BQE.');
      const pending = deps.repo.takePendingAuthorization(deps.oauth.hashState(state));
      if (!pending) throw new AppError(400, 'bqe_oauth_state_invalid', 'This sign-in link is not one Switchyard started, or it was already used. Start again with Connect with BQE.');
      if (pending.expiresAt < now()) throw new AppError(400, 'bqe_oauth_state_expired', `The sign-in took longer than ${Math.round(deps.meta.oauth.stateTtlSeconds / 60)} minutes and expired. Start again with Connect with BQE.`);
      const connection = require(pending.connectionId);
      if (query.error) {
        const detail = query.error === 'access_denied' ? 'consent was declined in BQE' : `BQE answered “${query.error}”${query.error_description ? `: ${query.error_description}` : ''}`;
        throw new AppError(400, 'bqe_oauth_denied', `Connecting “${connection.name}” did not finish: ${detail}. Nothing was changed.`);
      }
      const code = query.code?.trim();
      if (!code) throw new AppError(400, 'bqe_oauth_code_missing', `BQE sent you back without an authorization code, so “${connection.name}” was not connected. Start again with Connect with BQE.`);
      let tokens: TokenSet;
      try {
        tokens = await deps.oauth.exchangeCode(connection, { code, verifier: pending.codeVerifier, redirectUri: pending.redirectUri }, log);
      } catch (err) {
        log.warn({ connection: connection.id, error: describe(err) }, 'bqe code exchange failed');
        throw new AppError(502, 'bqe_oauth_exchange_failed', `BQE did not accept the sign-in for “${connection.name}”: ${describe(err)}`, { cause: err });
      }
      const missing = requiredScopes(deps.meta).filter((s) => !tokens.scopes.includes(s));
      deps.tx(() => {
        deps.repo.saveTokens(connection.id, tokens, now(), { connected: true });
        if (missing.length) deps.repo.setStatus(connection.id, 'needs_consent', `BQE granted only ${tokens.scopes.join(', ') || 'no scopes'}; Switchyard needs ${missing.join(' and ')} too. Check the app's allowed scopes in the BQE developer portal, then Reconnect OAuth.`, now());
        deps.audit.record(actor, { action: 'bqe.connection.connected', targetType: 'bqe_connection', targetId: connection.id, after: { scopes: tokens.scopes, apiBaseUrl: tokens.apiBaseUrl } });
      });
      return require(connection.id);
    },

    /** Revokes the refresh token at BQE (best effort) and forgets the tokens. */
    async disconnect(actor: Actor, id: number, log: Logger): Promise<Connection> {
      assertRole(actor, 'admin', 'disconnect BQE');
      const connection = require(id);
      if (!connection.hasTokens) throw conflict(`“${connection.name}” is not connected.`);
      try {
        await deps.oauth.revoke(id, log);
      } catch (err) {
        log.warn({ connection: id, error: describe(err) }, 'bqe token revocation failed; forgetting the tokens anyway');
      }
      deps.tx(() => {
        deps.repo.clearTokens(id, 'not_connected', 'Disconnected by an admin.', now());
        deps.audit.record(actor, { action: 'bqe.connection.disconnect', targetType: 'bqe_connection', targetId: id });
      });
      return require(id);
    },

    /** One activity probe and one project sample: proves the token, the offset and read access. */
    async test(id: number, log: Logger): Promise<TestResult> {
      const connection = require(id);
      const blocker = syncBlocker(connection);
      if (blocker) return { ok: false, message: blocker };
      try {
        const { sampleCount, ms } = await deps.probe(connection, log);
        return { ok: true, sampleCount, ms, message: `Connected to BQE Core: sampleCount ${sampleCount} (project${sampleCount === 1 ? '' : 's'} in the sample), answered in ${ms} ms.` };
      } catch (err) {
        return { ok: false, message: describe(err) };
      }
    },

    /** At start: a connection whose consented scopes differ from provider.json is marked for re-consent. */
    markConsentChanges(): number {
      let marked = 0;
      for (const connection of deps.repo.list()) {
        if (connection.status !== 'connected') continue;
        const check = checkConsent(deps.meta, connection.consentedScopes);
        if (!check.needed) continue;
        deps.repo.setStatus(connection.id, 'needs_consent', check.reason, now());
        deps.logger.warn({ connection: connection.id, added: check.added, removed: check.removed }, 'bqe connection needs new consent');
        marked++;
      }
      return marked;
    },
  };
};

export type ConnectionService = ReturnType<typeof createConnectionService>;
