import { z } from '@hono/zod-openapi';
import { pageSchema, pagingQuery } from '../../../api/schemas/paging.js';
import { RUN_COUNTERS } from '../db/sync-repository.js';

/* Request and answer shapes of /api/v1/bqe: connection status and the mirrored projects and clients. */

const epochMs = z.number().int().openapi({ description: 'Epoch milliseconds.' });
const object = z.enum(['project', 'client']);

const counters = Object.fromEntries(RUN_COUNTERS.map((k) => [k, z.number().int()])) as Record<(typeof RUN_COUNTERS)[number], z.ZodNumber>;

export const SyncRunSchema = z
  .object({
    id: z.number().int(),
    connectionId: z.number().int(),
    object,
    mode: z.enum(['delta', 'full']),
    trigger: z.enum(['schedule', 'manual']),
    status: z.enum(['running', 'succeeded', 'failed']),
    startedAt: epochMs,
    finishedAt: epochMs.nullable(),
    cursorFrom: z.string().nullable(),
    cursorTo: z.string().nullable(),
    error: z.string().nullable(),
    correlationId: z.string().nullable(),
    ...counters,
  })
  .openapi('BqeSyncRun');

export const ConnectionSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    environment: z.enum(['production', 'sandbox', 'custom']),
    identityUrl: z.string(),
    clientId: z.string().openapi({ description: 'The OAuth client id registered with BQE (not a secret).' }),
    status: z.enum(['not_connected', 'connected', 'needs_reauth', 'needs_consent']),
    statusReason: z.string().nullable(),
    hasTokens: z.boolean().openapi({ description: 'Whether OAuth completed; tokens themselves are never shown.' }),
    tokenExpiresAt: epochMs.nullable(),
    apiBaseUrl: z.string().nullable(),
    consentedScopes: z.array(z.string()).nullable(),
    consent: z
      .object({ needed: z.boolean(), added: z.array(z.string()), removed: z.array(z.string()), reason: z.string().nullable() })
      .openapi({ description: 'Whether BQE must be asked for consent again because the scopes Switchyard needs changed.' }),
    utcOffsetMinutes: z.number().int().nullable().openapi({ description: 'The company’s UTC offset, for reading BQE’s naive times; null until set.' }),
    syncEnabled: z.boolean(),
    parentOnly: z.boolean(),
    maxProjectLevel: z.number().int().nullable(),
    clientSync: z.enum(['all', 'referenced', 'off']),
    deletionPolicy: z.enum(['mark_deleted', 'report_only']),
    syncBlocker: z.string().nullable().openapi({ description: 'Why the connection cannot sync now, in words; null when it can.' }),
    latestRuns: z.array(z.object({ object, run: SyncRunSchema.nullable() })),
    connectedAt: epochMs.nullable(),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .openapi('BqeConnection');

export const ConnectionPageSchema = pageSchema(ConnectionSchema, 'BqeConnectionPage');

const ObjectStatusSchema = z.object({
  object,
  label: z.string(),
  running: SyncRunSchema.nullable(),
  latest: SyncRunSchema.nullable(),
  lastSuccess: SyncRunSchema.nullable(),
  cursor: z.string().nullable().openapi({ description: 'The highest lastUpdated a finished run reached (naive BQE time).' }),
  fullRequested: z.boolean(),
  lastFullSyncAt: epochMs.nullable(),
  mirrored: z.object({ active: z.number().int(), deleted: z.number().int() }),
  skipped: z.string().nullable(),
});

export const ConnectionDetailSchema = ConnectionSchema.extend({
  sync: z.object({
    objects: z.array(ObjectStatusSchema),
    limiter: z
      .object({ requests: z.number().int(), waits: z.number().int(), waitMs: z.number(), byReason: z.record(z.string(), z.number().int()).openapi({ description: 'Waits by what held them back: connection_rate, provider_rate, connection_concurrency, provider_concurrency, retry_after.' }) })
      .openapi({ description: 'The connection’s rate limiter since the hub started.' }),
    history: z.array(SyncRunSchema).openapi({ description: 'Recent sync runs, newest first.' }),
  }),
}).openapi('BqeConnectionDetail');

export const ConnectionParamSchema = z.object({
  id: z.coerce.number().int().positive().max(999_999_999_999).openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export const RecordParamSchema = ConnectionParamSchema.extend({
  externalId: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'Use a BQE GUID or legacy id.')
    .openapi({ param: { name: 'externalId', in: 'path' }, description: 'The BQE GUID, or the legacy id from before BQE used GUIDs.' }),
});

export const ConnectionListQuerySchema = z.strictObject({ ...pagingQuery });

export const MirrorQuerySchema = z.strictObject({
  q: z.string().max(100).optional().openapi({ description: 'Part of the name or code, or a whole GUID or legacy id.' }),
  includeDeleted: z.enum(['true', 'false']).default('false').openapi({ description: 'Also list rows deleted in BQE.' }),
  ...pagingQuery,
});

const mirrorFields = {
  id: z.number().int(),
  externalId: z.string().openapi({ description: 'The BQE GUID.' }),
  legacyExternalId: z.string().nullable().openapi({ description: 'The id BQE used before GUIDs, when it sent one.' }),
  name: z.string(),
  status: z.number().int().nullable(),
  statusLabel: z.string().nullable(),
  lastUpdated: z.string().nullable().openapi({ description: 'BQE’s lastUpdated (naive BQE time).' }),
  payload: z.record(z.string(), z.unknown()).openapi({ description: 'The record as BQE sent it.' }),
  firstSeenAt: epochMs,
  syncedAt: epochMs,
  deletedAt: epochMs.nullable(),
};

export const ProjectSchema = z
  .object({
    ...mirrorFields,
    code: z.string().nullable(),
    parentExternalId: z.string().nullable(),
    rootExternalId: z.string().nullable(),
    level: z.number().int().nullable(),
    clientExternalId: z.string().nullable(),
  })
  .openapi('BqeProject');

export const ClientSchema = z
  .object({ ...mirrorFields, company: z.string().nullable(), email: z.string().nullable() })
  .openapi('BqeClient');

export const ProjectPageSchema = pageSchema(ProjectSchema, 'BqeProjectPage');
export const ClientPageSchema = pageSchema(ClientSchema, 'BqeClientPage');

export const SyncQueuedSchema = z
  .object({ queued: z.array(z.string()).openapi({ description: 'The objects queued; an object already syncing is not queued twice.' }) })
  .openapi('BqeSyncQueued');
