import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createAuditRepository } from '../../src/db/repositories/audit-repository.js';
import { createDomainConfigRepository } from '../../src/db/repositories/domain-config-repository.js';
import { transactionRunner } from '../../src/db/transaction.js';
import { AppError } from '../../src/errors.js';
import type { Actor } from '../../src/platform/actor.js';
import { createAuditService, type AuditService } from '../../src/platform/audit.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createDomainConfigService, type DomainConfigService } from '../../src/platform/domain-config.js';
import { EventBus, type EventMap } from '../../src/platform/events.js';
import { SecretBox } from '../../src/platform/secrets.js';
import type { DomainDeclaration } from '../../src/platform/settings-schema.js';
import { migratedDb } from '../helpers/db.js';

const admin: Actor = { userId: 1, email: 'admin@example.com', role: 'admin', ip: '127.0.0.1', requestId: 'r1' };
const otherAdmin: Actor = { ...admin, userId: 2, email: 'other@example.com' };

const decl: DomainDeclaration = {
  domain: 'crm',
  title: 'CRM',
  description: 'Test domain.',
  polling: { defaultEnabled: false, defaultIntervalSeconds: 300, minIntervalSeconds: 30, maxIntervalSeconds: 3600 },
  fallbackProjects: true,
  settings: [
    { key: 'label', label: 'Label', help: '', type: 'string', default: 'Main', pattern: '^[A-Za-z ]*$', patternMessage: 'Letters and spaces only.' },
    { key: 'batch', label: 'Batch', help: '', type: 'integer', default: 50, min: 1, max: 500 },
    { key: 'dryRun', label: 'Dry run', help: '', type: 'boolean', default: false },
    { key: 'mode', label: 'Mode', help: '', type: 'select', default: 'fast', options: [{ value: 'fast', label: 'Fast' }, { value: 'safe', label: 'Safe' }] },
    { key: 'tags', label: 'Tags', help: '', type: 'list', default: ['a'], itemPattern: '^[a-z]+$', itemMessage: 'lower-case letters only' },
    { key: 'baseUrl', label: 'Base URL', help: '', type: 'url', default: '' },
    { key: 'apiToken', label: 'API token', help: '', type: 'secret' },
  ],
};

interface Fixture {
  db: ReturnType<typeof migratedDb>;
  service: DomainConfigService;
  audit: AuditService;
  clock: ManualClock;
  events: EventBus;
  box: SecretBox;
}

const build = (db = migratedDb(), clock = new ManualClock()): Fixture => {
  const audit = createAuditService(createAuditRepository(db.db), clock);
  const events = new EventBus();
  const box = new SecretBox(Buffer.alloc(32, 7));
  const service = createDomainConfigService({ repo: createDomainConfigRepository(db.db), tx: transactionRunner(db), audit, secrets: box, clock, events });
  return { db, service, audit, clock, events, box };
};

const storedRow = (f: Fixture, domain = 'crm') => f.db.sqlite.prepare('SELECT * FROM domain_configs WHERE domain = ?').get(domain) as { settings: string; version: number; enabled: number; poll_interval_seconds: number; fallback_projects: string; updated_by: string | null };

const fieldErrorsOf = (fn: () => unknown): Record<string, string> => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.status, 422);
    return err.fieldErrors ?? {};
  }
  assert.fail('expected a validation error');
};

