import path from 'node:path';
import { parseIpRange } from './auth/api-credentials/ip-allowlist.js';
import { StartupError } from './errors.js';

export type LogFormat = 'pretty' | 'json';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  baseUrl: string;
  /** Raw key material from HUB_SECRET_KEY; undefined means "use or create the key file". */
  secretKey: Buffer | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  /** Tasks run at once by the background pool and by the pool for jobs the UI waits on. */
  jobConcurrency: number;
  uiJobConcurrency: number;
  /** Proxies (addresses or CIDR blocks) whose X-Forwarded-For is believed; empty means the socket peer is the client. */
  trustedProxies: string[];
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Every variable Switchyard reads, with what it means: the README's table mirrors this list. */
export const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'HUB_DATA_DIR',
  'HUB_BASE_URL',
  'HUB_SECRET_KEY',
  'HUB_ADMIN_EMAIL',
  'HUB_ADMIN_PASSWORD',
  'HUB_BODY_LIMIT_KB',
  'HUB_JOB_CONCURRENCY',
  'HUB_UI_JOB_CONCURRENCY',
  'HUB_TRUSTED_PROXIES',
  'LOG_LEVEL',
  'LOG_FORMAT',
] as const;

const fail = (name: string, message: string): never => {
  throw new StartupError(`${name}: ${message}`);
};

const readInt = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) fail(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  const value = Number(raw.trim());
  if (value < min || value > max) fail(name, `must be a whole number from ${min} to ${max} (got ${value})`);
  return value;
};

/** Accepts 32 bytes written as 64 hex characters or as base64. */
export const parseSecretKey = (raw: string): Buffer => {
  const trimmed = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(trimmed) || /^[A-Za-z0-9_-]{43}$/.test(trimmed)) {
    const buf = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
    if (buf.length === 32) return buf;
  }
  return fail(
    'HUB_SECRET_KEY',
    'must be 32 random bytes written as 64 hex characters or base64 (make one with: openssl rand -hex 32)',
  );
};

const readIpList = (env: Env, name: string): string[] => {
  const entries = (env[name] ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  return entries.map((entry) => {
    const parsed = parseIpRange(entry);
    return parsed.ok ? parsed.normalized : fail(name, `${parsed.reason}; list addresses or CIDR blocks separated by commas`);
  });
};

export const loadConfig = (env: Env = process.env, isTty = Boolean(process.stdout.isTTY)): Config => {
  const port = readInt(env, 'PORT', 3000, 1, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';
  if (/\s/.test(host)) fail('HOST', `must be a host name or IP address (got "${host}")`);

  const dataDir = path.resolve(env.HUB_DATA_DIR?.trim() || './data');

  const rawBase = env.HUB_BASE_URL?.trim();
  let baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (rawBase) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(rawBase);
    } catch {
      fail('HUB_BASE_URL', `must be an absolute http(s) URL such as https://hub.example.com (got "${rawBase}")`);
    }
    if (parsed && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      fail('HUB_BASE_URL', `must use http or https (got "${parsed.protocol}")`);
    }
    baseUrl = rawBase.replace(/\/+$/, '');
  }

  const rawKey = env.HUB_SECRET_KEY;
  const secretKey = rawKey === undefined || rawKey === '' ? undefined : parseSecretKey(rawKey);

  const adminEmail = env.HUB_ADMIN_EMAIL?.trim() || undefined;
  const adminPassword = env.HUB_ADMIN_PASSWORD || undefined;
  if (adminEmail && !EMAIL_RE.test(adminEmail)) fail('HUB_ADMIN_EMAIL', `must be an email address (got "${adminEmail}")`);
  if (adminEmail && !adminPassword) fail('HUB_ADMIN_PASSWORD', 'must be set when HUB_ADMIN_EMAIL is set');
  if (adminPassword && !adminEmail) fail('HUB_ADMIN_EMAIL', 'must be set when HUB_ADMIN_PASSWORD is set');
  if (adminPassword && (adminPassword.length < 12 || adminPassword.length > 256)) fail('HUB_ADMIN_PASSWORD', `must be 12 to 256 characters long (got ${adminPassword.length})`);

  const rawLevel = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  if (!LOG_LEVELS.includes(rawLevel as LogLevel)) fail('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${rawLevel}")`);

  const rawFormat = env.LOG_FORMAT?.trim().toLowerCase();
  if (rawFormat && rawFormat !== 'pretty' && rawFormat !== 'json') fail('LOG_FORMAT', `must be pretty or json (got "${rawFormat}")`);
  const logFormat: LogFormat = (rawFormat as LogFormat | undefined) ?? (isTty ? 'pretty' : 'json');

  const bodyLimitBytes = readInt(env, 'HUB_BODY_LIMIT_KB', 1024, 16, 102400) * 1024;

  const jobConcurrency = readInt(env, 'HUB_JOB_CONCURRENCY', 4, 1, 64);
  const uiJobConcurrency = readInt(env, 'HUB_UI_JOB_CONCURRENCY', 2, 1, 16);
  const trustedProxies = readIpList(env, 'HUB_TRUSTED_PROXIES');

  return {
    port,
    host,
    dataDir,
    baseUrl,
    secretKey,
    adminEmail,
    adminPassword,
    logLevel: rawLevel as LogLevel,
    logFormat,
    bodyLimitBytes,
    jobConcurrency,
    uiJobConcurrency,
    trustedProxies,
  };
};
