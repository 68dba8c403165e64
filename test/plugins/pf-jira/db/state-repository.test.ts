import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { DbHandle } from '../../../../src/db/connection.js';
import { pluginDb } from '../../../../src/plugins/pf-jira/db/plugin-db.js';
import { createStateRepository, type StateRepository } from '../../../../src/plugins/pf-jira/db/state-repository.js';
import { migratedDb } from '../../../helpers/db.js';

describe('state repository', () => {
  let handle: DbHandle;
  let state: StateRepository;
  beforeEach(() => {
    handle = migratedDb();
    state = createStateRepository(pluginDb(handle));
  });
  afterEach(() => handle.close());

  test('an unknown key reads as undefined', () => {
    assert.equal(state.get('poll.cursor'), undefined);
  });

  test('stores JSON values and reads them back', () => {
    state.set('poll.cursor', { employee: '2026-03-01T10:00:00Z' }, 1000);
    state.set('flag', false, 1000);
    assert.deepEqual(state.get('poll.cursor'), { employee: '2026-03-01T10:00:00Z' });
    assert.equal(state.get('flag'), false);
  });

  test('a second set replaces the value and its time', () => {
    state.set('poll.last_summary', { seen: 1 }, 1000);
    state.set('poll.last_summary', { seen: 2 }, 2000);
    assert.deepEqual(state.get('poll.last_summary'), { seen: 2 });
    assert.deepEqual(handle.sqlite.prepare('SELECT updated_at AS at FROM pfj_state').all(), [{ at: 2000 }]);
  });
});
