import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { StartupError } from '../../errors.js';
import providerJson from './provider.json' with { type: 'json' };
import providerSchema from './provider.schema.json' with { type: 'json' };
import * as generated from './provider-validator.generated.js';
import { compileProviderSchema, schemaFingerprint } from './provider-validator-source.js';

export type FieldType = 'guid' | 'string' | 'integer' | 'number' | 'enum' | 'datetime' | 'boolean';
export type EnvironmentName = 'production' | 'sandbox';
export type ObjectName = 'project' | 'client';
export const OBJECT_NAMES: readonly ObjectName[] = ['project', 'client'];

export interface RateLimit {
  requestsPerMinute: number;
  maxConcurrency: number;
}

export interface ObjectMetadata {
  resource: string;
  label: string;
  idField: string;
  legacyIdField: string;
  cursorField: string;
  fields: Record<string, FieldType>;
  /** Words for the numeric status codes BQE sends; a code without one is shown as its number. */
  statusLabels: Record<string, string>;
}

export interface ProjectMetadata extends ObjectMetadata {
  parentField: string;
  levelField: string;
  maxLevel: number;
}

/** provider.json: every figure and name the BQE code uses, so a corrected fact is a data change. */
export interface ProviderMetadata {
  provider: 'bqe';
  title: string;
  environments: Record<EnvironmentName, { label: string; identityUrl: string }>;
  oauth: {
    authorizePath: string;
    tokenPath: string;
    revocationPath: string;
    pkceMethod: 'S256';
    stateTtlSeconds: number;
    refreshBeforeExpirySeconds: number;
    defaultAccessTokenSeconds: number;
    timeoutSeconds: number;
  };
  scopes: { name: string; purpose: string }[];
  api: {
    utcOffsetHeader: string;
    utcOffsetMinutes: { min: number; max: number };
    paging: { param: 'page'; firstPage: 0 | 1; pageSize: number };
    whereParam: 'where';
    orderByParam: 'orderBy' | 'orderby';
    timeoutSeconds: number;
    probes: Record<'activity' | 'connection', { resource: string; pageSize: number }>;
  };
  rateLimits: {
    perConnection: RateLimit;
    provider: RateLimit;
    spacingMarginMs: number;
    retryAfterFallbackSeconds: number;
    maxRateLimitRetries: number;
  };
  objects: { project: ProjectMetadata; client: ObjectMetadata };
  sync: { overlapSeconds: number; pagesPerSlice: number; historyKept: number };
}

export const PROVIDER_FILE = 'src/plugins/bqe/provider.json';

const describe = (e: ErrorObject): string => {
  const where = e.instancePath === '' ? '(top level)' : e.instancePath;
  const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : e.keyword === 'enum' || e.keyword === 'const' ? ` (${JSON.stringify((e.params as { allowedValues?: unknown; allowedValue?: unknown }).allowedValues ?? (e.params as { allowedValue?: unknown }).allowedValue)})` : '';
  return `${where} ${e.message ?? 'is invalid'}${extra} [rule: ${e.schemaPath}]`;
};

/** Rules JSON Schema cannot say: the named fields must exist in the object's field list with the right type. */
const crossChecks = (meta: ProviderMetadata): string[] => {
  const problems: string[] = [];
  for (const name of OBJECT_NAMES) {
    const object = meta.objects[name];
    const expect = (key: keyof ObjectMetadata | 'parentField' | 'levelField', type: FieldType) => {
      const field = (object as unknown as Record<string, string>)[key] as string;
      if (object.fields[field] !== type) problems.push(`/objects/${name}/${key} names "${field}", which must be listed in /objects/${name}/fields as "${type}" [rule: cross-check]`);
    };
    expect('idField', 'guid');
    expect('cursorField', 'datetime');
    if (name === 'project') {
      expect('parentField', 'guid');
      expect('levelField', 'integer');
    }
  }
  const { min, max } = meta.api.utcOffsetMinutes;
  if (min >= max) problems.push(`/api/utcOffsetMinutes min (${min}) must be below max (${max}) [rule: cross-check]`);
  if (meta.rateLimits.provider.requestsPerMinute < meta.rateLimits.perConnection.requestsPerMinute) {
    problems.push('/rateLimits/provider/requestsPerMinute must be at least /rateLimits/perConnection/requestsPerMinute [rule: cross-check]');
  }
  return problems;
};

/**
 * The validator generated from provider.schema.json, or, when the schema has been edited since
 * (`npm run gen:provider-validator` not run yet), Ajv compiling the current schema: never a stale check.
 */
export const providerSchemaValidator = async (schema: object = providerSchema): Promise<ValidateFunction<ProviderMetadata>> =>
  schemaFingerprint(schema) === generated.SCHEMA_FINGERPRINT ? (generated.validate as ValidateFunction<ProviderMetadata>) : compileProviderSchema<ProviderMetadata>(schema);

const validate = await providerSchemaValidator();

/** Checks metadata against provider.schema.json and the cross-field rules; the error names the file, the path and the rule. */
export const validateProvider = (data: unknown, source: string = PROVIDER_FILE): ProviderMetadata => {
  if (!validate(data)) {
    const lines = (validate.errors ?? []).map(describe);
    throw new StartupError(`${source} does not match provider.schema.json: ${lines.join('; ')}`);
  }
  const problems = crossChecks(data);
  if (problems.length > 0) throw new StartupError(`${source} is inconsistent: ${problems.join('; ')}`);
  return data;
};

/** The shipped metadata, validated; plugin start-up calls this so a bad file stops the hub. */
export const loadProvider = (): ProviderMetadata => validateProvider(structuredClone(providerJson));

/** The scope set Switchyard asks for, in a stable order (used to detect changes that need new consent). */
export const requiredScopes = (meta: ProviderMetadata): string[] => meta.scopes.map((s) => s.name).sort();

/** How a record's numeric status reads on a page: its label from provider.json, else the code itself. */
export const statusLabel = (object: ObjectMetadata, status: number | null): string | null =>
  status === null ? null : (object.statusLabels[String(status)] ?? `status ${status}`);
