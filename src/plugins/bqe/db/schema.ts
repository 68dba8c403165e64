import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * One BQE Core tenant authorised through OAuth. Secrets (client secret,
 * tokens) are sealed with the platform SecretBox before they reach a column.
 */
export const bqeConnections = sqliteTable(
  'bqe_connections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** production | sandbox | custom (custom: the identity URL was typed, e.g. the simulator). */
    environment: text('environment').notNull(),
    identityUrl: text('identity_url').notNull(),
    clientId: text('client_id').notNull(),
    clientSecretSealed: text('client_secret_sealed').notNull(),
    /** Space-separated scopes BQE granted at the last consent; compared with provider.json to detect re-consent. */
    consentedScopes: text('consented_scopes'),
    accessTokenSealed: text('access_token_sealed'),
    refreshTokenSealed: text('refresh_token_sealed'),
    tokenExpiresAt: integer('token_expires_at'),
    /** The tenant's API base from the token response's `endpoint`, without the trailing slash. */
    apiBaseUrl: text('api_base_url'),
    /** Minutes east of UTC sent as X-UTC-OFFSET; null means the connection cannot sync yet. */
    utcOffsetMinutes: integer('utc_offset_minutes'),
    /** not_connected | connected | needs_reauth | needs_consent */
    status: text('status').notNull(),
    statusReason: text('status_reason'),
    syncEnabled: integer('sync_enabled', { mode: 'boolean' }).notNull(),
    parentOnly: integer('parent_only', { mode: 'boolean' }).notNull(),
    /** Deepest project level mirrored (0 = root only); null mirrors every level. */
    maxProjectLevel: integer('max_project_level'),
    /** all | referenced | off */
    clientSync: text('client_sync').notNull(),
    /** mark_deleted | report_only */
    deletionPolicy: text('deletion_policy').notNull(),
    connectedAt: integer('connected_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('bqe_connections_name_idx').on(t.name)],
);

/** An authorisation in flight: the state value (hashed) and its PKCE verifier, used once. */
export const bqeOauthStates = sqliteTable(
  'bqe_oauth_states',
  {
    stateHash: text('state_hash').primaryKey(),
    connectionId: integer('connection_id')
      .notNull()
      .references(() => bqeConnections.id, { onDelete: 'cascade' }),
    codeVerifierSealed: text('code_verifier_sealed').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    scopes: text('scopes').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('bqe_oauth_states_expiry_idx').on(t.expiresAt)],
);

/** Mirrored upstream projects (BQE today), keyed by the canonical GUID `id`. */
export const integrationExternalLinks = sqliteTable(
  'integration_external_links',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    provider: text('provider').notNull(),
    connectionId: integer('connection_id')
      .notNull()
      .references(() => bqeConnections.id, { onDelete: 'cascade' }),
    objectType: text('object_type').notNull(),
    externalId: text('external_id').notNull(),
    /** The numeric id this record had before BQE ids became GUIDs; kept so old references still resolve. */
    legacyExternalId: text('legacy_external_id'),
    name: text('name').notNull(),
    code: text('code'),
    status: integer('status'),
    parentExternalId: text('parent_external_id'),
    rootExternalId: text('root_external_id'),
    level: integer('level'),
    clientExternalId: text('client_external_id'),
    /** BQE's lastUpdated as sent (naive local time in the connection's offset). */
    lastUpdated: text('last_updated'),
    /** JSON: the record as BQE sent it. */
    payload: text('payload').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    syncedAt: integer('synced_at').notNull(),
    deletedAt: integer('deleted_at'),
    /** The full sweep that last saw the record; rows a finished sweep did not see are gone upstream. */
    seenRunId: integer('seen_run_id'),
  },
  (t) => [
    uniqueIndex('integration_external_links_key_idx').on(t.provider, t.connectionId, t.objectType, t.externalId),
    index('integration_external_links_parent_idx').on(t.connectionId, t.parentExternalId),
    index('integration_external_links_name_idx').on(t.connectionId, t.name),
    index('integration_external_links_legacy_idx').on(t.connectionId, t.objectType, t.legacyExternalId),
  ],
);

/** Mirrored upstream clients (BQE today), keyed by the canonical GUID `id`. */
export const integrationClients = sqliteTable(
  'integration_clients',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    provider: text('provider').notNull(),
    connectionId: integer('connection_id')
      .notNull()
      .references(() => bqeConnections.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    legacyExternalId: text('legacy_external_id'),
    name: text('name').notNull(),
    company: text('company'),
    email: text('email'),
    status: integer('status'),
    lastUpdated: text('last_updated'),
    payload: text('payload').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    syncedAt: integer('synced_at').notNull(),
    deletedAt: integer('deleted_at'),
    seenRunId: integer('seen_run_id'),
  },
  (t) => [
    uniqueIndex('integration_clients_key_idx').on(t.provider, t.connectionId, t.externalId),
    index('integration_clients_name_idx').on(t.connectionId, t.name),
    index('integration_clients_legacy_idx').on(t.connectionId, t.legacyExternalId),
  ],
);

/** Where each connection's sync of one object stands between slices. */
export const bqeSyncCursors = sqliteTable(
  'bqe_sync_cursors',
  {
    connectionId: integer('connection_id')
      .notNull()
      .references(() => bqeConnections.id, { onDelete: 'cascade' }),
    /** project | client */
    object: text('object').notNull(),
    /** Highest lastUpdated committed (naive BQE time); null until the first full run finishes. */
    cursor: text('cursor'),
    /** An admin asked for a full re-sync; the next run walks every page. */
    fullRequested: integer('full_requested', { mode: 'boolean' }).notNull(),
    /** The run a slice continues, and the page it continues from. */
    activeRunId: integer('active_run_id'),
    nextPage: integer('next_page'),
    lastFullSyncAt: integer('last_full_sync_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.object] })],
);

/** One sync of one object for one connection: its counts, progress and outcome. */
export const bqeSyncRuns = sqliteTable(
  'bqe_sync_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    connectionId: integer('connection_id')
      .notNull()
      .references(() => bqeConnections.id, { onDelete: 'cascade' }),
    object: text('object').notNull(),
    /** delta | full */
    mode: text('mode').notNull(),
    /** schedule | manual */
    trigger: text('trigger').notNull(),
    /** running | succeeded | failed */
    status: text('status').notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    pages: integer('pages').notNull(),
    requests: integer('requests').notNull(),
    fetched: integer('fetched').notNull(),
    inserted: integer('inserted').notNull(),
    updated: integer('updated').notNull(),
    unchanged: integer('unchanged').notNull(),
    duplicates: integer('duplicates').notNull(),
    skipped: integer('skipped').notNull(),
    promoted: integer('promoted').notNull(),
    deleted: integer('deleted').notNull(),
    missing: integer('missing').notNull(),
    rateWaits: integer('rate_waits').notNull(),
    rateWaitMs: integer('rate_wait_ms').notNull(),
    cursorFrom: text('cursor_from'),
    cursorTo: text('cursor_to'),
    error: text('error'),
    correlationId: text('correlation_id'),
  },
  (t) => [index('bqe_sync_runs_connection_idx').on(t.connectionId, t.object, t.startedAt)],
);
