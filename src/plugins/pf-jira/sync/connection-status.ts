import type { Clock } from '../../../platform/clock.js';
import type { EventBus } from '../../../platform/events.js';
import type { StateRepository } from '../db/state-repository.js';

export type ConnectionName = 'jira' | 'peopleforce';

export interface ConnectionStatus {
  state: 'unknown' | 'ok' | 'failing';
  message: string | null;
  /** When the state last changed or was confirmed by a test. */
  checkedAt: number | null;
}

const key = (name: ConnectionName) => `connection.${name}`;
const TITLES: Record<ConnectionName, string> = { jira: 'Jira', peopleforce: 'PeopleForce' };

/**
 * Whether each upstream accepted our credentials last time. A refusal (401/403)
 * marks it failing and raises one alert; the next success clears it. A
 * success writes only when the state changes, so a busy sync does not rewrite
 * the row per issue.
 */
export const createConnectionStatus = (state: StateRepository, clock: Clock, bus: EventBus) => {
  const get = (name: ConnectionName): ConnectionStatus => state.get<ConnectionStatus>(key(name)) ?? { state: 'unknown', message: null, checkedAt: null };
  const cache = new Map<ConnectionName, ConnectionStatus['state']>();

  const set = (name: ConnectionName, next: ConnectionStatus) => {
    state.set(key(name), next, clock.now());
    cache.set(name, next.state);
  };

  return {
    get,
    ok(name: ConnectionName, message: string | null = null): void {
      if ((cache.get(name) ?? get(name).state) === 'ok' && message === null) return;
      set(name, { state: 'ok', message, checkedAt: clock.now() });
    },
    failing(name: ConnectionName, message: string): void {
      const before = cache.get(name) ?? get(name).state;
      set(name, { state: 'failing', message, checkedAt: clock.now() });
      if (before !== 'failing') {
        bus.emit('alert.raised', { source: 'pf-jira', severity: 'critical', title: `${TITLES[name]} refused Switchyard's credentials`, message, link: '/admin/pf-jira/connections' });
      }
    },
  };
};

export type ConnectionStatusService = ReturnType<typeof createConnectionStatus>;
