import crypto from 'node:crypto';
import type { ApiCredentialRepository, ApiCredentialRow } from '../../db/repositories/api-credential-repository.js';
import type { ApiNonceRepository } from '../../db/repositories/api-nonce-repository.js';
import type { RunInTransaction } from '../../db/transaction.js';
import { conflict, notFound } from '../../errors.js';
import { assertRole, type Actor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { generateBearerToken, hashBearerToken } from './bearer-token.js';
import { parseCredentialInput, type ApiCredentialType, type RawApiCredentialInput } from './credential-input.js';
import { API_AUTH_POLICY, type ApiAuthPolicy } from './credential-policy.js';
import { generateHmacSecret } from './hmac-signature.js';
import { isApiScope, type ApiScope } from './scopes.js';

/** Encrypts and decrypts at rest; the platform's SecretBox. */
export interface SecretSealer {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
}

/** A credential as pages, the CLI and the API show it: never a secret, a hash or a sealed value. */
export interface ApiCredentialView {
  id: number;
  clientId: string;
  name: string;
  type: ApiCredentialType;
  scopes: ApiScope[];
  allowedIps: string[];
  status: 'active' | 'revoked';
  rateLimitPerMinute: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  rotatedAt: number | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  /** True while the previous secret from a rotation still works. */
  hasSecondary: boolean;
  /** When that previous secret stops working; null when there is none. */
  secondaryExpiresAt: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
}

/** A credential with its secret, returned once by create and rotate and never again. */
export interface IssuedCredential {
  credential: ApiCredentialView;
  secret: string;
}

export interface ApiCredentialServiceDeps {
  repo: ApiCredentialRepository;
  nonces: ApiNonceRepository;
  box: SecretSealer;
  audit: AuditService;
  tx: RunInTransaction;
  clock: Clock;
  policy?: ApiAuthPolicy;
}

const TARGET = 'api_credential';

/** Client ids are not secret; 80 random bits keep them unguessable and unique without a retry loop. */
const generateClientId = (): string => `sy_${crypto.randomBytes(10).toString('hex')}`;

/** A stored scope the code no longer knows grants nothing, so it is dropped on read. */
export const parseScopes = (json: string): ApiScope[] => (JSON.parse(json) as string[]).filter(isApiScope);
export const parseAllowedIps = (json: string): string[] => JSON.parse(json) as string[];

/** The previous secret counts only until it expires or is retired (retiring sets its expiry to that moment). */
export const secondaryIsActive = (row: ApiCredentialRow, now: number): boolean =>
  row.secondaryExpiresAt !== null && row.secondaryExpiresAt > now && (row.secondarySecretSealed !== null || row.secondarySecretHash !== null);

export const toCredentialView = (row: ApiCredentialRow, now: number): ApiCredentialView => {
  const hasSecondary = row.status === 'active' && secondaryIsActive(row, now);
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    type: row.type as ApiCredentialType,
    scopes: parseScopes(row.scopes),
    allowedIps: parseAllowedIps(row.allowedIps),
    status: row.status as 'active' | 'revoked',
    rateLimitPerMinute: row.rateLimitPerMinute,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    rotatedAt: row.rotatedAt,
    lastUsedAt: row.lastUsedAt,
    lastUsedIp: row.lastUsedIp,
    hasSecondary,
    secondaryExpiresAt: hasSecondary ? row.secondaryExpiresAt : null,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedBy,
  };
};

/**
 * Creating, rotating, retiring and revoking API credentials. Each change is
 * admin-only, runs in one transaction with its audit entry, and hands a new
 * secret back exactly once; only a sealed secret (HMAC) or a hash (Bearer)
 * is stored (ADR 17).
 */
