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
  /** SSE: rule badges, rows and the sync panel, live. */
  rulesStream: `${base}/rules/stream`,
  rulesReorder: `${base}/rules/reorder`,
  ruleMove: (id: number, direction: 'up' | 'down') => `${base}/rules/${id}/move/${direction}`,
  ruleEnabled: (id: number) => `${base}/rules/${id}/enabled`,
  ruleNew: `${base}/rules/new`,
  rule: (id: number) => `${base}/rules/${id}`,
  ruleEdit: (id: number) => `${base}/rules/${id}/edit`,
  ruleDelete: (id: number) => `${base}/rules/${id}/delete`,
  /** Re-renders the editor form (add/remove a condition or mapping row) without saving. */
  ruleForm: `${base}/rules/form`,
  rulePreview: `${base}/rules/preview`,
  /** Lazy-hydrated Jira fragments of the rule editor, served from the SWR cache. */
  jiraProjects: `${base}/jira/projects`,
  jiraIssueTypes: `${base}/jira/issue-types`,
  jiraFields: `${base}/jira/fields`,
  jiraBoards: `${base}/jira/boards`,
  /** Sync now: queues an immediate poll on the ui_fast pool. */
  pollNow: `${base}/poll`,
  deadLetters: `${base}/dead-letters`,
  deadLetterAction: (action: 'retry' | 'discard') => `${base}/dead-letters/${action}`,
  webhook: '/hooks/pf-jira/peopleforce',
} as const;

/** The same paths relative to the plugin's mount point, for registering handlers. */
export const local = (path: string): string => path.slice(base.length) || '/';
