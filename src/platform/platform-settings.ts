import type { DomainDeclaration } from './settings-schema.js';

export const PLATFORM_DOMAIN = 'platform';

/** The hub's own settings: the same DomainConfig mechanism plugins use, without polling. */
export const platformDeclaration: DomainDeclaration = {
  domain: PLATFORM_DOMAIN,
  title: 'General',
  description: 'Sign-in, sessions and record keeping for the whole hub.',
  helpTopic: 'settings',
  settings: [
    { key: 'instanceName', label: 'Instance name', help: 'Shown in the navigation bar and page titles, so admins can tell environments apart.', type: 'string', default: 'Switchyard', required: true, maxLength: 60 },
    { key: 'sessionHours', label: 'Session lifetime', help: 'Hours a sign-in stays valid while idle. Each request extends it.', type: 'integer', default: 12, min: 1, max: 720, unit: 'hours' },
    { key: 'loginSlowdownAfter', label: 'Slow sign-in after', help: 'Failed sign-ins from one address for one account before each further try is delayed.', type: 'integer', default: 5, min: 1, max: 50, unit: 'failures' },
    { key: 'loginLockoutAfter', label: 'Refuse sign-in after', help: 'Failed sign-ins before further tries are refused for the lockout period.', type: 'integer', default: 10, min: 2, max: 100, unit: 'failures' },
    { key: 'loginLockoutMinutes', label: 'Lockout period', help: 'Minutes a refused sign-in stays refused, counted from the last failure.', type: 'integer', default: 15, min: 1, max: 1440, unit: 'minutes' },
    { key: 'jobHistoryRetentionDays', label: 'Keep job statistics for', help: 'Days of per-task counts and durations kept after succeeded jobs are removed. Dead jobs stay until someone acts on them.', type: 'integer', default: 90, min: 7, max: 3650, unit: 'days' },
    { key: 'auditRetentionDays', label: 'Keep audit log for', help: 'Days of audit history kept; older entries are pruned by the daily upkeep.', type: 'integer', default: 365, min: 30, max: 3650, unit: 'days' },
  ],
};

export interface PlatformSettings {
  instanceName: string;
  sessionHours: number;
  loginSlowdownAfter: number;
  loginLockoutAfter: number;
  loginLockoutMinutes: number;
  auditRetentionDays: number;
  jobHistoryRetentionDays: number;
}
