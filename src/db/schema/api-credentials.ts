import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Credentials for /api/v1. An HMAC secret must be recomputed to check a
 * signature, so it is sealed (encrypted); a Bearer token only has to be
 * recognised, so only its SHA-256 is kept. A rotation keeps the previous
 * secret as the secondary until it is retired or expires.
 */
export const apiCredentials = sqliteTable(
  'api_credentials',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    clientId: text('client_id').notNull(),
    name: text('name').notNull(),
    /** hmac | bearer */
    type: text('type').notNull(),
    /** JSON string[] of scope names. */
    scopes: text('scopes').notNull(),
    /** JSON string[] of IPv4/IPv6 addresses or CIDR blocks; empty means any address (HMAC only). */
    allowedIps: text('allowed_ips').notNull(),
    /** active | revoked */
    status: text('status').notNull(),
    secretSealed: text('secret_sealed'),
    secretHash: text('secret_hash'),
    secondarySecretSealed: text('secondary_secret_sealed'),
    secondarySecretHash: text('secondary_secret_hash'),
    secondaryExpiresAt: integer('secondary_expires_at'),
    rateLimitPerMinute: integer('rate_limit_per_minute').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    rotatedAt: integer('rotated_at'),
    lastUsedAt: integer('last_used_at'),
    lastUsedIp: text('last_used_ip'),
    revokedAt: integer('revoked_at'),
    revokedBy: text('revoked_by'),
  },
  (t) => [uniqueIndex('api_credentials_client_idx').on(t.clientId), index('api_credentials_hash_idx').on(t.secretHash), index('api_credentials_secondary_hash_idx').on(t.secondarySecretHash)],
);

/** HMAC nonces seen inside the timestamp window: each is accepted once, then refused until it expires. */
export const apiNonces = sqliteTable(
  'api_nonces',
  {
    clientId: text('client_id').notNull(),
    nonce: text('nonce').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.nonce] }), index('api_nonces_expiry_idx').on(t.expiresAt)],
);
