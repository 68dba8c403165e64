import { asc, eq, lt } from 'drizzle-orm';
import type { SecretBox } from '../../../platform/secrets.js';
import type { BqeDb } from './plugin-db.js';
import { bqeConnections, bqeOauthStates } from './schema.js';

export type ConnectionStatus = 'not_connected' | 'connected' | 'needs_reauth' | 'needs_consent';
export type Environment = 'production' | 'sandbox' | 'custom';
export type ClientSyncPolicy = 'all' | 'referenced' | 'off';
export type DeletionPolicy = 'mark_deleted' | 'report_only';

/** A connection as services see it: secrets stay sealed; `hasTokens` says whether OAuth completed. */
export interface Connection {
  id: number;
  name: string;
  environment: Environment;
  identityUrl: string;
  clientId: string;
  consentedScopes: string[] | null;
  hasTokens: boolean;
  tokenExpiresAt: number | null;
  apiBaseUrl: string | null;
  utcOffsetMinutes: number | null;
  status: ConnectionStatus;
  statusReason: string | null;
  syncEnabled: boolean;
  parentOnly: boolean;
  maxProjectLevel: number | null;
  clientSync: ClientSyncPolicy;
  deletionPolicy: DeletionPolicy;
  connectedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number;
  apiBaseUrl: string;
  scopes: string[];
}

export interface NewConnection {
  name: string;
  environment: Environment;
  identityUrl: string;
  clientId: string;
  clientSecret: string;
  utcOffsetMinutes: number | null;
}

export type ConnectionSettings = Partial<Pick<Connection, 'name' | 'environment' | 'identityUrl' | 'clientId' | 'syncEnabled' | 'parentOnly' | 'maxProjectLevel' | 'clientSync' | 'deletionPolicy'>> & { clientSecret?: string };

export interface PendingAuthorization {
  connectionId: number;
  codeVerifier: string;
  redirectUri: string;
  scopes: string[];
  createdBy: string;
  expiresAt: number;
}

type Row = typeof bqeConnections.$inferSelect;

const splitScopes = (value: string | null): string[] | null => (value === null ? null : value.split(' ').filter(Boolean));

