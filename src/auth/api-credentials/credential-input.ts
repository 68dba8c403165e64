import { validationError, type FieldErrors } from '../../errors.js';
import { API_SCOPE_NAMES, isApiScope, type ApiScope } from './scopes.js';
import type { ApiAuthPolicy } from './credential-policy.js';
import { parseIpRange } from './ip-allowlist.js';

export type ApiCredentialType = 'hmac' | 'bearer';

export const API_CREDENTIAL_TYPES: readonly ApiCredentialType[] = ['hmac', 'bearer'];

export interface ApiCredentialInput {
  name: string;
  type: ApiCredentialType;
  scopes: ApiScope[];
  allowedIps: string[];
  rateLimitPerMinute: number;
}

/** What a form, the CLI or a script hands over: lists may be arrays or text separated by commas, spaces or lines. */
export interface RawApiCredentialInput {
  name?: unknown;
  type?: unknown;
  scopes?: unknown;
  allowedIps?: unknown;
  rateLimitPerMinute?: unknown;
}

const NAME_MAX = 80;

const listOf = (value: unknown): string[] | undefined => {
  if (value === undefined || value === null) return [];
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!items || items.some((item) => typeof item !== 'string')) return undefined;
  return (items as string[]).flatMap((item) => item.split(/[\s,]+/)).filter(Boolean);
};

/** Checks a new credential's fields, all at once, and gives them in their stored form (canonical IPs, no duplicates). */
export const parseCredentialInput = (raw: RawApiCredentialInput, policy: ApiAuthPolicy): ApiCredentialInput => {
  const errors: FieldErrors = {};

  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (!name) errors.name = 'Give the credential a name that says who uses it, for example "HR reporting script".';
  else if (name.length > NAME_MAX) errors.name = `Use at most ${NAME_MAX} characters (this one has ${name.length}).`;
  else if (/[\u0000-\u001f\u007f]/.test(name)) errors.name = 'The name cannot contain line breaks or control characters.';

  const type = raw.type;
  if (typeof type !== 'string' || !API_CREDENTIAL_TYPES.includes(type as ApiCredentialType)) errors.type = 'Choose HMAC (signed requests) or Bearer (a token, only from allowed addresses).';

  const scopeList = listOf(raw.scopes);
  let scopes: ApiScope[] = [];
  if (!scopeList) errors.scopes = 'Scopes must be a list of scope names.';
  else {
    const unknown = scopeList.filter((s) => !isApiScope(s));
    if (unknown.length) errors.scopes = `Unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}; choose from ${API_SCOPE_NAMES.join(', ')}.`;
    else if (!scopeList.length) errors.scopes = 'Choose at least one scope.';
    else scopes = API_SCOPE_NAMES.filter((s) => scopeList.includes(s));
  }

  const ipList = listOf(raw.allowedIps);
  let allowedIps: string[] = [];
  if (!ipList) errors.allowedIps = 'Allowed addresses must be a list of IP addresses or CIDR blocks.';
  else {
    const refused: string[] = [];
    for (const entry of ipList) {
      const parsed = parseIpRange(entry);
      if (parsed.ok) {
        if (!allowedIps.includes(parsed.normalized)) allowedIps.push(parsed.normalized);
      } else refused.push(parsed.reason);
    }
    if (refused.length) errors.allowedIps = refused.join(' ');
    else if (allowedIps.length > policy.maxAllowedIps) errors.allowedIps = `List at most ${policy.maxAllowedIps} addresses or blocks; use a CIDR block to cover a range.`;
    else if (type === 'bearer' && !allowedIps.length) errors.allowedIps = 'A Bearer token is only accepted from the addresses listed here: add at least one IP address or CIDR block.';
    if (errors.allowedIps) allowedIps = [];
  }

  let rateLimitPerMinute = policy.defaultRateLimitPerMinute;
  const rawRate = typeof raw.rateLimitPerMinute === 'string' ? raw.rateLimitPerMinute.trim() : raw.rateLimitPerMinute;
  if (rawRate !== undefined && rawRate !== null && rawRate !== '') {
    const value = typeof rawRate === 'number' ? rawRate : typeof rawRate === 'string' && /^\d+$/.test(rawRate) ? Number(rawRate) : NaN;
    if (!Number.isInteger(value) || value < 1 || value > policy.maxRateLimitPerMinute) {
      errors.rateLimitPerMinute = `Enter a whole number of requests per minute from 1 to ${policy.maxRateLimitPerMinute}.`;
    } else rateLimitPerMinute = value;
  }

  if (Object.keys(errors).length) throw validationError('The credential was not created; check the fields marked.', errors);
  return { name, type: type as ApiCredentialType, scopes, allowedIps, rateLimitPerMinute };
};
