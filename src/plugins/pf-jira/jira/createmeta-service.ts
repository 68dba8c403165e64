import type { CacheRead, SwrCache } from '../../../platform/swr-cache.js';
import type { JiraClient } from './jira-client.js';
import type { BoardSummary, FieldMeta, IssueTypeMeta, ProjectSummary } from './jira-types.js';

const PREFIX = 'pf-jira:';

/** Cache keys for Jira metadata; project keys never contain a colon, so the keys parse back unambiguously. */
export const createmetaKeys = {
  projects: (): string => `${PREFIX}projects`,
  issueTypes: (projectKey: string): string => `${PREFIX}issuetypes:${projectKey}`,
  fields: (projectKey: string, issueTypeId: string): string => `${PREFIX}createmeta:${projectKey}:${issueTypeId}`,
  fieldsOfProject: (projectKey: string): string => `${PREFIX}createmeta:${projectKey}:`,
  boards: (projectKey: string): string => `${PREFIX}boards:${projectKey}`,
};

type ParsedKey = { kind: 'projects' } | { kind: 'issueTypes'; projectKey: string } | { kind: 'fields'; projectKey: string; issueTypeId: string } | { kind: 'boards'; projectKey: string };

export const parseCreatemetaKey = (key: string): ParsedKey | undefined => {
  if (key === createmetaKeys.projects()) return { kind: 'projects' };
  const issueTypes = /^pf-jira:issuetypes:([^:]+)$/.exec(key);
  if (issueTypes?.[1]) return { kind: 'issueTypes', projectKey: issueTypes[1] };
  const fields = /^pf-jira:createmeta:([^:]+):([^:]+)$/.exec(key);
  if (fields?.[1] && fields[2]) return { kind: 'fields', projectKey: fields[1], issueTypeId: fields[2] };
  const boards = /^pf-jira:boards:([^:]+)$/.exec(key);
  if (boards?.[1]) return { kind: 'boards', projectKey: boards[1] };
  return undefined;
};

export interface CreatemetaServiceOptions {
  cache: SwrCache;
  /** Built per call from the current settings, so a changed token or site applies at once. */
  client: () => JiraClient;
  policy: () => { freshMs: number; maxStaleMs: number };
  /** Hands a stale key to a background job (which calls `refresh`) instead of reloading in this process. */
  revalidate?: (key: string) => void;
}

/**
 * Jira's projects, issue types and create screens, served from the
 * stale-while-revalidate cache: rule pages and sync jobs read them constantly,
 * and they change rarely.
 */
export const createCreatemetaService = (options: CreatemetaServiceOptions) => {
  const read = <T>(key: string, load: () => Promise<T>): Promise<CacheRead<T>> =>
    options.cache.get(key, load, { ...options.policy(), ...(options.revalidate ? { revalidate: options.revalidate } : {}) });

  const loaders = {
    projects: () => options.client().allProjects(),
    issueTypes: (projectKey: string) => options.client().issueTypes(projectKey),
    fields: (projectKey: string, issueTypeId: string) => options.client().createMetaFields(projectKey, issueTypeId),
    boards: async (projectKey: string): Promise<BoardSummary[]> => {
      const client = options.client();
      const all: BoardSummary[] = [];
      // The next offset is what we hold so far, so paging always moves forward whatever Jira echoes.
      for (;;) {
        const page = await client.boards({ projectKeyOrId: projectKey, startAt: all.length });
        all.push(...page.values);
        if (page.isLast) return all;
      }
    },
  };

  const issueTypes = (projectKey: string): Promise<CacheRead<IssueTypeMeta[]>> => read(createmetaKeys.issueTypes(projectKey), () => loaders.issueTypes(projectKey));

  return {
    projects: (): Promise<CacheRead<ProjectSummary[]>> => read(createmetaKeys.projects(), loaders.projects),

    issueTypes,

    fields: (projectKey: string, issueTypeId: string): Promise<CacheRead<FieldMeta[]>> =>
      read(createmetaKeys.fields(projectKey, issueTypeId), () => loaders.fields(projectKey, issueTypeId)),

    boards: (projectKey: string): Promise<CacheRead<BoardSummary[]>> => read(createmetaKeys.boards(projectKey), () => loaders.boards(projectKey)),

    /** What is cached now, however old, without asking Jira: for checks that must never wait on it. */
    cached: {
      projects: (): ProjectSummary[] | undefined => options.cache.peek<ProjectSummary[]>(createmetaKeys.projects())?.value,
      issueTypes: (projectKey: string): IssueTypeMeta[] | undefined => options.cache.peek<IssueTypeMeta[]>(createmetaKeys.issueTypes(projectKey))?.value,
      boards: (projectKey: string): BoardSummary[] | undefined => options.cache.peek<BoardSummary[]>(createmetaKeys.boards(projectKey))?.value,
      fields: (projectKey: string, issueTypeId: string): FieldMeta[] | undefined => options.cache.peek<FieldMeta[]>(createmetaKeys.fields(projectKey, issueTypeId))?.value,
    },

    /** Admins and the fallback setting name issue types; Jira's create calls want ids. */
    issueTypeByName: async (projectKey: string, name: string): Promise<IssueTypeMeta | undefined> => {
      const wanted = name.trim().toLowerCase();
      return (await issueTypes(projectKey)).value.find((t) => t.name.trim().toLowerCase() === wanted);
    },

    /** Forgets a project's issue types and create screens; returns how many stored entries went. */
    purgeProject: (projectKey: string): number =>
      options.cache.purge(createmetaKeys.fieldsOfProject(projectKey)) + (options.cache.delete(createmetaKeys.issueTypes(projectKey)) ? 1 : 0),

    /** Reloads one key now (the revalidation job's work); false when the key is not one of ours. */
    refresh: async (key: string): Promise<boolean> => {
      const parsed = parseCreatemetaKey(key);
      if (!parsed) return false;
      if (parsed.kind === 'projects') await options.cache.refresh(key, loaders.projects);
      else if (parsed.kind === 'issueTypes') await options.cache.refresh(key, () => loaders.issueTypes(parsed.projectKey));
      else if (parsed.kind === 'boards') await options.cache.refresh(key, () => loaders.boards(parsed.projectKey));
      else await options.cache.refresh(key, () => loaders.fields(parsed.projectKey, parsed.issueTypeId));
      return true;
    },
  };
};

export type CreatemetaService = ReturnType<typeof createCreatemetaService>;
