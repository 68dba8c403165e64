import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { CONFIG_VARIABLES, loadConfig, parseSecretKey } from '../src/config.js';
import { StartupError } from '../src/errors.js';

const HEX_KEY = 'a'.repeat(64);
const PASSWORD = 'correct-horse-battery-staple';

/** Asserts loadConfig refuses env with a StartupError whose message starts with the variable's name. */
const refuses = (env: Record<string, string>, variable: string, says: RegExp): void => {
  assert.throws(
    () => loadConfig(env, false),
    (err: unknown) => {
      assert.ok(err instanceof StartupError, `expected a StartupError, got ${String(err)}`);
      assert.ok(err.message.startsWith(`${variable}: `), `message "${err.message}" should start with "${variable}: "`);
      assert.match(err.message, says);
      return true;
    },
  );
};

describe('loadConfig', () => {
  test('uses documented defaults when nothing is set', () => {
    const config = loadConfig({}, false);
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, path.resolve('./data'));
    assert.equal(config.baseUrl, 'http://127.0.0.1:3000');
    assert.equal(config.secretKey, undefined);
    assert.equal(config.adminEmail, undefined);
    assert.equal(config.adminPassword, undefined);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.logFormat, 'json');
    assert.equal(config.bodyLimitBytes, 1024 * 1024);
  });

  test('treats empty strings like unset variables', () => {
    const config = loadConfig({ PORT: '', HOST: '', HUB_DATA_DIR: '', HUB_BASE_URL: '', HUB_SECRET_KEY: '', LOG_LEVEL: '', LOG_FORMAT: '', HUB_BODY_LIMIT_KB: '' }, false);
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.secretKey, undefined);
    assert.equal(config.logLevel, 'info');
  });

  test('reads every variable it documents', () => {
    const config = loadConfig(
      {
        PORT: ' 8080 ',
        HOST: '0.0.0.0',
        HUB_DATA_DIR: '/var/lib/switchyard',
        HUB_BASE_URL: 'https://hub.example.com///',
        HUB_SECRET_KEY: HEX_KEY,
        HUB_ADMIN_EMAIL: ' admin@example.com ',
        HUB_ADMIN_PASSWORD: PASSWORD,
        HUB_BODY_LIMIT_KB: '64',
        LOG_LEVEL: 'DEBUG',
        LOG_FORMAT: 'Pretty',
      },
      false,
    );
    assert.equal(config.port, 8080);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, '/var/lib/switchyard');
    assert.equal(config.baseUrl, 'https://hub.example.com');
    assert.deepEqual(config.secretKey, Buffer.alloc(32, 0xaa));
    assert.equal(config.adminEmail, 'admin@example.com');
    assert.equal(config.adminPassword, PASSWORD);
    assert.equal(config.bodyLimitBytes, 64 * 1024);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.logFormat, 'pretty');
  });

  test('lists every variable it reads', () => {
    for (const name of ['PORT', 'HOST', 'HUB_DATA_DIR', 'HUB_BASE_URL', 'HUB_SECRET_KEY', 'HUB_ADMIN_EMAIL', 'HUB_ADMIN_PASSWORD', 'HUB_BODY_LIMIT_KB', 'HUB_JOB_CONCURRENCY', 'HUB_UI_JOB_CONCURRENCY', 'LOG_LEVEL', 'LOG_FORMAT']) {
      assert.ok((CONFIG_VARIABLES as readonly string[]).includes(name), name);
    }
  });

  test('reads the job pool sizes, defaulting to 4 background and 2 UI workers', () => {
    const defaults = loadConfig({}, false);
    assert.equal(defaults.jobConcurrency, 4);
    assert.equal(defaults.uiJobConcurrency, 2);
    const set = loadConfig({ HUB_JOB_CONCURRENCY: '64', HUB_UI_JOB_CONCURRENCY: '1' }, false);
    assert.equal(set.jobConcurrency, 64);
    assert.equal(set.uiJobConcurrency, 1);
  });

  test('resolves a relative data dir against the working directory', () => {
    assert.equal(loadConfig({ HUB_DATA_DIR: 'some/where' }, false).dataDir, path.resolve('some/where'));
  });

  test('derives the base URL from host and port, bracketing IPv6 hosts', () => {
    assert.equal(loadConfig({ HOST: '10.0.0.5', PORT: '81' }, false).baseUrl, 'http://10.0.0.5:81');
    assert.equal(loadConfig({ HOST: '::1', PORT: '3001' }, false).baseUrl, 'http://[::1]:3001');
  });

  test('chooses pretty logs on a terminal and JSON otherwise', () => {
    assert.equal(loadConfig({}, true).logFormat, 'pretty');
    assert.equal(loadConfig({}, false).logFormat, 'json');
    assert.equal(loadConfig({ LOG_FORMAT: 'json' }, true).logFormat, 'json');
    assert.equal(loadConfig({ LOG_FORMAT: 'pretty' }, false).logFormat, 'pretty');
  });

  test('accepts every log level', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
      assert.equal(loadConfig({ LOG_LEVEL: level }, false).logLevel, level);
    }
  });

  test('accepts the edges of numeric ranges', () => {
    assert.equal(loadConfig({ PORT: '1' }, false).port, 1);
    assert.equal(loadConfig({ PORT: '65535' }, false).port, 65535);
    assert.equal(loadConfig({ HUB_BODY_LIMIT_KB: '16' }, false).bodyLimitBytes, 16 * 1024);
    assert.equal(loadConfig({ HUB_BODY_LIMIT_KB: '102400' }, false).bodyLimitBytes, 102400 * 1024);
  });
});

