/** Every URL of the pf-jira plugin, in one place (mounted under /admin/pf-jira and /hooks/pf-jira). */
const base = '/admin/pf-jira';

export const pfRoutes = {
  connections: `${base}/connections`,
  connection: (name: 'jira' | 'peopleforce') => `${base}/connections/${name}`,
  connectionTest: (name: 'jira' | 'peopleforce') => `${base}/connections/${name}/test`,
  events: `${base}/events`,
  event: (id: number) => `${base}/events/${id}`,
  eventReplay: (id: number) => `${base}/events/${id}/replay`,
  rules: `${base}/rules`,
  rulesValidate: `${base}/rules/validate`,
  pollNow: `${base}/poll`,
  webhook: '/hooks/pf-jira/peopleforce',
} as const;

/** The same paths relative to the plugin's mount point, for registering handlers. */
export const local = (path: string): string => path.slice(base.length) || '/';
