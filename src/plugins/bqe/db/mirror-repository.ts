import { and, asc, eq, inArray, isNotNull, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { BqeDb } from './plugin-db.js';
import { integrationClients, integrationExternalLinks } from './schema.js';

export const MIRROR_PROVIDER = 'bqe';
export const PROJECT_OBJECT_TYPE = 'project';

/** A BQE project as the mirror stores it, already read out of the record with the provider's field names. */
export interface ProjectInput {
  externalId: string;
  legacyExternalId: string | null;
  name: string;
  code: string | null;
  status: number | null;
  parentExternalId: string | null;
  rootExternalId: string | null;
  level: number | null;
  clientExternalId: string | null;
  /** Canonical naive BQE time, so equal strings mean equal times and later strings mean later times. */
  lastUpdated: string | null;
  /** The record as BQE sent it, serialised in a stable key order. */
  payload: string;
}

export interface ClientInput {
  externalId: string;
  legacyExternalId: string | null;
  name: string;
  company: string | null;
  email: string | null;
  status: number | null;
  lastUpdated: string | null;
  payload: string;
}

/**
 * `duplicate`: already written by this run, nothing to do. `moved`: already
 * written by this run but changed upstream since (BQE moved it to the end of
 * the lastUpdated order while the run was paging), written again. `skipped`:
 * new, but not admitted by the caller's policy.
 */
export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged' | 'duplicate' | 'moved' | 'promoted' | 'skipped';

/** A pre-GUID row that a record claimed through its legacy id and that now carries the GUID. */
export interface Promotion {
  legacyId: string;
  externalId: string;
}

export interface UpsertResult {
  /** One per input record, in input order. */
  outcomes: UpsertOutcome[];
  promotions: Promotion[];
}

export interface MirroredProject extends Omit<ProjectInput, 'payload'> {
  id: number;
  payload: Record<string, unknown>;
  firstSeenAt: number;
  syncedAt: number;
  deletedAt: number | null;
}

export interface MirroredClient extends Omit<ClientInput, 'payload'> {
  id: number;
  payload: Record<string, unknown>;
  firstSeenAt: number;
  syncedAt: number;
  deletedAt: number | null;
}

export interface MirrorSearch {
  /** Matches a part of the name or code, or a whole GUID or legacy id. */
  text?: string;
  includeDeleted?: boolean;
  limit: number;
  offset: number;
}

export interface MirrorPage<T> {
  rows: T[];
  total: number;
}

export interface MirrorCounts {
  active: number;
  deleted: number;
}

/** What a finished full sweep did about rows it did not see: `missing` rows are gone upstream, `deleted` of them were marked. */
export interface SweepResult {
  missing: number;
  deleted: number;
}

export type MirrorObject = 'project' | 'client';
export type SweepPolicy = 'mark_deleted' | 'report_only';

/** The projects a filtered sync asks BQE for; rows outside it were not expected in the sweep, so they are not missing. */
export interface ProjectSweepScope {
  parentOnly: boolean;
  maxLevel: number | null;
}

interface StoredRow {
  id: number;
  externalId: string;
  legacyExternalId: string | null;
  lastUpdated: string | null;
  payload: string;
  deletedAt: number | null;
  seenRunId: number | null;
}

/** The table-specific statements the shared upsert decision works through. */
interface UpsertTarget<I> {
  byExternalId(externalId: string): StoredRow | undefined;
  byLegacyId(legacyId: string): StoredRow | undefined;
  insert(input: I, runId: number, now: number): void;
  write(id: number, input: I, runId: number, now: number): void;
  markSeen(id: number, runId: number): void;
}

export interface UpsertContext {
  runId: number;
  now: number;
  /** Decides whether a record with no row yet is stored (the `referenced` client policy); rows already stored are always kept current. */
  admit?: (externalId: string) => boolean;
}

/**
 * One record against the mirror. The row's seen_run_id is the de-duplication
 * memory of a run: it is written in the same transaction as the page, so a
 * record already seen by this run (on an earlier page or in an earlier slice)
 * is a duplicate; one that is newer than what the run stored is `moved`.
 */
const upsertOne = <I extends { externalId: string; legacyExternalId: string | null; lastUpdated: string | null; payload: string }>(
  target: UpsertTarget<I>,
  input: I,
  ctx: UpsertContext,
  promotions: Promotion[],
): UpsertOutcome => {
  const existing = target.byExternalId(input.externalId);
  if (existing) {
    // A record that stops sending its legacy id keeps the one old links resolve by.
    const keepLegacy = { ...input, legacyExternalId: input.legacyExternalId ?? existing.legacyExternalId };
    const same = existing.lastUpdated === input.lastUpdated && existing.payload === input.payload;
    if (existing.seenRunId === ctx.runId) {
      const newer = input.lastUpdated !== null && (existing.lastUpdated === null || input.lastUpdated > existing.lastUpdated);
      if (!newer) return 'duplicate';
      target.write(existing.id, keepLegacy, ctx.runId, ctx.now);
      return 'moved';
    }
    if (same && existing.deletedAt === null) {
      target.markSeen(existing.id, ctx.runId);
      return 'unchanged';
    }
    target.write(existing.id, keepLegacy, ctx.runId, ctx.now);
    return 'updated';
  }
  const legacy = input.legacyExternalId === null ? undefined : target.byLegacyId(input.legacyExternalId);
  if (legacy && input.legacyExternalId !== null) {
    target.write(legacy.id, input, ctx.runId, ctx.now);
    promotions.push({ legacyId: input.legacyExternalId, externalId: input.externalId });
    return 'promoted';
  }
  if (ctx.admit && !ctx.admit(input.externalId)) return 'skipped';
  target.insert(input, ctx.runId, ctx.now);
  return 'inserted';
};

const upsertAll = <I extends { externalId: string; legacyExternalId: string | null; lastUpdated: string | null; payload: string }>(
  target: UpsertTarget<I>,
  inputs: readonly I[],
  ctx: UpsertContext,
): UpsertResult => {
  const promotions: Promotion[] = [];
  const outcomes = inputs.map((input) => upsertOne(target, input, ctx, promotions));
  return { outcomes, promotions };
};

const escapeLike = (value: string): string => `%${value.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

const parsePayload = (payload: string): Record<string, unknown> => JSON.parse(payload) as Record<string, unknown>;

type ProjectRow = typeof integrationExternalLinks.$inferSelect;
type ClientRow = typeof integrationClients.$inferSelect;

const toProject = (row: ProjectRow): MirroredProject => ({
  id: row.id,
  externalId: row.externalId,
  legacyExternalId: row.legacyExternalId,
  name: row.name,
  code: row.code,
  status: row.status,
  parentExternalId: row.parentExternalId,
  rootExternalId: row.rootExternalId,
  level: row.level,
  clientExternalId: row.clientExternalId,
  lastUpdated: row.lastUpdated,
  payload: parsePayload(row.payload),
  firstSeenAt: row.firstSeenAt,
  syncedAt: row.syncedAt,
  deletedAt: row.deletedAt,
});

const toClient = (row: ClientRow): MirroredClient => ({
  id: row.id,
  externalId: row.externalId,
  legacyExternalId: row.legacyExternalId,
  name: row.name,
  company: row.company,
  email: row.email,
  status: row.status,
  lastUpdated: row.lastUpdated,
  payload: parsePayload(row.payload),
  firstSeenAt: row.firstSeenAt,
  syncedAt: row.syncedAt,
  deletedAt: row.deletedAt,
});

const P = integrationExternalLinks;
const C = integrationClients;

/**
 * The BQE mirrors: projects in integration_external_links and clients in
 * integration_clients, keyed by (connection, GUID). Sync never deletes a row;
 * a record gone upstream gets deleted_at, and a row that reappears is restored.
 */
export const createMirrorRepository = (db: BqeDb) => {
  const projectScope = (connectionId: number): SQL =>
    and(eq(P.provider, MIRROR_PROVIDER), eq(P.connectionId, connectionId), eq(P.objectType, PROJECT_OBJECT_TYPE)) as SQL;
  const clientScope = (connectionId: number): SQL => and(eq(C.provider, MIRROR_PROVIDER), eq(C.connectionId, connectionId)) as SQL;

  const projectStored = { id: P.id, externalId: P.externalId, legacyExternalId: P.legacyExternalId, lastUpdated: P.lastUpdated, payload: P.payload, deletedAt: P.deletedAt, seenRunId: P.seenRunId };
  const clientStored = { id: C.id, externalId: C.externalId, legacyExternalId: C.legacyExternalId, lastUpdated: C.lastUpdated, payload: C.payload, deletedAt: C.deletedAt, seenRunId: C.seenRunId };

  const projectTarget = (connectionId: number): UpsertTarget<ProjectInput> => ({
    byExternalId: (externalId) => db.select(projectStored).from(P).where(and(projectScope(connectionId), eq(P.externalId, externalId))).get(),
    // A row written before the GUID migration still has the numeric id as its key; 0006 copied it to legacy_external_id, but rows added by an older build after that may not have it.
    // Two indexed lookups rather than one OR, which SQLite answers by scanning every row of the connection.
    byLegacyId: (legacyId) =>
      db.select(projectStored).from(P).where(and(projectScope(connectionId), eq(P.legacyExternalId, legacyId))).orderBy(asc(P.id)).get() ??
      db.select(projectStored).from(P).where(and(projectScope(connectionId), eq(P.externalId, legacyId))).get(),
    insert: (input, runId, now) => {
      db.insert(P).values({ ...input, provider: MIRROR_PROVIDER, connectionId, objectType: PROJECT_OBJECT_TYPE, firstSeenAt: now, syncedAt: now, deletedAt: null, seenRunId: runId }).run();
    },
    write: (id, input, runId, now) => {
      db.update(P).set({ ...input, syncedAt: now, deletedAt: null, seenRunId: runId }).where(eq(P.id, id)).run();
    },
    markSeen: (id, runId) => {
      db.update(P).set({ seenRunId: runId }).where(eq(P.id, id)).run();
    },
  });

  const clientTarget = (connectionId: number): UpsertTarget<ClientInput> => ({
    byExternalId: (externalId) => db.select(clientStored).from(C).where(and(clientScope(connectionId), eq(C.externalId, externalId))).get(),
    byLegacyId: (legacyId) =>
      db.select(clientStored).from(C).where(and(clientScope(connectionId), eq(C.legacyExternalId, legacyId))).orderBy(asc(C.id)).get() ??
      db.select(clientStored).from(C).where(and(clientScope(connectionId), eq(C.externalId, legacyId))).get(),
    insert: (input, runId, now) => {
      db.insert(C).values({ ...input, provider: MIRROR_PROVIDER, connectionId, firstSeenAt: now, syncedAt: now, deletedAt: null, seenRunId: runId }).run();
    },
    write: (id, input, runId, now) => {
      db.update(C).set({ ...input, syncedAt: now, deletedAt: null, seenRunId: runId }).where(eq(C.id, id)).run();
    },
    markSeen: (id, runId) => {
      db.update(C).set({ seenRunId: runId }).where(eq(C.id, id)).run();
    },
  });

  const projectSearch = (connectionId: number, search: Pick<MirrorSearch, 'text' | 'includeDeleted'>): SQL => {
    const parts: SQL[] = [projectScope(connectionId)];
    if (!search.includeDeleted) parts.push(isNull(P.deletedAt));
    const text = search.text?.trim();
    if (text) {
      const pattern = escapeLike(text);
      parts.push(sql`(${P.name} LIKE ${pattern} ESCAPE '\\' OR ${P.code} LIKE ${pattern} ESCAPE '\\' OR ${P.externalId} = ${text} OR ${P.legacyExternalId} = ${text})`);
    }
    return and(...parts) as SQL;
  };

  const clientSearch = (connectionId: number, search: Pick<MirrorSearch, 'text' | 'includeDeleted'>): SQL => {
    const parts: SQL[] = [clientScope(connectionId)];
    if (!search.includeDeleted) parts.push(isNull(C.deletedAt));
    const text = search.text?.trim();
    if (text) {
      const pattern = escapeLike(text);
      parts.push(sql`(${C.name} LIKE ${pattern} ESCAPE '\\' OR ${C.company} LIKE ${pattern} ESCAPE '\\' OR ${C.externalId} = ${text} OR ${C.legacyExternalId} = ${text})`);
    }
    return and(...parts) as SQL;
  };

  const count = (table: typeof P | typeof C, where: SQL): number => db.select({ n: sql<number>`count(*)` }).from(table).where(where).get()?.n ?? 0;

  return {
    upsertProjects(connectionId: number, inputs: readonly ProjectInput[], ctx: UpsertContext): UpsertResult {
      return upsertAll(projectTarget(connectionId), inputs, ctx);
    },

    upsertClients(connectionId: number, inputs: readonly ClientInput[], ctx: UpsertContext): UpsertResult {
      return upsertAll(clientTarget(connectionId), inputs, ctx);
    },

    /** A project by its GUID or, for links made before the GUID migration, its legacy id. */
    findProject(connectionId: number, id: string): MirroredProject | undefined {
      const row =
        db.select().from(P).where(and(projectScope(connectionId), eq(P.externalId, id))).get() ??
        db.select().from(P).where(and(projectScope(connectionId), eq(P.legacyExternalId, id))).orderBy(asc(P.id)).get();
      return row ? toProject(row) : undefined;
    },

    findClient(connectionId: number, id: string): MirroredClient | undefined {
      const row =
        db.select().from(C).where(and(clientScope(connectionId), eq(C.externalId, id))).get() ??
        db.select().from(C).where(and(clientScope(connectionId), eq(C.legacyExternalId, id))).orderBy(asc(C.id)).get();
      return row ? toClient(row) : undefined;
    },

    searchProjects(connectionId: number, search: MirrorSearch): MirrorPage<MirroredProject> {
      const where = projectSearch(connectionId, search);
      const rows = db.select().from(P).where(where).orderBy(asc(P.name), asc(P.id)).limit(search.limit).offset(search.offset).all();
      return { rows: rows.map(toProject), total: count(P, where) };
    },

    searchClients(connectionId: number, search: MirrorSearch): MirrorPage<MirroredClient> {
      const where = clientSearch(connectionId, search);
      const rows = db.select().from(C).where(where).orderBy(asc(C.name), asc(C.id)).limit(search.limit).offset(search.offset).all();
      return { rows: rows.map(toClient), total: count(C, where) };
    },

    /** Top of the hierarchy tree: projects without a parent. */
    rootProjects(connectionId: number, page: { limit: number; offset: number; includeDeleted?: boolean }): MirrorPage<MirroredProject> {
      const where = and(projectScope(connectionId), isNull(P.parentExternalId), page.includeDeleted ? undefined : isNull(P.deletedAt)) as SQL;
      const rows = db.select().from(P).where(where).orderBy(asc(P.name), asc(P.id)).limit(page.limit).offset(page.offset).all();
      return { rows: rows.map(toProject), total: count(P, where) };
    },

    childProjects(connectionId: number, parentExternalId: string, options: { includeDeleted?: boolean } = {}): MirroredProject[] {
      const where = and(projectScope(connectionId), eq(P.parentExternalId, parentExternalId), options.includeDeleted ? undefined : isNull(P.deletedAt));
      return db.select().from(P).where(where).orderBy(asc(P.name), asc(P.id)).all().map(toProject);
    },

    /** How many (not deleted) children each of the given projects has, so a tree knows which nodes open. */
    childCounts(connectionId: number, parentExternalIds: readonly string[]): Map<string, number> {
      if (parentExternalIds.length === 0) return new Map();
      const rows = db
        .select({ parent: P.parentExternalId, n: sql<number>`count(*)` })
        .from(P)
        .where(and(projectScope(connectionId), isNull(P.deletedAt), inArray(P.parentExternalId, [...parentExternalIds])))
        .groupBy(P.parentExternalId)
        .all();
      return new Map(rows.map((r) => [r.parent as string, r.n]));
    },

    projectCounts(connectionId: number): MirrorCounts {
      return {
        active: count(P, and(projectScope(connectionId), isNull(P.deletedAt)) as SQL),
        deleted: count(P, and(projectScope(connectionId), isNotNull(P.deletedAt)) as SQL),
      };
    },

    clientCounts(connectionId: number): MirrorCounts {
      return {
        active: count(C, and(clientScope(connectionId), isNull(C.deletedAt)) as SQL),
        deleted: count(C, and(clientScope(connectionId), isNotNull(C.deletedAt)) as SQL),
      };
    },

    /** Client GUIDs that mirrored, not deleted projects point at (the `referenced` client-sync policy). */
    referencedClientIds(connectionId: number): Set<string> {
      const rows = db
        .selectDistinct({ clientId: P.clientExternalId })
        .from(P)
        .where(and(projectScope(connectionId), isNull(P.deletedAt), isNotNull(P.clientExternalId)))
        .all();
      return new Set(rows.map((r) => r.clientId as string));
    },

    /**
     * After a full sweep (run `runId`) read every page: rows it did not see are
     * gone upstream. `mark_deleted` sets deleted_at on them; `report_only`
     * only counts them. Rows are never removed.
     */
    sweepUnseen(connectionId: number, object: MirrorObject, runId: number, policy: SweepPolicy, now: number, scope: ProjectSweepScope = { parentOnly: false, maxLevel: null }): SweepResult {
      const unseen = (table: typeof P | typeof C, rows: SQL): SQL =>
        and(rows, isNull(table.deletedAt), or(isNull(table.seenRunId), ne(table.seenRunId, runId))) as SQL;
      if (object === 'project') {
        const filtered = and(projectScope(connectionId), scope.parentOnly ? isNull(P.parentExternalId) : undefined, scope.maxLevel !== null ? lte(P.level, scope.maxLevel) : undefined) as SQL;
        const where = unseen(P, filtered);
        if (policy === 'report_only') return { missing: count(P, where), deleted: 0 };
        const deleted = db.update(P).set({ deletedAt: now }).where(where).run().changes;
        return { missing: deleted, deleted };
      }
      const where = unseen(C, clientScope(connectionId));
      if (policy === 'report_only') return { missing: count(C, where), deleted: 0 };
      const deleted = db.update(C).set({ deletedAt: now }).where(where).run().changes;
      return { missing: deleted, deleted };
    },
  };
};

export type MirrorRepository = ReturnType<typeof createMirrorRepository>;