describe('loadConfig refuses bad values', () => {
  test('refuses a PORT that is not a whole number', () => {
    refuses({ PORT: 'abc' }, 'PORT', /whole number from 1 to 65535 \(got "abc"\)/);
    refuses({ PORT: '80.5' }, 'PORT', /whole number from 1 to 65535/);
    refuses({ PORT: '-1' }, 'PORT', /whole number from 1 to 65535/);
  });

  test('refuses a PORT outside 1-65535', () => {
    refuses({ PORT: '0' }, 'PORT', /from 1 to 65535 \(got 0\)/);
    refuses({ PORT: '99999' }, 'PORT', /from 1 to 65535 \(got 99999\)/);
  });

  test('refuses a HOST containing whitespace', () => {
    refuses({ HOST: 'my host' }, 'HOST', /host name or IP address \(got "my host"\)/);
  });

  test('refuses a HUB_BASE_URL that is not a URL', () => {
    refuses({ HUB_BASE_URL: 'hub.example.com' }, 'HUB_BASE_URL', /absolute http\(s\) URL/);
  });

  test('refuses a HUB_BASE_URL with another scheme', () => {
    refuses({ HUB_BASE_URL: 'ftp://hub.example.com' }, 'HUB_BASE_URL', /must use http or https \(got "ftp:"\)/);
  });

  test('refuses a HUB_SECRET_KEY of the wrong size or alphabet', () => {
    for (const bad of ['abc', 'z'.repeat(64), 'a'.repeat(62), Buffer.alloc(16).toString('base64')]) {
      refuses({ HUB_SECRET_KEY: bad }, 'HUB_SECRET_KEY', /32 random bytes written as 64 hex characters or base64.*openssl rand -hex 32/);
    }
  });

  test('refuses a HUB_ADMIN_EMAIL that is not an email address', () => {
    refuses({ HUB_ADMIN_EMAIL: 'not-an-email', HUB_ADMIN_PASSWORD: PASSWORD }, 'HUB_ADMIN_EMAIL', /must be an email address \(got "not-an-email"\)/);
  });

  test('refuses HUB_ADMIN_EMAIL without a password', () => {
    refuses({ HUB_ADMIN_EMAIL: 'admin@example.com' }, 'HUB_ADMIN_PASSWORD', /must be set when HUB_ADMIN_EMAIL is set/);
  });

  test('refuses HUB_ADMIN_PASSWORD without an email', () => {
    refuses({ HUB_ADMIN_PASSWORD: PASSWORD }, 'HUB_ADMIN_EMAIL', /must be set when HUB_ADMIN_PASSWORD is set/);
  });

  test('refuses a HUB_ADMIN_PASSWORD shorter than 12 characters', () => {
    refuses({ HUB_ADMIN_EMAIL: 'admin@example.com', HUB_ADMIN_PASSWORD: 'short' }, 'HUB_ADMIN_PASSWORD', /must be 12 to 256 characters long \(got 5\)/);
  });

  test('refuses a HUB_ADMIN_PASSWORD longer than 256 characters', () => {
    refuses({ HUB_ADMIN_EMAIL: 'admin@example.com', HUB_ADMIN_PASSWORD: 'x'.repeat(257) }, 'HUB_ADMIN_PASSWORD', /must be 12 to 256 characters long \(got 257\)/);
  });

  test('refuses an unknown LOG_LEVEL and lists the allowed ones', () => {
    refuses({ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', /must be one of fatal, error, warn, info, debug, trace, silent \(got "verbose"\)/);
  });

  test('refuses an unknown LOG_FORMAT', () => {
    refuses({ LOG_FORMAT: 'xml' }, 'LOG_FORMAT', /must be pretty or json \(got "xml"\)/);
  });

  test('refuses job pool sizes outside their ranges', () => {
    refuses({ HUB_JOB_CONCURRENCY: '0' }, 'HUB_JOB_CONCURRENCY', /whole number from 1 to 64 \(got 0\)/);
    refuses({ HUB_JOB_CONCURRENCY: '65' }, 'HUB_JOB_CONCURRENCY', /from 1 to 64/);
    refuses({ HUB_UI_JOB_CONCURRENCY: '17' }, 'HUB_UI_JOB_CONCURRENCY', /whole number from 1 to 16 \(got 17\)/);
  });

  test('refuses a HUB_BODY_LIMIT_KB outside 16-102400', () => {
    refuses({ HUB_BODY_LIMIT_KB: '15' }, 'HUB_BODY_LIMIT_KB', /whole number from 16 to 102400 \(got 15\)/);
    refuses({ HUB_BODY_LIMIT_KB: '102401' }, 'HUB_BODY_LIMIT_KB', /from 16 to 102400/);
    refuses({ HUB_BODY_LIMIT_KB: '1mb' }, 'HUB_BODY_LIMIT_KB', /from 16 to 102400 \(got "1mb"\)/);
  });
});

describe('parseSecretKey', () => {
  const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 3));

  test('accepts 64 hex characters in either case, with surrounding whitespace', () => {
    assert.deepEqual(parseSecretKey(key.toString('hex')), key);
    assert.deepEqual(parseSecretKey(` ${key.toString('hex').toUpperCase()}\n`), key);
  });

  test('accepts standard base64 with or without padding', () => {
    const b64 = key.toString('base64');
    assert.equal(b64.length, 44);
    assert.deepEqual(parseSecretKey(b64), key);
    assert.deepEqual(parseSecretKey(b64.replace(/=$/, '')), key);
  });

  test('accepts URL-safe base64', () => {
    const urlKey = Buffer.alloc(32, 0xfb);
    const text = urlKey.toString('base64url');
    assert.match(text, /[-_]/);
    assert.deepEqual(parseSecretKey(text), urlKey);
  });

  test('refuses a key of 31 or 33 bytes', () => {
    assert.throws(() => parseSecretKey(Buffer.alloc(31, 1).toString('hex')), StartupError);
    assert.throws(() => parseSecretKey(Buffer.alloc(33, 1).toString('base64')), /^StartupError: HUB_SECRET_KEY: /);
  });
});

