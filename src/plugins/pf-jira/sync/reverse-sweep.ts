import type { Clock } from '../../../platform/clock.js';
import type { EventBus } from '../../../platform/events.js';
import type { Logger } from '../../../platform/logger.js';
import type { LinkRepository } from '../db/link-repository.js';
import type { PfJiraSettings } from '../settings.js';
import { jqlString } from './intent-resolver.js';
import type { SyncJira, SyncProperty } from './sync-types.js';

export const SWEEP_TASK = 'pf-jira.reverse_sweep';

export interface SweepSummary {
  at: number;
  projects: string[];
  checked: number;
  /** Issues we created whose link the database had lost, now linked again. */
  repaired: { issueKey: string; entityKey: string }[];
  /** Issues whose PeopleForce record no longer exists. */
  orphans: { issueKey: string; entityKey: string }[];
  /** Issues with our label but no readable sync property (edited by hand, or made by another tool). */
  unrecognised: string[];
}

/**
 * The safety net behind crash recovery: searches Jira for recently updated
 * issues carrying the tracking label, re-links any our database lost, and
 * reports issues whose employee no longer exists in PeopleForce.
 */
export const createReverseSweep = (deps: {
  jira: () => SyncJira | undefined;
  links: LinkRepository;
  /** Projects the rules and fallback point at: JQL must be bounded by project. */
  projects: () => string[];
  entityExists: (entityKey: string) => Promise<boolean | undefined>;
  settings: () => PfJiraSettings;
  clock: Clock;
  bus: EventBus;
  logger: Logger;
}) =>
  async (log: Logger = deps.logger): Promise<SweepSummary | undefined> => {
    const jira = deps.jira();
    if (!jira) return undefined;
    const settings = deps.settings();
    const projects = deps.projects();
    const summary: SweepSummary = { at: deps.clock.now(), projects, checked: 0, repaired: [], orphans: [], unrecognised: [] };
    if (!projects.length) return summary;
    const known = new Map<string, boolean | undefined>();
    const jql = `project in (${projects.map(jqlString).join(', ')}) AND labels = ${jqlString(settings.trackingLabel)} AND updated >= -${settings.sweepLookbackHours}h ORDER BY updated DESC`;
    let nextPageToken: string | undefined;
    do {
      const page = await jira.searchJql({ jql, fields: ['labels', 'project'], properties: [settings.issuePropertyKey], maxResults: 100, ...(nextPageToken ? { nextPageToken } : {}) }, { log });
      for (const issue of page.issues) {
        summary.checked++;
        const property = issue.properties?.[settings.issuePropertyKey] as Partial<SyncProperty> | undefined;
        if (!property?.entityKey || !property.scope || !property.clientToken) {
          summary.unrecognised.push(issue.key);
          continue;
        }
        const link = deps.links.get(property.entityKey, property.scope);
        if (!link || (link.state === 'pending' && link.clientToken === property.clientToken)) {
          const projectKey = (issue.fields.project as { key?: string } | undefined)?.key ?? issue.key.split('-')[0] ?? '';
          if (link) deps.links.confirm(link.id, issue, deps.clock.now());
          else deps.links.adopt({ entityKey: property.entityKey, scope: property.scope, projectKey, clientToken: property.clientToken, issueId: issue.id, issueKey: issue.key, now: deps.clock.now() });
          summary.repaired.push({ issueKey: issue.key, entityKey: property.entityKey });
        }
        if (!known.has(property.entityKey)) known.set(property.entityKey, await deps.entityExists(property.entityKey));
        if (known.get(property.entityKey) === false) summary.orphans.push({ issueKey: issue.key, entityKey: property.entityKey });
      }
      nextPageToken = page.isLast ? undefined : (page.nextPageToken ?? undefined);
    } while (nextPageToken);
    log.info({ checked: summary.checked, repaired: summary.repaired.length, orphans: summary.orphans.length, unrecognised: summary.unrecognised.length }, 'reverse sweep finished');
    if (summary.orphans.length) {
      deps.bus.emit('alert.raised', {
        source: 'pf-jira',
        severity: 'warning',
        title: `${summary.orphans.length} Jira issue(s) point at people no longer in PeopleForce`,
        message: summary.orphans.slice(0, 10).map((o) => `${o.issueKey} (${o.entityKey})`).join(', '),
        link: '/admin/pf-jira/connections',
      });
    }
    return summary;
  };
