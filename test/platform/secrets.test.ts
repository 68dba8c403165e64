import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { StartupError } from '../../src/errors.js';
import { KEY_FILE_NAME, resolveMasterKey, SecretBox, verifyKeyCanary, type CanaryStore } from '../../src/platform/secrets.js';
import { startTestHub } from '../helpers/hub.js';

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-secrets-'));
const key = (fill: number): Buffer => Buffer.alloc(32, fill);

const memoryStore = (): CanaryStore & { value: string | undefined } => {
  const store = {
    value: undefined as string | undefined,
    get: () => store.value,
    set: (v: string) => {
      store.value = v;
    },
  };
  return store;
};

describe('SecretBox', () => {
  test('decrypts what it encrypted, including unicode and empty text', () => {
    const box = new SecretBox(key(1));
    for (const plain of ['api-token-123', '', 'päss wörd ✓', 'x'.repeat(5000)]) {
      assert.equal(box.decrypt(box.encrypt(plain)), plain);
    }
  });

  test('writes a versioned value that never contains the plaintext', () => {
    const box = new SecretBox(key(1));
    const sealed = box.encrypt('hunter2-hunter2');
    assert.match(sealed, /^v1:[A-Za-z0-9+/]+=*$/);
    assert.ok(!sealed.includes('hunter2'));
    assert.ok(!Buffer.from(sealed.slice(3), 'base64').toString('latin1').includes('hunter2'));
  });

  test('uses a fresh IV each time, so equal secrets look different', () => {
    const box = new SecretBox(key(1));
    assert.notEqual(box.encrypt('same'), box.encrypt('same'));
  });

  test('a box with the same key opens values sealed by another instance', () => {
    const sealed = new SecretBox(key(9)).encrypt('shared');
    assert.equal(new SecretBox(key(9)).decrypt(sealed), 'shared');
  });

  test('refuses a value sealed with another key', () => {
    const sealed = new SecretBox(key(1)).encrypt('secret');
    assert.throws(() => new SecretBox(key(2)).decrypt(sealed));
  });

  test('detects a tampered ciphertext, IV or tag', () => {
    const box = new SecretBox(key(1));
    const sealed = box.encrypt('secret value');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    for (const index of [0, 12, raw.length - 1]) {
      const tampered = Buffer.from(raw);
      tampered[index] = tampered[index]! ^ 0x01;
      assert.throws(() => box.decrypt(`v1:${tampered.toString('base64')}`), `flipping byte ${index} should be detected`);
    }
  });

  test('refuses values that are not sealed secrets', () => {
    const box = new SecretBox(key(1));
    assert.throws(() => box.decrypt('plain text'), /not a sealed secret/);
    assert.throws(() => box.decrypt('v2:AAAA'), /not a sealed secret/);
    assert.throws(() => box.decrypt('v1:'), /not a sealed secret/);
    assert.throws(() => box.decrypt(`v1:${Buffer.alloc(27).toString('base64')}`), /truncated/);
  });

  test('does not encrypt with the master key itself', () => {
    const master = key(5);
    const sealed = new SecretBox(master).encrypt('derived');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', master, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    assert.throws(() => Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]));
  });
});

describe('resolveMasterKey', () => {
  test('prefers the key from the environment and writes no file', () => {
    const dataDir = tempDir();
    const result = resolveMasterKey(dataDir, key(3));
    assert.equal(result.source, 'env');
    assert.deepEqual(result.key, key(3));
    assert.equal(fs.existsSync(path.join(dataDir, KEY_FILE_NAME)), false);
  });

  test('creates a key file with mode 0600 on a first start', () => {
    const dataDir = tempDir();
    const result = resolveMasterKey(dataDir, undefined);
    const file = path.join(dataDir, KEY_FILE_NAME);
    assert.equal(result.source, 'generated');
    assert.equal(result.key.length, 32);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(file, 'utf8'), `${result.key.toString('hex')}\n`);
  });

  test('re-uses an existing key file', () => {
    const dataDir = tempDir();
    const first = resolveMasterKey(dataDir, undefined);
    const second = resolveMasterKey(dataDir, undefined);
    assert.equal(second.source, 'file');
    assert.deepEqual(second.key, first.key);
  });

  test('tightens a key file readable by others back to 0600', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, KEY_FILE_NAME);
    fs.writeFileSync(file, key(4).toString('base64'), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const result = resolveMasterKey(dataDir, undefined);
    assert.deepEqual(result.key, key(4));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  test('refuses a key file that does not hold a 32-byte key, naming the file', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, KEY_FILE_NAME);
    fs.writeFileSync(file, 'not a key\n', { mode: 0o600 });
    assert.throws(
      () => resolveMasterKey(dataDir, undefined),
      (err: unknown) => {
        assert.ok(err instanceof StartupError);
        assert.equal(err.message, `key file ${file} does not hold a 32-byte key: restore it from your backup or set HUB_SECRET_KEY`);
        return true;
      },
    );
  });
});

describe('verifyKeyCanary', () => {
  test('stores an encrypted canary on a first start', () => {
    const store = memoryStore();
    verifyKeyCanary(new SecretBox(key(1)), store, '/data');
    assert.match(store.value ?? '', /^v1:/);
    assert.equal(new SecretBox(key(1)).decrypt(store.value!), 'switchyard-secret-key-canary');
  });

  test('accepts a later start with the same key and leaves the canary alone', () => {
    const store = memoryStore();
    verifyKeyCanary(new SecretBox(key(1)), store, '/data');
    const stored = store.value;
    assert.doesNotThrow(() => verifyKeyCanary(new SecretBox(key(1)), store, '/data'));
    assert.equal(store.value, stored);
  });

  test('refuses a start with another key', () => {
    const store = memoryStore();
    verifyKeyCanary(new SecretBox(key(1)), store, '/srv/hub');
    assert.throws(
      () => verifyKeyCanary(new SecretBox(key(2)), store, '/srv/hub'),
      (err: unknown) => {
        assert.ok(err instanceof StartupError);
        assert.ok(err.message.startsWith('this data dir was created with another key'), err.message);
        assert.ok(err.message.includes(path.join('/srv/hub', KEY_FILE_NAME)));
        return true;
      },
    );
  });

  test('refuses a canary that decrypts to something else', () => {
    const store = memoryStore();
    store.value = new SecretBox(key(1)).encrypt('not the canary');
    assert.throws(() => verifyKeyCanary(new SecretBox(key(1)), store, '/data'), /^StartupError: this data dir was created with another key/);
  });

  test('refuses a garbled canary', () => {
    const store = memoryStore();
    store.value = 'garbage';
    assert.throws(() => verifyKeyCanary(new SecretBox(key(1)), store, '/data'), StartupError);
  });
});

describe('the hub start', () => {
  test('refuses a data dir opened with another HUB_SECRET_KEY', async () => {
    const dataDir = tempDir();
    const first = await startTestHub({ dataDir, env: { HUB_SECRET_KEY: 'a'.repeat(64) } });
    await first.close();
    await assert.rejects(startTestHub({ dataDir, env: { HUB_SECRET_KEY: 'b'.repeat(64) } }), /^StartupError: this data dir was created with another key/);
    const again = await startTestHub({ dataDir, env: { HUB_SECRET_KEY: 'a'.repeat(64) } });
    await again.close();
    assert.equal(fs.existsSync(path.join(dataDir, KEY_FILE_NAME)), false);
  });
});