describe('HUB_TRUSTED_PROXIES', () => {
  test('defaults to no trusted proxy', () => {
    assert.deepEqual(loadConfig({}, false).trustedProxies, []);
    assert.deepEqual(loadConfig({ HUB_TRUSTED_PROXIES: ' ' }, false).trustedProxies, []);
  });

  test('reads addresses and CIDR blocks, IPv4 and IPv6, in their canonical spelling', () => {
    assert.deepEqual(loadConfig({ HUB_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8,,2001:DB8::/32 , ::ffff:192.0.2.1' }, false).trustedProxies, ['127.0.0.1', '10.0.0.0/8', '2001:db8::/32', '192.0.2.1']);
    assert.ok((CONFIG_VARIABLES as readonly string[]).includes('HUB_TRUSTED_PROXIES'));
  });

  test('refuses an entry that is not an address or block, naming it', () => {
    refuses({ HUB_TRUSTED_PROXIES: '127.0.0.1, proxy.internal' }, 'HUB_TRUSTED_PROXIES', /"proxy\.internal" is not an IP address or CIDR block/);
    refuses({ HUB_TRUSTED_PROXIES: '10.0.0.1/8' }, 'HUB_TRUSTED_PROXIES', /did you mean 10\.0\.0\.0\/8\?/);
  });
});
