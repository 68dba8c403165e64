import type { BqeRecord } from '../api/list-response.js';
import { BqeTimeError, normalizeNaive } from '../bqe-time.js';
import type { ClientInput, ProjectInput } from '../db/mirror-repository.js';
import type { ObjectMetadata, ProjectMetadata } from '../provider.js';
import { BadRecordError } from './sync-errors.js';
import { stableJson } from '../../../platform/stable-json.js';

/**
 * BQE field names the mirror's columns are read from that provider.json does
 * not name (contract §5 lists them for /project and /client). The id, legacy
 * id, cursor, parent and level fields come from the metadata.
 */
export const PROJECT_FIELDS = { name: 'name', code: 'code', status: 'status', root: 'rootProjectId', client: 'clientId' } as const;
export const CLIENT_FIELDS = { name: 'name', company: 'company', email: 'email', status: 'status' } as const;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const whole = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) ? value : null);

/** Legacy ids are numbers in BQE; kept as text like every external id. */
const legacyId = (record: BqeRecord, field: string): string | null => {
  const value = record[field];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return null;
};

/** The record's cursor value in canonical naive form; a record without one cannot be placed in a delta sync. */
const cursorValue = (record: BqeRecord, meta: ObjectMetadata, object: string, offsetMinutes: number): string => {
  const value = record[meta.cursorField];
  if (typeof value !== 'string') {
    throw new BadRecordError(`BQE sent ${object} ${record.id} without a ${meta.cursorField} timestamp, so it cannot be synced by change time; the page was not saved.`, { object, id: record.id, field: meta.cursorField });
  }
  try {
    return normalizeNaive(value, offsetMinutes);
  } catch (err) {
    if (!(err instanceof BqeTimeError)) throw err;
    throw new BadRecordError(`BQE sent ${object} ${record.id} with ${meta.cursorField} ${JSON.stringify(value)}, which is not a date and time; the page was not saved.`, { object, id: record.id, field: meta.cursorField });
  }
};

export const toProjectInput = (record: BqeRecord, meta: ProjectMetadata, offsetMinutes: number): ProjectInput => ({
  externalId: record.id,
  legacyExternalId: legacyId(record, meta.legacyIdField),
  name: text(record[PROJECT_FIELDS.name]) ?? '',
  code: text(record[PROJECT_FIELDS.code]),
  status: whole(record[PROJECT_FIELDS.status]),
  parentExternalId: text(record[meta.parentField]),
  rootExternalId: text(record[PROJECT_FIELDS.root]),
  level: whole(record[meta.levelField]),
  clientExternalId: text(record[PROJECT_FIELDS.client]),
  lastUpdated: cursorValue(record, meta, 'project', offsetMinutes),
  payload: stableJson(record),
});

export const toClientInput = (record: BqeRecord, meta: ObjectMetadata, offsetMinutes: number): ClientInput => ({
  externalId: record.id,
  legacyExternalId: legacyId(record, meta.legacyIdField),
  name: text(record[CLIENT_FIELDS.name]) ?? '',
  company: text(record[CLIENT_FIELDS.company]),
  email: text(record[CLIENT_FIELDS.email]),
  status: whole(record[CLIENT_FIELDS.status]),
  lastUpdated: cursorValue(record, meta, 'client', offsetMinutes),
  payload: stableJson(record),
});
