import type { ActivityRecord, ClientRecord, ProjectRecord, SimData } from './sim-data.js';

/**
 * What `where`, `orderBy` and `fields` may name on each resource, and how each
 * field compares: guid (quoted GUID), string (quoted, case-insensitive as on
 * SQL Server), integer/number, datetime (localised to X-UTC-OFFSET), date
 * (naive, never shifted) and list (readable, not filterable or sortable).
 */
export type FieldType = 'guid' | 'string' | 'integer' | 'number' | 'datetime' | 'date' | 'list';

export type FieldValue = string | number | null | readonly unknown[];

export interface FieldDef<R> {
  name: string;
  type: FieldType;
  get(record: R): FieldValue;
}

export type ResourceName = 'project' | 'client' | 'activity';

export interface ResourceCatalog<R> {
  resource: ResourceName;
  /** "Project", for messages. */
  label: string;
  /** In the order fields appear in a rendered record. */
  fields: FieldDef<R>[];
  byName: Map<string, FieldDef<R>>;
  /** Nested resources `expand` may name. */
  expand: readonly string[];
  rows(data: SimData): Iterable<R>;
  find(data: SimData, id: string): R | undefined;
}

const field = <R>(name: string, type: FieldType, get: (record: R) => FieldValue): FieldDef<R> => ({ name, type, get });

const catalog = <R>(resource: ResourceName, label: string, fields: FieldDef<R>[], expand: readonly string[], rows: (data: SimData) => Map<string, R>): ResourceCatalog<R> => ({
  resource,
  label,
  fields,
  byName: new Map(fields.map((f) => [f.name, f])),
  expand,
  rows: (data) => rows(data).values(),
  find: (data, id) => rows(data).get(id.toLowerCase()),
});

export interface Catalogs {
  project: ResourceCatalog<ProjectRecord>;
  client: ResourceCatalog<ClientRecord>;
  activity: ResourceCatalog<ActivityRecord>;
}

/** `legacyIdField` names the legacy numeric id, which no primary source confirms (contract §5). */
export const buildCatalogs = (legacyIdField: string): Catalogs => ({
  project: catalog<ProjectRecord>(
    'project',
    'Project',
    [
      field('id', 'guid', (r) => r.id),
      field('name', 'string', (r) => r.name),
      field('code', 'string', (r) => r.code),
      field('status', 'integer', (r) => r.status),
      field('type', 'integer', (r) => r.type),
      field('level', 'integer', (r) => r.level),
      field('parentId', 'guid', (r) => r.parentId),
      field('rootProjectId', 'guid', (r) => r.rootProjectId),
      field('clientId', 'guid', (r) => r.clientId),
      field('managerId', 'guid', (r) => r.managerId),
      field('contractType', 'integer', (r) => r.contractType),
      field('contractAmount', 'number', (r) => r.contractAmount),
      field('startDate', 'date', (r) => r.startDate),
      field('endDate', 'date', (r) => r.endDate),
      field(legacyIdField, 'integer', (r) => r.legacyId),
      field('customFields', 'list', (r) => r.customFields),
      field('createdOn', 'datetime', (r) => r.createdOn),
      field('lastUpdated', 'datetime', (r) => r.lastUpdated),
    ],
    ['client'],
    (data) => data.projects,
  ),
  client: catalog<ClientRecord>(
    'client',
    'Client',
    [
      field('id', 'guid', (r) => r.id),
      field('name', 'string', (r) => r.name),
      field('company', 'string', (r) => r.company),
      field('number', 'string', (r) => r.number),
      field('email', 'string', (r) => r.email),
      field('phone', 'string', (r) => r.phone),
      field('status', 'integer', (r) => r.status),
      field(legacyIdField, 'integer', (r) => r.legacyId),
      field('createdOn', 'datetime', (r) => r.createdOn),
      field('lastUpdated', 'datetime', (r) => r.lastUpdated),
    ],
    [],
    (data) => data.clients,
  ),
  activity: catalog<ActivityRecord>(
    'activity',
    'Activity',
    [
      field('id', 'guid', (r) => r.id),
      field('code', 'string', (r) => r.code),
      field('name', 'string', (r) => r.name),
      field('description', 'string', (r) => r.description),
      field('billRate', 'number', (r) => r.billRate),
      field('costRate', 'number', (r) => r.costRate),
      field('status', 'integer', (r) => r.status),
      field('createdOn', 'datetime', (r) => r.createdOn),
      field('lastUpdated', 'datetime', (r) => r.lastUpdated),
    ],
    [],
    (data) => data.activities,
  ),
});

/** Field names the legacy id may not take, since they already mean something. */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set(
  [...buildCatalogs('legacyId').project.fields, ...buildCatalogs('legacyId').client.fields].map((f) => f.name).filter((n) => n !== 'legacyId'),
);
