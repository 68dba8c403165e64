import type { JiraState } from './jira-model.js';
import { formatJiraTime } from './jira-time.js';

/** The whole site as `/__sim/state` shows it: what a test asserts on after driving the real client. */
export const snapshotOf = (state: JiraState) => ({
  config: { ...state.config },
  counters: { ...state.counters },
  projects: state.projects.map((p) => ({
    id: p.id,
    key: p.key,
    name: p.name,
    projectTypeKey: p.projectTypeKey,
    components: p.components.map((c) => ({ ...c })),
    issueTypes: Object.entries(p.screens).map(([id, screen]) => ({
      id,
      name: state.issueTypes[id]?.name ?? id,
      fields: screen.map((f) => ({ fieldId: f.fieldId, name: state.fields[f.fieldId]?.name ?? f.fieldId, required: f.required })),
    })),
  })),
  fields: structuredClone(Object.values(state.fields)),
  boards: state.boards.map((b) => ({ ...b })),
  users: state.users.map((u) => ({ ...u })),
  issues: state.issues.map((i) => ({
    id: i.id,
    key: i.key,
    project: state.projects.find((p) => p.id === i.projectId)?.key ?? i.projectId,
    issuetype: { id: i.issueTypeId, name: state.issueTypes[i.issueTypeId]?.name ?? i.issueTypeId },
    fields: structuredClone(i.fields),
    labels: [...((i.fields.labels as string[] | undefined) ?? [])],
    properties: structuredClone(i.properties),
    created: formatJiraTime(i.created),
    updated: formatJiraTime(i.updated),
    deleted: i.deleted,
  })),
});

export type SimSnapshot = ReturnType<typeof snapshotOf>;