describe('declare', () => {
  let f: Fixture;
  beforeEach(() => {
    f = build();
    f.service.declare(decl);
  });
  afterEach(() => f.db.close());

  test('creates a row with the declared defaults at version 1', () => {
    const config = f.service.get('crm');
    assert.equal(config.domain, 'crm');
    assert.equal(config.enabled, false);
    assert.equal(config.pollIntervalSeconds, 300);
    assert.deepEqual(config.fallbackProjects, []);
    assert.deepEqual(config.settings, { label: 'Main', batch: 50, dryRun: false, mode: 'fast', tags: ['a'], baseUrl: '', apiToken: false });
    assert.equal(config.version, 1);
    assert.equal(config.updatedBy, null);
    assert.equal(config.updatedAt, f.clock.now());
  });

  test('gives a domain without polling the switch on and no interval', () => {
    f.service.declare({ domain: 'plain', title: 'Plain', description: '', settings: [] });
    assert.equal(f.service.get('plain').enabled, true);
    assert.equal(f.service.get('plain').pollIntervalSeconds, 0);
  });

  test('keeps stored values when declared again at the next start', () => {
    f.service.update(admin, 'crm', { settings: { batch: '99' } });
    const restarted = build(f.db);
    restarted.service.declare(decl);
    assert.equal(restarted.service.get('crm').settings.batch, 99);
    assert.equal(restarted.service.get('crm').version, 2);
  });

  test('fills in the default of a setting declared later, leaving the others', () => {
    f.service.update(admin, 'crm', { settings: { batch: '99' } });
    const restarted = build(f.db);
    restarted.service.declare({ ...decl, settings: [...decl.settings, { key: 'region', label: 'Region', help: '', type: 'string', default: 'eu' }] });
    const config = restarted.service.get('crm');
    assert.equal(config.settings.region, 'eu');
    assert.equal(config.settings.batch, 99);
    assert.equal(JSON.parse(storedRow(f).settings).region, 'eu');
  });

  test('lists declarations and refuses unknown domains with 404', () => {
    assert.deepEqual(f.service.declarations().map((d) => d.domain), ['crm']);
    assert.equal(f.service.declaration('crm').title, 'CRM');
    for (const call of [() => f.service.get('nope'), () => f.service.declaration('nope'), () => f.service.update(admin, 'nope', {})]) {
      assert.throws(call, (err: unknown) => err instanceof AppError && err.status === 404 && /no settings domain named "nope"/.test(err.message));
    }
  });

  test('refuses to read a declared domain whose row has gone', () => {
    f.db.sqlite.prepare("DELETE FROM domain_configs WHERE domain = 'crm'").run();
    f.service.reload();
    assert.throws(() => f.service.get('crm'), (err: unknown) => err instanceof AppError && err.status === 404);
  });
});

