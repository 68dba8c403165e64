import type { EventStatus } from '../db/event-repository.js';

declare module '../../../platform/events.js' {
  interface EventMap {
    /** An entity's events reached an outcome (or failed and will retry). */
    'pf-jira.sync': { entityKey: string; scope: string; status: EventStatus; issueKey: string | null; eventIds: number[] };
    /** Events were routed (or dropped) by the rules. */
    'pf-jira.routed': { entityKey: string; eventIds: number[] };
  }
}
