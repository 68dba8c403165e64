import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { DbHandle } from '../../../../src/db/connection.js';
import { ManualClock } from '../../../../src/platform/clock.js';
import { EventBus, type EventMap } from '../../../../src/platform/events.js';
import { pluginDb } from '../../../../src/plugins/pf-jira/db/plugin-db.js';
import { createStateRepository, type StateRepository } from '../../../../src/plugins/pf-jira/db/state-repository.js';
import { createConnectionStatus, type ConnectionStatusService } from '../../../../src/plugins/pf-jira/sync/connection-status.js';
import { migratedDb } from '../../../helpers/db.js';

let handle: DbHandle;
let state: StateRepository;
let clock: ManualClock;
let bus: EventBus;
let alerts: EventMap['alert.raised'][];
let status: ConnectionStatusService;

beforeEach(() => {
  handle = migratedDb();
  state = createStateRepository(pluginDb(handle));
  clock = new ManualClock(Date.UTC(2026, 2, 1));
  bus = new EventBus();
  alerts = [];
  bus.on('alert.raised', (a) => alerts.push(a));
  status = createConnectionStatus(state, clock, bus);
});

afterEach(() => handle.close());

const rowUpdatedAt = (name: string) =>
  (handle.sqlite.prepare('SELECT updated_at AS at FROM pfj_state WHERE key = ?').get(`connection.${name}`) as { at: number } | undefined)?.at;

test('reads as unknown before anything is known', () => {
  assert.deepEqual(status.get('jira'), { state: 'unknown', message: null, checkedAt: null });
  assert.equal(rowUpdatedAt('jira'), undefined);
});

test('marks a refused connection failing and raises one critical alert', () => {
  status.failing('jira', 'HTTP 401 from Jira');
  assert.deepEqual(status.get('jira'), { state: 'failing', message: 'HTTP 401 from Jira', checkedAt: clock.now() });
  assert.deepEqual(alerts, [
    { source: 'pf-jira', severity: 'critical', title: "Jira refused Switchyard's credentials", message: 'HTTP 401 from Jira', link: '/admin/pf-jira/connections' },
  ]);
});

test('raises no second alert while the connection keeps failing, but keeps the latest message', () => {
  status.failing('peopleforce', 'HTTP 401');
  clock.advance(1000);
  status.failing('peopleforce', 'HTTP 403');
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]?.title, "PeopleForce refused Switchyard's credentials");
  assert.equal(status.get('peopleforce').message, 'HTTP 403');
});

test('raises a new alert when the connection fails again after recovering', () => {
  status.failing('jira', 'first');
  status.ok('jira');
  status.failing('jira', 'second');
  assert.deepEqual(alerts.map((a) => a.message), ['first', 'second']);
});

test('clears a failing connection on the next success', () => {
  status.failing('jira', 'HTTP 401');
  clock.advance(5000);
  status.ok('jira');
  assert.deepEqual(status.get('jira'), { state: 'ok', message: null, checkedAt: clock.now() });
});

test('keeps each connection separate', () => {
  status.failing('jira', 'HTTP 401');
  assert.equal(status.get('peopleforce').state, 'unknown');
  status.failing('peopleforce', 'HTTP 401');
  assert.equal(alerts.length, 2);
});

test('does not rewrite the row for a success without a message when already ok', () => {
  status.ok('jira');
  const first = rowUpdatedAt('jira');
  assert.equal(first, clock.now());
  clock.advance(60_000);
  status.ok('jira');
  assert.equal(rowUpdatedAt('jira'), first);
  assert.equal(status.get('jira').checkedAt, first);
});

test('reads a stored ok state so a new instance also skips the rewrite', () => {
  status.ok('jira');
  const first = rowUpdatedAt('jira');
  clock.advance(60_000);
  createConnectionStatus(state, clock, bus).ok('jira');
  assert.equal(rowUpdatedAt('jira'), first);
});

test('records a success with a message even when already ok', () => {
  status.ok('jira');
  clock.advance(60_000);
  status.ok('jira', 'Signed in as Sync Bot');
  assert.deepEqual(status.get('jira'), { state: 'ok', message: 'Signed in as Sync Bot', checkedAt: clock.now() });
  assert.equal(rowUpdatedAt('jira'), clock.now());
});

test('a new instance reading a stored failing state raises no alert for another failure', () => {
  status.failing('jira', 'HTTP 401');
  createConnectionStatus(state, clock, bus).failing('jira', 'HTTP 401 again');
  assert.equal(alerts.length, 1);
});
