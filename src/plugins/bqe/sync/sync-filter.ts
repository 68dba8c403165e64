import { shiftNaive } from '../bqe-time.js';
import type { Connection } from '../db/connection-repository.js';
import type { SyncMode, SyncObject } from '../db/sync-repository.js';
import type { ProviderMetadata } from '../provider.js';
import { whereBuilder, type Predicate } from '../where-clause.js';

/**
 * The `where` of every page of one run. It depends only on the run's mode and
 * starting cursor and on the connection's policy, so a slice that continues
 * the run asks for exactly the same list and its page numbers stay valid.
 * Delta: `lastUpdated >= '<cursor - overlap>'`, so records sharing the
 * cursor's timestamp (or changed just before it) are read again rather than
 * skipped. Projects: `parentId is null` for parentOnly, `level <= n` for a
 * maximum level.
 */
export const syncWhere = (
  meta: ProviderMetadata,
  connection: Pick<Connection, 'parentOnly' | 'maxProjectLevel'>,
  object: SyncObject,
  run: { mode: SyncMode; cursorFrom: string | null },
): Predicate | undefined => {
  const objectMeta = meta.objects[object];
  const b = whereBuilder(objectMeta.fields);
  const parts: Predicate[] = [];
  if (run.mode === 'delta' && run.cursorFrom !== null) parts.push(b.gte(objectMeta.cursorField, shiftNaive(run.cursorFrom, -meta.sync.overlapSeconds)));
  if (object === 'project') {
    const project = meta.objects.project;
    if (connection.parentOnly) parts.push(b.isNull(project.parentField));
    if (connection.maxProjectLevel !== null) parts.push(b.lte(project.levelField, connection.maxProjectLevel));
  }
  return parts.length === 0 ? undefined : b.and(...parts);
};
