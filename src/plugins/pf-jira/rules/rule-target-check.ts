import type { FieldErrors } from '../../../errors.js';
import type { BoardSummary, ProjectSummary } from '../jira/jira-types.js';

/** What the editor knows about Jira right now, read from the cache without ever waiting on Jira. */
export interface CachedJira {
  projects(): ProjectSummary[] | undefined;
  boards(projectKey: string): BoardSummary[] | undefined;
}

export interface DraftTarget {
  projectKey: string;
  boardId: string;
}

/**
 * A target the Jira account cannot see: a project missing from the project
 * list Jira gave it, or a board that is not among the project's boards. Only
 * judged when the list is cached; otherwise validation checks it once Jira answers.
 */
export const targetErrors = (draft: DraftTarget, jira: CachedJira): FieldErrors => {
  const errors: FieldErrors = {};
  const key = draft.projectKey.trim().toUpperCase();
  if (!key) return errors;
  const projects = jira.projects();
  if (projects && !projects.some((p) => p.key === key)) {
    errors.projectKey = `The Jira account Switchyard uses cannot see project ${key} (Jira lists ${projects.length} project${projects.length === 1 ? '' : 's'} for it). Choose another, or ask a Jira admin for access.`;
    return errors;
  }
  const boardId = draft.boardId.trim();
  if (!/^\d+$/.test(boardId)) return errors;
  const boards = jira.boards(key);
  if (boards && !boards.some((b) => b.id === Number(boardId))) {
    errors.boardId = `Board ${boardId} is not one of the ${boards.length} board${boards.length === 1 ? '' : 's'} Jira shows for project ${key}. Choose a board from the list, or leave it empty.`;
  }
  return errors;
};