describe('update', () => {
  let f: Fixture;
  beforeEach(() => {
    f = build();
    f.service.declare(decl);
  });
  afterEach(() => f.db.close());

  test('saves form values of every type and bumps the version', () => {
    f.clock.advance(5000);
    const saved = f.service.update(admin, 'crm', {
      enabled: 'on',
      pollIntervalSeconds: '60',
      fallbackProjects: 'HR, OPS\nIT',
      settings: { label: ' Sales Team ', batch: '100', dryRun: '1', mode: 'safe', tags: 'x\ny', baseUrl: 'https://crm.example.com', apiToken: 'tok-123' },
      expectedVersion: 1,
    });
    assert.equal(saved.version, 2);
    assert.equal(saved.enabled, true);
    assert.equal(saved.pollIntervalSeconds, 60);
    assert.deepEqual(saved.fallbackProjects, ['HR', 'OPS', 'IT']);
    assert.deepEqual(saved.settings, { label: 'Sales Team', batch: 100, dryRun: true, mode: 'safe', tags: ['x', 'y'], baseUrl: 'https://crm.example.com', apiToken: true });
    assert.equal(saved.updatedBy, 'admin@example.com');
    assert.equal(saved.updatedAt, f.clock.now());
    const row = storedRow(f);
    assert.equal(row.version, 2);
    assert.equal(row.enabled, 1);
    assert.equal(row.updated_by, 'admin@example.com');
  });

  test('reads boolean form values "0" and "1"', () => {
    f.service.update(admin, 'crm', { enabled: '1', settings: { dryRun: '1' } });
    assert.equal(f.service.get('crm').enabled, true);
    f.service.update(admin, 'crm', { enabled: '0', settings: { dryRun: '0' } });
    assert.equal(f.service.get('crm').enabled, false);
    assert.equal(f.service.get('crm').settings.dryRun, false);
  });

  test('stores a secret encrypted and shows it only as set or not set', () => {
    f.service.update(admin, 'crm', { settings: { apiToken: 'tok-123' } });
    const stored = JSON.parse(storedRow(f).settings).apiToken as string;
    assert.match(stored, /^v1:/);
    assert.ok(!storedRow(f).settings.includes('tok-123'));
    assert.equal(f.box.decrypt(stored), 'tok-123');
    assert.equal(f.service.get('crm').settings.apiToken, true);
    assert.equal(f.service.secret('crm', 'apiToken'), 'tok-123');
  });

  test('keeps the stored secret when the field is left blank', () => {
    f.service.update(admin, 'crm', { settings: { apiToken: 'tok-123' } });
    f.service.update(admin, 'crm', { settings: { apiToken: '', batch: '7' } });
    assert.equal(f.service.secret('crm', 'apiToken'), 'tok-123');
    assert.equal(f.service.get('crm').settings.batch, 7);
  });

  test('returns no secret before one is stored', () => {
    assert.equal(f.service.secret('crm', 'apiToken'), undefined);
    assert.equal(f.service.get('crm').settings.apiToken, false);
  });

  test('reports every invalid field keyed like the form, and saves nothing', () => {
    const errors = fieldErrorsOf(() =>
      f.service.update(admin, 'crm', {
        enabled: 'maybe',
        pollIntervalSeconds: '5',
        fallbackProjects: 'HR, bad-key',
        settings: { label: 'R2D2', batch: '501', dryRun: 'perhaps', mode: 'turbo', tags: 'ok, NOT', baseUrl: 'ftp://x', apiToken: 'x'.repeat(5000), ghost: '1' },
      }),
    );
    assert.deepEqual(errors, {
      enabled: 'Choose on or off.',
      pollIntervalSeconds: 'Must be at least 30 seconds.',
      fallbackProjects: '"bad-key": a Jira project key is 2-10 capital letters, digits or _ starting with a letter',
      'settings.label': 'Letters and spaces only.',
      'settings.batch': 'Must be at most 500.',
      'settings.dryRun': 'Choose on or off.',
      'settings.mode': 'Choose one of: Fast, Safe.',
      'settings.tags': '"NOT": lower-case letters only',
      'settings.baseUrl': 'Enter an http(s) URL, or leave it empty.',
      'settings.apiToken': 'Use at most 4096 characters.',
      'settings.ghost': 'Unknown setting "ghost" for CRM.',
    });
    assert.equal(storedRow(f).version, 1);
    assert.equal(f.service.get('crm').version, 1);
    assert.equal(f.service.get('crm').settings.batch, 50);
    assert.equal(f.audit.search({ limit: 10, offset: 0 }).total, 0);
  });

  test('saves nothing when one field of several is invalid', () => {
    const errors = fieldErrorsOf(() => f.service.update(admin, 'crm', { settings: { batch: '10', mode: 'turbo' } }));
    assert.deepEqual(Object.keys(errors), ['settings.mode']);
    assert.equal(f.service.get('crm').settings.batch, 50);
    assert.equal(JSON.parse(storedRow(f).settings).batch, 50);
  });

  test('refuses polling and fallback fields for a domain that has neither', () => {
    f.service.declare({ domain: 'plain', title: 'Plain', description: '', settings: [] });
    const errors = fieldErrorsOf(() => f.service.update(admin, 'plain', { pollIntervalSeconds: 60, fallbackProjects: ['HR'] }));
    assert.deepEqual(errors, { pollIntervalSeconds: 'This domain does not poll.', fallbackProjects: 'This domain has no fallback projects.' });
  });

  test('refuses a save based on an old version with 409, naming who saved', () => {
    f.service.update(otherAdmin, 'crm', { settings: { batch: '10' }, expectedVersion: 1 });
    assert.throws(
      () => f.service.update(admin, 'crm', { settings: { batch: '20' }, expectedVersion: 1 }),
      (err: unknown) => err instanceof AppError && err.status === 409 && err.message.includes('other@example.com'),
    );
    assert.equal(f.service.get('crm').settings.batch, 10);
    assert.equal(f.service.get('crm').version, 2);
  });

  test('refuses with 409 when the row changed underneath since it was read', () => {
    f.service.get('crm');
    f.db.sqlite.prepare("UPDATE domain_configs SET version = 5 WHERE domain = 'crm'").run();
    assert.throws(
      () => f.service.update(admin, 'crm', { settings: { batch: '20' } }),
      (err: unknown) => err instanceof AppError && err.status === 409 && /while you saved/.test(err.message),
    );
    assert.equal(f.audit.search({ limit: 10, offset: 0 }).total, 0);
  });

  test('refuses viewers and operators with 403', () => {
    for (const role of ['viewer', 'operator'] as const) {
      assert.throws(
        () => f.service.update({ ...admin, role }, 'crm', { settings: { batch: '20' } }),
        (err: unknown) => err instanceof AppError && err.status === 403 && err.message.includes(`Your role (${role}) cannot change settings`),
      );
    }
    assert.equal(f.service.get('crm').version, 1);
  });

  test('audits only the changed settings, with secrets recorded as "[changed]"', () => {
    f.service.update(admin, 'crm', { settings: { batch: '75', mode: 'fast', apiToken: 'tok-abc' } });
    const [entry] = f.audit.search({ limit: 10, offset: 0 }).rows;
    assert.ok(entry);
    assert.equal(entry.action, 'settings.update');
    assert.equal(entry.targetType, 'domain');
    assert.equal(entry.targetId, 'crm');
    assert.equal(entry.actorEmail, 'admin@example.com');
    assert.deepEqual(JSON.parse(entry.before!), { enabled: false, pollIntervalSeconds: 300, fallbackProjects: [], batch: 50, apiToken: '[changed]' });
    assert.deepEqual(JSON.parse(entry.after!), { enabled: false, pollIntervalSeconds: 300, fallbackProjects: [], batch: 75, apiToken: '[changed]' });
    assert.ok(!entry.after!.includes('tok-abc'));
  });

  test('audits a replaced secret even though both values show as "set"', () => {
    f.service.update(admin, 'crm', { settings: { apiToken: 'first-token' } });
    f.service.update(admin, 'crm', { settings: { apiToken: 'second-token' } });
    const [latest] = f.audit.search({ limit: 10, offset: 0 }).rows;
    assert.ok(latest);
    assert.equal(JSON.parse(latest.after!).apiToken, '[changed]');
    assert.equal(f.service.secret('crm', 'apiToken'), 'second-token');
  });

  test('shows the new value to readers at once', () => {
    const readerBefore = f.service.setting<number>('crm', 'batch');
    f.service.update(admin, 'crm', { settings: { batch: '123' } });
    assert.equal(readerBefore, 50);
    assert.equal(f.service.setting<number>('crm', 'batch'), 123);
    assert.equal(f.service.get('crm').settings.batch, 123);
  });

  test('announces the change on the event bus', () => {
    const seen: EventMap['domain-config.changed'][] = [];
    f.events.on('domain-config.changed', (e) => seen.push(e));
    f.service.update(admin, 'crm', { settings: { batch: '2' } });
    assert.deepEqual(seen, [{ domain: 'crm', version: 2 }]);
  });

  test('announces nothing when the update is refused', () => {
    let count = 0;
    f.events.on('domain-config.changed', () => count++);
    assert.throws(() => f.service.update(admin, 'crm', { settings: { batch: 'x' } }));
    assert.equal(count, 0);
  });

  test('reads rows written directly after reload()', () => {
    f.service.get('crm');
    const settings = JSON.parse(storedRow(f).settings);
    f.db.sqlite.prepare("UPDATE domain_configs SET settings = ? WHERE domain = 'crm'").run(JSON.stringify({ ...settings, batch: 321 }));
    assert.equal(f.service.get('crm').settings.batch, 50);
    f.service.reload();
    assert.equal(f.service.get('crm').settings.batch, 321);
  });
});