const toConnection = (row: Row): Connection => ({
  id: row.id,
  name: row.name,
  environment: row.environment as Environment,
  identityUrl: row.identityUrl,
  clientId: row.clientId,
  consentedScopes: splitScopes(row.consentedScopes),
  hasTokens: row.accessTokenSealed !== null,
  tokenExpiresAt: row.tokenExpiresAt,
  apiBaseUrl: row.apiBaseUrl,
  utcOffsetMinutes: row.utcOffsetMinutes,
  status: row.status as ConnectionStatus,
  statusReason: row.statusReason,
  syncEnabled: row.syncEnabled,
  parentOnly: row.parentOnly,
  maxProjectLevel: row.maxProjectLevel,
  clientSync: row.clientSync as ClientSyncPolicy,
  deletionPolicy: row.deletionPolicy as DeletionPolicy,
  connectedAt: row.connectedAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/**
 * BQE connections and their OAuth material. The only place that seals and
 * unseals a connection's secrets, so nothing else ever sees a stored token.
 */
export const createConnectionRepository = (db: BqeDb, box: SecretBox) => {
  const row = (id: number): Row | undefined => db.select().from(bqeConnections).where(eq(bqeConnections.id, id)).get();

  return {
    list(): Connection[] {
      return db.select().from(bqeConnections).orderBy(asc(bqeConnections.name)).all().map(toConnection);
    },

    get(id: number): Connection | undefined {
      const found = row(id);
      return found ? toConnection(found) : undefined;
    },

    findByName(name: string): Connection | undefined {
      const found = db.select().from(bqeConnections).where(eq(bqeConnections.name, name)).get();
      return found ? toConnection(found) : undefined;
    },

    create(input: NewConnection, now: number): Connection {
      const created = db
        .insert(bqeConnections)
        .values({
          name: input.name,
          environment: input.environment,
          identityUrl: input.identityUrl,
          clientId: input.clientId,
          clientSecretSealed: box.encrypt(input.clientSecret),
          utcOffsetMinutes: input.utcOffsetMinutes,
          status: 'not_connected',
          syncEnabled: true,
          parentOnly: false,
          maxProjectLevel: null,
          clientSync: 'all',
          deletionPolicy: 'mark_deleted',
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();
      return toConnection(created);
    },

    update(id: number, changes: ConnectionSettings, now: number): void {
      const { clientSecret, ...plain } = changes;
      db.update(bqeConnections)
        .set({ ...plain, ...(clientSecret ? { clientSecretSealed: box.encrypt(clientSecret) } : {}), updatedAt: now })
        .where(eq(bqeConnections.id, id))
        .run();
    },

    setUtcOffset(id: number, minutes: number, now: number): void {
      db.update(bqeConnections).set({ utcOffsetMinutes: minutes, updatedAt: now }).where(eq(bqeConnections.id, id)).run();
    },

    setStatus(id: number, status: ConnectionStatus, reason: string | null, now: number): void {
      db.update(bqeConnections).set({ status, statusReason: reason, updatedAt: now }).where(eq(bqeConnections.id, id)).run();
    },

    remove(id: number): boolean {
      return db.delete(bqeConnections).where(eq(bqeConnections.id, id)).run().changes > 0;
    },

    clientSecret(id: number): string | undefined {
      const found = row(id);
      return found ? box.decrypt(found.clientSecretSealed) : undefined;
    },

    tokens(id: number): TokenSet | undefined {
      const found = row(id);
      if (!found?.accessTokenSealed || found.tokenExpiresAt === null || found.apiBaseUrl === null) return undefined;
      return {
        accessToken: box.decrypt(found.accessTokenSealed),
        refreshToken: found.refreshTokenSealed ? box.decrypt(found.refreshTokenSealed) : null,
        expiresAt: found.tokenExpiresAt,
        apiBaseUrl: found.apiBaseUrl,
        scopes: splitScopes(found.consentedScopes) ?? [],
      };
    },

    /** Stores a token response; `connected` marks a completed consent (code exchange), not a refresh. */
    saveTokens(id: number, tokens: TokenSet, now: number, options: { connected: boolean }): void {
      db.update(bqeConnections)
        .set({
          accessTokenSealed: box.encrypt(tokens.accessToken),
          refreshTokenSealed: tokens.refreshToken ? box.encrypt(tokens.refreshToken) : null,
          tokenExpiresAt: tokens.expiresAt,
          apiBaseUrl: tokens.apiBaseUrl,
          consentedScopes: tokens.scopes.join(' '),
          status: 'connected',
          statusReason: null,
          ...(options.connected ? { connectedAt: now } : {}),
          updatedAt: now,
        })
        .where(eq(bqeConnections.id, id))
        .run();
    },

    /** Forgets the tokens (revoked or disconnected); the connection must be authorised again. */
    clearTokens(id: number, status: ConnectionStatus, reason: string | null, now: number): void {
      db.update(bqeConnections)
        .set({ accessTokenSealed: null, refreshTokenSealed: null, tokenExpiresAt: null, status, statusReason: reason, updatedAt: now })
        .where(eq(bqeConnections.id, id))
        .run();
    },

    savePendingAuthorization(stateHash: string, pending: PendingAuthorization, now: number): void {
      db.delete(bqeOauthStates).where(lt(bqeOauthStates.expiresAt, now)).run();
      db.insert(bqeOauthStates)
        .values({
          stateHash,
          connectionId: pending.connectionId,
          codeVerifierSealed: box.encrypt(pending.codeVerifier),
          redirectUri: pending.redirectUri,
          scopes: pending.scopes.join(' '),
          createdBy: pending.createdBy,
          createdAt: now,
          expiresAt: pending.expiresAt,
        })
        .run();
    },

    /** Returns and deletes the pending authorization: a state value works once. */
    takePendingAuthorization(stateHash: string): PendingAuthorization | undefined {
      const found = db.select().from(bqeOauthStates).where(eq(bqeOauthStates.stateHash, stateHash)).get();
      if (!found) return undefined;
      db.delete(bqeOauthStates).where(eq(bqeOauthStates.stateHash, stateHash)).run();
      return {
        connectionId: found.connectionId,
        codeVerifier: box.decrypt(found.codeVerifierSealed),
        redirectUri: found.redirectUri,
        scopes: found.scopes.split(' ').filter(Boolean),
        createdBy: found.createdBy,
        expiresAt: found.expiresAt,
      };
    },
  };
};

export type ConnectionRepository = ReturnType<typeof createConnectionRepository>;
