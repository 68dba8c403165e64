import { createAppContext, type AppContext } from '../app-context.js';
import type { ApiCredentialView } from '../auth/api-credentials/credential-service.js';
import { loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import type { Actor } from '../platform/actor.js';
import { createLogger } from '../platform/logger.js';

export type Print = (line: string) => void;

/** Whoever runs the CLI on the server already holds the database and its key, so they act as an admin. */
const CLI_ACTOR: Actor = { userId: null, email: 'cli', role: 'admin', ip: null, requestId: null };

const withContext = async <T>(fn: (ctx: AppContext) => T): Promise<T> => {
  const config = loadConfig();
  const ctx = await createAppContext(config, createLogger({ level: 'warn', format: config.logFormat }));
  try {
    return fn(ctx);
  } catch (err) {
    if (isAppError(err) && err.fieldErrors) throw new Error(`${err.message} ${Object.entries(err.fieldErrors).map(([k, v]) => `${k}: ${v}`).join(' ')}`);
    if (isAppError(err)) throw new Error(err.message);
    throw err;
  } finally {
    ctx.close();
  }
};

const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

const secretLines = (credential: ApiCredentialView, secret: string, out: Print, warn: Print): void => {
  out(`client id: ${credential.clientId}`);
  out(`${credential.type === 'hmac' ? 'secret' : 'token'}: ${secret}`);
  warn(`Copy the ${credential.type === 'hmac' ? 'secret' : 'token'} now: it is shown only this once and cannot be shown again. If it is lost, run "switchyard credentials rotate ${credential.clientId}".`);
};

export interface CredentialsCreateArgs {
  name: string | undefined;
  type: string | undefined;
  scopes: string[];
  ips: string[];
  rate: string | undefined;
}

export const credentialsCreate = (args: CredentialsCreateArgs, out: Print, warn: Print): Promise<void> =>
  withContext((ctx) => {
    const { credential, secret } = ctx.apiCredentials.create(CLI_ACTOR, { name: args.name, type: args.type, scopes: args.scopes, allowedIps: args.ips, rateLimitPerMinute: args.rate });
    out(`created ${credential.type} credential "${credential.name}"`);
    secretLines(credential, secret, out, warn);
  });

const COLUMNS: [string, (c: ApiCredentialView) => string][] = [
  ['CLIENT ID', (c) => c.clientId],
  ['NAME', (c) => c.name],
  ['TYPE', (c) => c.type],
  ['STATUS', (c) => (c.hasSecondary ? `${c.status} (previous secret until ${when(c.secondaryExpiresAt)})` : c.status)],
  ['SCOPES', (c) => c.scopes.join(',')],
  ['ALLOWED IPS', (c) => (c.allowedIps.length ? c.allowedIps.join(',') : 'any')],
  ['RATE/MIN', (c) => String(c.rateLimitPerMinute)],
  ['LAST USED', (c) => (c.lastUsedAt === null ? 'never' : `${when(c.lastUsedAt)} from ${c.lastUsedIp ?? '?'}`)],
];

/** A plain table; it never holds a secret, a hash or a sealed value. */
export const credentialsList = (out: Print): Promise<void> =>
  withContext((ctx) => {
    const credentials = ctx.apiCredentials.list();
    if (!credentials.length) {
      out('No API credentials yet. Create one with: switchyard credentials create --name <name> --type hmac|bearer --scopes <scope,...>');
      return;
    }
    const rows = [COLUMNS.map(([title]) => title), ...credentials.map((c) => COLUMNS.map(([, cell]) => cell(c)))];
    const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    for (const row of rows) out(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
  });

export const credentialsRotate = (clientId: string, out: Print, warn: Print): Promise<void> =>
  withContext((ctx) => {
    const { credential, secret } = ctx.apiCredentials.rotate(CLI_ACTOR, clientId);
    out(`rotated ${credential.clientId}; the previous ${credential.type === 'hmac' ? 'secret' : 'token'} keeps working until ${when(credential.secondaryExpiresAt)} unless you retire it sooner`);
    secretLines(credential, secret, out, warn);
  });

export const credentialsRetire = (clientId: string, out: Print): Promise<void> =>
  withContext((ctx) => {
    const credential = ctx.apiCredentials.retireSecondary(CLI_ACTOR, clientId);
    out(`retired the previous ${credential.type === 'hmac' ? 'secret' : 'token'} of ${credential.clientId}; only the current one works now`);
  });

export const credentialsRevoke = (clientId: string, out: Print): Promise<void> =>
  withContext((ctx) => {
    const credential = ctx.apiCredentials.revoke(CLI_ACTOR, clientId);
    out(`revoked ${credential.clientId} ("${credential.name}"); requests with it are refused from now on`);
  });
