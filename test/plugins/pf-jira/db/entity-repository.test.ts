import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { DbHandle } from '../../../../src/db/connection.js';
import { createEntityRepository, type EntityRepository } from '../../../../src/plugins/pf-jira/db/entity-repository.js';
import { pluginDb } from '../../../../src/plugins/pf-jira/db/plugin-db.js';
import { migratedDb } from '../../../helpers/db.js';

describe('entity repository', () => {
  let handle: DbHandle;
  let entities: EntityRepository;
  beforeEach(() => {
    handle = migratedDb();
    entities = createEntityRepository(pluginDb(handle));
  });
  afterEach(() => handle.close());

  test('an entity never seen reads as undefined', () => {
    assert.equal(entities.get('employee:1'), undefined);
  });

  test('stores a snapshot and reads it back', () => {
    const snapshot = { entityKey: 'employee:1', updatedAt: '2026-03-01T10:00:00Z', hash: 'abc', terminated: false, lastSeenAt: 1000 };
    entities.upsert(snapshot);
    assert.deepEqual(entities.get('employee:1'), snapshot);
  });

  test('a later snapshot of the same entity replaces the earlier one', () => {
    entities.upsert({ entityKey: 'employee:1', updatedAt: 'a', hash: 'h1', terminated: false, lastSeenAt: 1000 });
    entities.upsert({ entityKey: 'employee:1', updatedAt: 'b', hash: 'h2', terminated: true, lastSeenAt: 2000 });
    entities.upsert({ entityKey: 'employee:2', updatedAt: 'c', hash: 'h3', terminated: false, lastSeenAt: 2000 });
    assert.deepEqual(entities.get('employee:1'), { entityKey: 'employee:1', updatedAt: 'b', hash: 'h2', terminated: true, lastSeenAt: 2000 });
    assert.equal(entities.get('employee:2')?.hash, 'h3');
  });
});
