import type { DomainConfigService } from '../../platform/domain-config.js';
import type { DomainDeclaration } from '../../platform/settings-schema.js';

export const DOMAIN = 'pf-jira';

const LABEL = '^[^\\s]{1,100}$';

/** Everything the engine reads from DomainConfig; nothing here is hard-coded elsewhere. */
export const pfJiraDeclaration: Omit<DomainDeclaration, 'domain'> = {
  title: 'PeopleForce → Jira',
  description: 'Turns PeopleForce HR events into Jira issues through routing rules.',
  helpTopic: 'pf-jira-routing-rules',
  polling: { defaultEnabled: false, defaultIntervalSeconds: 300, minIntervalSeconds: 30, maxIntervalSeconds: 86_400 },
  fallbackProjects: true,
  settings: [
    { key: 'peopleforceUrl', label: 'PeopleForce URL', help: 'Your PeopleForce address, without the /api path.', type: 'url', default: 'https://app.peopleforce.io' },
    {
      key: 'peopleforceApiVersion',
      label: 'PeopleForce API version',
      help: 'Which public API version to call (the paths are /api/public/<version>).',
      type: 'select',
      default: 'v3',
      options: [
        { value: 'v2', label: 'v2' },
        { value: 'v3', label: 'v3' },
      ],
    },
    { key: 'peopleforceApiKey', label: 'PeopleForce API key', help: 'A Company API key from Settings → Open API keys in PeopleForce.', type: 'secret' },
    { key: 'peopleforceWebhookSecret', label: 'Webhook secret', help: 'The secret set on the PeopleForce webhook; deliveries without a valid signature are refused.', type: 'secret' },
    { key: 'pollLeaveRequests', label: 'Poll leave requests', help: 'Also poll leave requests, not only employees.', type: 'boolean', default: false },
    { key: 'jiraSiteUrl', label: 'Jira site URL', help: 'For example https://your-company.atlassian.net', type: 'url', default: '' },
    { key: 'jiraEmail', label: 'Jira account email', help: 'The Atlassian account the API token belongs to.', type: 'string', default: '', maxLength: 254 },
    { key: 'jiraApiToken', label: 'Jira API token', help: 'Created at id.atlassian.com → Security → API tokens.', type: 'secret' },
    { key: 'trackingLabel', label: 'Tracking label', help: 'Put on every issue Switchyard creates; the reverse sweep searches for it.', type: 'string', default: 'switchyard', required: true, pattern: LABEL, patternMessage: 'A Jira label cannot contain spaces.' },
    { key: 'entityLabelPrefix', label: 'Entity label prefix', help: 'Each issue also gets <prefix><entity type>-<id>, e.g. pf-employee-133710, so it can be found again after a crash.', type: 'string', default: 'pf-', required: true, pattern: LABEL, patternMessage: 'A Jira label cannot contain spaces.' },
    { key: 'issuePropertyKey', label: 'Issue property key', help: 'The issue property that records which PeopleForce record an issue stands for.', type: 'string', default: 'switchyard.sync', required: true, pattern: '^[A-Za-z0-9._-]{1,255}$', patternMessage: 'Use letters, digits, dot, dash or underscore.' },
    {
      key: 'noMatchAction',
      label: 'When no rule matches',
      help: 'Send the event to the first fallback project, or drop it with the reason recorded.',
      type: 'select',
      default: 'fallback',
      options: [
        { value: 'fallback', label: 'Create in the fallback project' },
        { value: 'drop', label: 'Drop the event' },
      ],
    },
    { key: 'fallbackIssueType', label: 'Fallback issue type', help: 'Issue type name used in the fallback project.', type: 'string', default: 'Task', required: true },
    {
      key: 'ghostAction',
      label: 'When a linked issue is gone',
      help: 'If Jira says a linked issue no longer exists (deleted, or no permission), create it again or drop the change.',
      type: 'select',
      default: 'recreate',
      options: [
        { value: 'recreate', label: 'Create it again' },
        { value: 'drop', label: 'Drop the change' },
      ],
    },
    { key: 'createmetaFreshSeconds', label: 'Create-screen cache: fresh for', help: 'How long Jira create-screen metadata is used without asking Jira again.', type: 'integer', default: 3600, min: 10, max: 604_800, unit: 'seconds' },
    { key: 'createmetaMaxStaleSeconds', label: 'Create-screen cache: serve stale for', help: 'Up to this age stale metadata is still used while a refresh runs in the background.', type: 'integer', default: 604_800, min: 60, max: 2_592_000, unit: 'seconds' },
    { key: 'searchIndexGraceSeconds', label: 'Search index delay', help: "After a crash mid-create, how long to keep looking for the issue in Jira's search (which lags) before creating it again.", type: 'integer', default: 120, min: 0, max: 3600, unit: 'seconds' },
    { key: 'jiraTimeoutSeconds', label: 'Jira timeout', help: 'A Jira call taking longer than this fails and is retried later.', type: 'integer', default: 20, min: 1, max: 120, unit: 'seconds' },
    { key: 'peopleforceTimeoutSeconds', label: 'PeopleForce timeout', help: 'A PeopleForce call taking longer than this fails and is retried later.', type: 'integer', default: 20, min: 1, max: 120, unit: 'seconds' },
    { key: 'maxInlineWaitSeconds', label: 'Longest rate-limit wait in place', help: 'A Retry-After up to this long is waited out inside the job; longer ones reschedule the job.', type: 'integer', default: 10, min: 0, max: 120, unit: 'seconds' },
    { key: 'sweepLookbackHours', label: 'Reverse sweep looks back', help: 'The reverse sweep checks tracked issues updated within this many hours.', type: 'integer', default: 48, min: 1, max: 720, unit: 'hours' },
    { key: 'eventRetentionDays', label: 'Keep events for', help: 'Finished events older than this are deleted each night.', type: 'integer', default: 90, min: 1, max: 3650, unit: 'days' },
  ],
};

