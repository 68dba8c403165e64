import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from '../errors.js';
import { parseSecretKey } from '../config.js';

export const KEY_FILE_NAME = 'secret.key';
const FORMAT = 'v1';
const CANARY_PLAINTEXT = 'switchyard-secret-key-canary';

/** Encrypts secrets at rest (AES-256-GCM); values carry their format version so keys can rotate later. */
export class SecretBox {
  readonly #key: Buffer;

  constructor(masterKey: Buffer) {
    // A purpose-bound subkey: the master key can later derive other keys without reusing this one.
    this.#key = Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'switchyard:secrets', 32));
  }

  encrypt(plaintext: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${FORMAT}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** Throws when the value was sealed with another key or was tampered with. */
  decrypt(sealed: string): string {
    const [format, payload] = sealed.split(':', 2);
    if (format !== FORMAT || !payload) throw new Error('not a sealed secret');
    const raw = Buffer.from(payload, 'base64');
    if (raw.length < 28) throw new Error('sealed secret is truncated');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/**
 * The key comes from HUB_SECRET_KEY, else from the data dir's key file,
 * which is created once (mode 0600) on a first start.
 */
export const resolveMasterKey = (dataDir: string, fromEnv: Buffer | undefined): { key: Buffer; source: 'env' | 'file' | 'generated' } => {
  if (fromEnv) return { key: fromEnv, source: 'env' };
  const file = path.join(dataDir, KEY_FILE_NAME);
  if (fs.existsSync(file)) {
    const stat = fs.statSync(file);
    if ((stat.mode & 0o077) !== 0) {
      fs.chmodSync(file, 0o600);
    }
    const text = fs.readFileSync(file, 'utf8');
    try {
      return { key: parseSecretKey(text), source: 'file' };
    } catch {
      throw new StartupError(`key file ${file} does not hold a 32-byte key: restore it from your backup or set HUB_SECRET_KEY`);
    }
  }
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, source: 'generated' };
};

export interface CanaryStore {
  get(): string | undefined;
  set(value: string): void;
}

/**
 * Stores an encrypted canary on first start and checks it on every later one,
 * so a wrong key is refused at once instead of failing on each secret.
 */
export const verifyKeyCanary = (box: SecretBox, store: CanaryStore, dataDir: string): void => {
  const existing = store.get();
  if (existing === undefined) {
    store.set(box.encrypt(CANARY_PLAINTEXT));
    return;
  }
  let ok = false;
  try {
    ok = box.decrypt(existing) === CANARY_PLAINTEXT;
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new StartupError(
      `this data dir was created with another key: set HUB_SECRET_KEY to the key it was created with, or put that key back in ${path.join(dataDir, KEY_FILE_NAME)} and unset HUB_SECRET_KEY`,
    );
  }
};
