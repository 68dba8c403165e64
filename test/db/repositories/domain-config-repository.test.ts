import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDomainConfigRepository, type DomainConfigRepository, type DomainConfigRow } from '../../../src/db/repositories/domain-config-repository.js';
import { migratedDb } from '../../helpers/db.js';

const row = (domain: string, version = 1): DomainConfigRow => ({
  domain,
  enabled: true,
  pollIntervalSeconds: 60,
  fallbackProjects: '[]',
  settings: '{}',
  version,
  updatedAt: 0,
  updatedBy: null,
});

let db: ReturnType<typeof migratedDb>;
let repo: DomainConfigRepository;
before(() => {
  db = migratedDb();
  repo = createDomainConfigRepository(db.db);
});
after(() => db.close());

test('inserts a row only when the domain has none', () => {
  repo.insertIfMissing(row('alpha'));
  repo.insertIfMissing({ ...row('alpha'), settings: '{"changed":true}' });
  assert.equal(repo.find('alpha')?.settings, '{}');
  assert.equal(repo.find('missing'), undefined);
});

test('lists every domain', () => {
  repo.insertIfMissing(row('beta'));
  assert.deepEqual(repo.all().map((r) => r.domain).sort(), ['alpha', 'beta']);
});

test('updates only when the stored version is the expected one', () => {
  assert.equal(repo.updateIfVersion({ ...row('beta', 2), settings: '{"x":1}' }, 1), true);
  assert.equal(repo.updateIfVersion({ ...row('beta', 3), settings: '{"x":2}' }, 1), false);
  assert.deepEqual({ version: repo.find('beta')?.version, settings: repo.find('beta')?.settings }, { version: 2, settings: '{"x":1}' });
});