export interface PfJiraSettings {
  enabled: boolean;
  pollIntervalSeconds: number;
  fallbackProjects: string[];
  peopleforceUrl: string;
  peopleforceApiVersion: 'v2' | 'v3';
  pollLeaveRequests: boolean;
  jiraSiteUrl: string;
  jiraEmail: string;
  trackingLabel: string;
  entityLabelPrefix: string;
  issuePropertyKey: string;
  noMatchAction: 'fallback' | 'drop';
  fallbackIssueType: string;
  ghostAction: 'recreate' | 'drop';
  createmetaFreshSeconds: number;
  createmetaMaxStaleSeconds: number;
  searchIndexGraceSeconds: number;
  jiraTimeoutSeconds: number;
  peopleforceTimeoutSeconds: number;
  maxInlineWaitSeconds: number;
  sweepLookbackHours: number;
  eventRetentionDays: number;
}

export interface PfJiraSecrets {
  peopleforceApiKey?: string;
  peopleforceWebhookSecret?: string;
  jiraApiToken?: string;
}

/** Typed access to the plugin's DomainConfig, read fresh on every call so a save applies at once. */
export const settingsReader = (domainConfig: DomainConfigService) => ({
  settings(): PfJiraSettings {
    const c = domainConfig.get(DOMAIN);
    return { ...(c.settings as unknown as PfJiraSettings), enabled: c.enabled, pollIntervalSeconds: c.pollIntervalSeconds, fallbackProjects: c.fallbackProjects };
  },
  secret(key: keyof PfJiraSecrets): string | undefined {
    return domainConfig.secret(DOMAIN, key);
  },
  version(): number {
    return domainConfig.get(DOMAIN).version;
  },
});

export type SettingsReader = ReturnType<typeof settingsReader>;

/** The entity label put on every issue for one PeopleForce record, e.g. pf-employee-133710. */
export const entityLabel = (prefix: string, entityKey: string): string => `${prefix}${entityKey.replace(':', '-')}`;
