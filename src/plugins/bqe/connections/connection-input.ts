import { z } from 'zod';
import { validationError, type FieldErrors } from '../../../errors.js';
import type { ClientSyncPolicy, DeletionPolicy, Environment } from '../db/connection-repository.js';
import type { ProviderMetadata } from '../provider.js';

const ENVIRONMENTS = ['production', 'sandbox', 'custom'] as const satisfies readonly Environment[];
const CLIENT_SYNC = ['all', 'referenced', 'off'] as const satisfies readonly ClientSyncPolicy[];
const DELETION = ['mark_deleted', 'report_only'] as const satisfies readonly DeletionPolicy[];

const text = (v: unknown): unknown => (Array.isArray(v) ? v[v.length - 1] : v);
const trimmed = (v: unknown): unknown => {
  const t = text(v);
  return typeof t === 'string' ? t.trim() : t;
};
const optional = (v: unknown): unknown => {
  const t = trimmed(v);
  return t === '' || t === undefined ? null : t;
};
const checkbox = (v: unknown): unknown => {
  const t = trimmed(v);
  if (typeof t === 'boolean') return t;
  if (t === undefined || t === null || t === '') return false;
  return ['1', 'true', 'on', 'yes'].includes(String(t).toLowerCase()) ? true : ['0', 'false', 'off', 'no'].includes(String(t).toLowerCase()) ? false : t;
};
const wholeNumber = (v: unknown): unknown => (typeof v === 'string' && /^[+-]?\d+$/.test(v) ? Number(v) : v);

const collect = (result: z.ZodSafeParseResult<unknown>, errors: FieldErrors): void => {
  if (result.success) return;
  for (const issue of result.error.issues) errors[issue.path.map(String).join('.') || 'form'] ??= issue.message;
};

/** The UTC offset field: minutes east of UTC, inside the range provider.json allows. */
export const offsetSchema = (meta: ProviderMetadata) => {
  const { min, max } = meta.api.utcOffsetMinutes;
  const message = `Enter whole minutes from ${min} to ${max}: east of UTC is positive (CET is 60), west is negative (EST is -300, PST is -480).`;
  return z.preprocess((v) => wholeNumber(trimmed(v)), z.number({ error: message }).int(message).min(min, message).max(max, message));
};

export interface ConnectionInput {
  name: string;
  environment: Environment;
  identityUrl: string;
  clientId: string;
  /** Null on an edit means "keep the stored secret". */
  clientSecret: string | null;
  utcOffsetMinutes: number | null;
}

/**
 * Reads the connection form (or an API body), reporting every problem at
 * once. The identity URL comes from provider.json unless the environment is
 * custom, where it must be typed (a private deployment, or the simulator).
 */
export const parseConnectionInput = (raw: unknown, meta: ProviderMetadata, options: { secretRequired: boolean }): ConnectionInput => {
  const source = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const errors: FieldErrors = {};
  const schema = z.object({
    name: z.preprocess(trimmed, z.string({ error: 'Enter a name for this connection.' }).min(1, 'Enter a name for this connection.').max(80, 'Use at most 80 characters.')),
    environment: z.preprocess(trimmed, z.enum(ENVIRONMENTS, { error: 'Choose Production, Sandbox or Custom.' })),
    identityUrl: z.preprocess(optional, z.string().nullable()),
    clientId: z.preprocess(trimmed, z.string({ error: 'Enter the client ID from the BQE developer portal.' }).min(1, 'Enter the client ID from the BQE developer portal.').max(200, 'Use at most 200 characters.').regex(/^\S+$/, 'A client ID has no spaces.')),
    clientSecret: z.preprocess(optional, z.string().max(500, 'Use at most 500 characters.').nullable()),
    utcOffsetMinutes: z.preprocess(optional, offsetSchema(meta).nullable()),
  });
  const result = schema.safeParse(source);
  collect(result, errors);
  const value = result.success ? result.data : undefined;
  if (value && options.secretRequired && value.clientSecret === null) errors.clientSecret = 'Enter the client secret (BQE shows it once, when the app is created).';
  let identityUrl = '';
  if (value) {
    if (value.environment === 'custom') {
      if (value.identityUrl === null) errors.identityUrl = 'Enter the identity server URL, e.g. https://api-identity.bqecore.com/idp.';
      else if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(value.identityUrl)) errors.identityUrl = 'Enter an absolute http(s) URL without spaces.';
      else identityUrl = value.identityUrl.replace(/\/+$/, '');
    } else {
      identityUrl = meta.environments[value.environment].identityUrl;
    }
  }
  if (Object.keys(errors).length || !value) throw validationError('The connection has problems; nothing was saved.', errors);
  return { name: value.name, environment: value.environment, identityUrl, clientId: value.clientId, clientSecret: value.clientSecret, utcOffsetMinutes: value.utcOffsetMinutes };
};

export const parseUtcOffset = (raw: unknown, meta: ProviderMetadata): number => {
  const source = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const result = offsetSchema(meta).safeParse(source.utcOffsetMinutes);
  if (!result.success) throw validationError('The UTC offset was not saved.', { utcOffsetMinutes: result.error.issues[0]?.message ?? 'Enter whole minutes.' });
  return result.data;
};

export interface SyncPolicyInput {
  syncEnabled: boolean;
  parentOnly: boolean;
  maxProjectLevel: number | null;
  clientSync: ClientSyncPolicy;
  deletionPolicy: DeletionPolicy;
}

export const parseSyncPolicy = (raw: unknown, meta: ProviderMetadata): SyncPolicyInput => {
  const source = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const deepest = meta.objects.project.maxLevel;
  const levelMessage = `Choose a level from 0 (top-level projects only) to ${deepest}, or leave it empty for every level.`;
  const schema = z.object({
    syncEnabled: z.preprocess(checkbox, z.boolean({ error: 'Choose whether this connection syncs.' })),
    parentOnly: z.preprocess(checkbox, z.boolean({ error: 'Choose whether only top-level projects are mirrored.' })),
    maxProjectLevel: z.preprocess((v) => wholeNumber(optional(v)), z.number({ error: levelMessage }).int(levelMessage).min(0, levelMessage).max(deepest, levelMessage).nullable()),
    clientSync: z.preprocess(trimmed, z.enum(CLIENT_SYNC, { error: 'Choose which clients to mirror: all, only those projects refer to, or none.' })),
    deletionPolicy: z.preprocess(trimmed, z.enum(DELETION, { error: 'Choose what happens to records deleted in BQE.' })),
  });
  const errors: FieldErrors = {};
  const result = schema.safeParse(source);
  collect(result, errors);
  if (!result.success) throw validationError('The sync settings have problems; nothing was saved.', errors);
  return result.data;
};