export const createApiCredentialService = (deps: ApiCredentialServiceDeps) => {
  const { repo, box, audit, tx, clock } = deps;
  const policy = deps.policy ?? API_AUTH_POLICY;

  const issue = (type: ApiCredentialType): { secret: string; sealed: string | null; hash: string | null } => {
    if (type === 'hmac') {
      const secret = generateHmacSecret();
      return { secret, sealed: box.encrypt(secret), hash: null };
    }
    const secret = generateBearerToken();
    return { secret, sealed: null, hash: hashBearerToken(secret) };
  };

  const activeRow = (clientId: string, what: string): ApiCredentialRow => {
    const row = repo.findByClientId(clientId);
    if (!row) throw notFound(`No API credential has the client id ${clientId}.`);
    if (row.status === 'revoked') throw conflict(`Credential ${clientId} is revoked and cannot ${what}; create a new one instead.`);
    return row;
  };

  const updated = (row: ApiCredentialRow | undefined, clientId: string): ApiCredentialRow => {
    if (!row) throw notFound(`No API credential has the client id ${clientId}.`);
    return row;
  };

  return {
    create(actor: Actor, raw: RawApiCredentialInput): IssuedCredential {
      assertRole(actor, 'admin', 'create API credentials');
      const input = parseCredentialInput(raw, policy);
      const now = clock.now();
      const { secret, sealed, hash } = issue(input.type);
      const row = tx(() => {
        const inserted = repo.insert({
          clientId: generateClientId(),
          name: input.name,
          type: input.type,
          scopes: JSON.stringify(input.scopes),
          allowedIps: JSON.stringify(input.allowedIps),
          status: 'active',
          secretSealed: sealed,
          secretHash: hash,
          rateLimitPerMinute: input.rateLimitPerMinute,
          createdBy: actor.email,
          createdAt: now,
          updatedAt: now,
        });
        audit.record(actor, {
          action: 'api.credential.create',
          targetType: TARGET,
          targetId: inserted.clientId,
          after: { name: input.name, type: input.type, scopes: input.scopes, allowedIps: input.allowedIps, rateLimitPerMinute: input.rateLimitPerMinute },
        });
        return inserted;
      });
      return { credential: toCredentialView(row, now), secret };
    },

    list(): ApiCredentialView[] {
      const now = clock.now();
      return repo.list().map((row) => toCredentialView(row, now));
    },

    get(clientId: string): ApiCredentialView | undefined {
      const row = repo.findByClientId(clientId);
      return row ? toCredentialView(row, clock.now()) : undefined;
    },

    /** A new secret; the one it replaces keeps working for the overlap so clients can switch without downtime. */
    rotate(actor: Actor, clientId: string): IssuedCredential {
      assertRole(actor, 'admin', 'rotate API credentials');
      const now = clock.now();
      const expiresAt = now + policy.rotationOverlapMs;
      let secret = '';
      const row = tx(() => {
        const current = activeRow(clientId, 'be rotated');
        const issued = issue(current.type as ApiCredentialType);
        secret = issued.secret;
        const next = repo.update(current.id, {
          secretSealed: issued.sealed,
          secretHash: issued.hash,
          secondarySecretSealed: current.secretSealed,
          secondarySecretHash: current.secretHash,
          secondaryExpiresAt: expiresAt,
          rotatedAt: now,
          updatedAt: now,
        });
        audit.record(actor, { action: 'api.credential.rotate', targetType: TARGET, targetId: clientId, after: { previousValidUntil: new Date(expiresAt).toISOString() } });
        return updated(next, clientId);
      });
      return { credential: toCredentialView(row, now), secret };
    },

    /** Ends the previous secret now instead of at the end of the overlap. */
    retireSecondary(actor: Actor, clientId: string): ApiCredentialView {
      assertRole(actor, 'admin', 'retire API secrets');
      const now = clock.now();
      const row = tx(() => {
        const current = activeRow(clientId, 'retire a secret');
        if (!secondaryIsActive(current, now)) throw conflict(`Credential ${clientId} has no previous secret in use; there is nothing to retire.`);
        const next = repo.update(current.id, { secondaryExpiresAt: now, updatedAt: now });
        audit.record(actor, { action: 'api.credential.retire', targetType: TARGET, targetId: clientId, before: { previousValidUntil: new Date(current.secondaryExpiresAt!).toISOString() } });
        return updated(next, clientId);
      });
      return toCredentialView(row, now);
    },

    /** Stops the credential for good. HMAC secrets are wiped; Bearer hashes stay so the token is answered "revoked". */
    revoke(actor: Actor, clientId: string): ApiCredentialView {
      assertRole(actor, 'admin', 'revoke API credentials');
      const now = clock.now();
      const row = tx(() => {
        const current = activeRow(clientId, 'be revoked again');
        const next = repo.update(current.id, {
          status: 'revoked',
          revokedAt: now,
          revokedBy: actor.email,
          secretSealed: null,
          secondarySecretSealed: null,
          secondaryExpiresAt: current.secondaryExpiresAt === null ? null : Math.min(current.secondaryExpiresAt, now),
          updatedAt: now,
        });
        audit.record(actor, { action: 'api.credential.revoke', targetType: TARGET, targetId: clientId, before: { status: 'active' }, after: { status: 'revoked' } });
        return updated(next, clientId);
      });
      return toCredentialView(row, now);
    },

    /** Upkeep: expired nonces, and previous secrets past the time they are kept to explain a refusal. */
    prune(): { nonces: number; retiredSecrets: number } {
      const now = clock.now();
      return { nonces: deps.nonces.deleteExpired(now), retiredSecrets: repo.clearSecondariesExpiredBefore(now - policy.retiredSecretKeepMs) };
    },
  };
};

export type ApiCredentialService = ReturnType<typeof createApiCredentialService>;
