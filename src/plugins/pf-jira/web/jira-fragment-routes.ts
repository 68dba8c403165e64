import type { Context } from 'hono';
import { Hono } from 'hono';
import type { CacheRead } from '../../../platform/swr-cache.js';
import type { AppEnv } from '../../../web/app-env.js';
import { requireRole } from '../../../web/middleware/access.js';
import type { Engine } from '../engine.js';
import { describeJiraFailure, withinTimeLimit } from '../jira/jira-wait.js';
import type { IssueTypeMeta } from '../jira/jira-types.js';
import { local, pfRoutes } from './pf-routes.js';

/** A picker shows this many options before the admin types; remote search finds the rest. */
const FIRST_OPTIONS = 50;
const SEARCH_RESULTS = 50;
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;

type Loaded<T> = { ok: true; value: T; fetchedAt: number; fresh: boolean } | { ok: false; error: string };

/** Cached (fresh, or stale while a refresh runs) at once; otherwise Jira gets a few seconds before the page says why not. */
const load = async <T>(read: () => Promise<CacheRead<T>>): Promise<Loaded<T>> => {
  try {
    const r = await withinTimeLimit(read());
    return { ok: true, value: r.value, fetchedAt: r.fetchedAt, fresh: r.fresh };
  } catch (err) {
    return { ok: false, error: describeJiraFailure(err) };
  }
};

const projectKeyOf = (value: string | undefined): string => {
  const key = (value ?? '').trim().toUpperCase();
  return PROJECT_KEY.test(key) ? key : '';
};

const matches = (query: string, ...texts: string[]): boolean => {
  const q = query.trim().toLowerCase();
  return !q || texts.some((t) => t.toLowerCase().includes(q));
};

const wantsJson = (c: Context): boolean => c.req.query('format') === 'json';

/**
 * The rule editor's Jira parts, each loaded after the modal opened: project,
 * issue type, create-screen fields and board pickers, from the
 * stale-while-revalidate cache. When Jira cannot be had, each says why and
 * leaves a plain input, so the editor is never blocked. `format=json` serves
 * the remote search of the project and board pickers.
 */
export const jiraFragmentRoutes = (engine: Engine): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();
  const admin = requireRole('admin', 'change routing rules');
  const fragment = (c: Context<AppEnv>, view: string, data: Record<string, unknown>) => c.var.renderer.fragment(c, `plugins/pf-jira/${view}`, { ...data, routes: pfRoutes });
  const unavailable = (c: Context<AppEnv>, error: string) => c.json({ error: { code: 'jira_unavailable', message: `${error}.` } }, 503);

  /** An issue type by id, else by name, from a project's list. */
  const typeOf = (types: IssueTypeMeta[], id: string, name: string): IssueTypeMeta | undefined =>
    types.find((t) => t.id === id) ?? (name ? types.find((t) => t.name.toLowerCase() === name.toLowerCase()) : undefined);

  app.get(local(pfRoutes.jiraProjects), admin, async (c) => {
    const q = c.req.query('q') ?? '';
    const selected = projectKeyOf(c.req.query('projectKey'));
    const loaded = await load(() => engine.createmeta.projects());
    if (wantsJson(c)) {
      if (!loaded.ok) return unavailable(c, loaded.error);
      return c.json(loaded.value.filter((p) => matches(q, p.key, p.name)).slice(0, SEARCH_RESULTS).map((p) => ({ value: p.key, text: `${p.key} · ${p.name}` })));
    }
    if (!loaded.ok) return fragment(c, 'jira-projects', { loaded, selected });
    const sorted = [...loaded.value].sort((a, b) => a.key.localeCompare(b.key));
    const shown = sorted.slice(0, FIRST_OPTIONS);
    const current = sorted.find((p) => p.key === selected);
    if (current && !shown.includes(current)) shown.unshift(current);
    return fragment(c, 'jira-projects', { loaded, selected, options: shown, total: sorted.length, known: !selected || current !== undefined });
  });

  app.get(local(pfRoutes.jiraIssueTypes), admin, async (c) => {
    const projectKey = projectKeyOf(c.req.query('projectKey'));
    const selectedId = c.req.query('issueTypeId') ?? '';
    const selectedName = c.req.query('issueTypeName') ?? '';
    if (!projectKey) return fragment(c, 'jira-issue-types', { projectKey, selectedId, selectedName, loaded: undefined });
    const loaded = await load(() => engine.createmeta.issueTypes(projectKey));
    const chosen = loaded.ok ? typeOf(loaded.value, selectedId, selectedName) : undefined;
    return fragment(c, 'jira-issue-types', { projectKey, selectedId, selectedName, loaded, chosen, types: loaded.ok ? loaded.value.filter((t) => !t.subtask) : [] });
  });

  app.get(local(pfRoutes.jiraFields), admin, async (c) => {
    const projectKey = projectKeyOf(c.req.query('projectKey'));
    const issueTypeId = c.req.query('issueTypeId') ?? '';
    const issueTypeName = c.req.query('issueTypeName') ?? '';
    const mapped = new Set(Object.entries(c.req.queries()).flatMap(([k, v]) => (/^mappings\.\d+\.fieldId$/.test(k) ? v.map((s) => s.trim()) : [])));
    if (!projectKey || (!issueTypeId && !issueTypeName)) return fragment(c, 'jira-fields', { ready: false });
    const types = await load(() => engine.createmeta.issueTypes(projectKey));
    if (!types.ok) return fragment(c, 'jira-fields', { ready: true, loaded: types });
    const type = typeOf(types.value, issueTypeId, issueTypeName);
    if (!type) return fragment(c, 'jira-fields', { ready: true, loaded: { ok: false, error: `Jira project ${projectKey} has no issue type ${issueTypeName ? `“${issueTypeName}”` : issueTypeId}; choose the issue type again` } });
    const loaded = await load(() => engine.createmeta.fields(projectKey, type.id));
    const fields = loaded.ok ? [...loaded.value].sort((a, b) => Number(b.required) - Number(a.required) || a.name.localeCompare(b.name)) : [];
    // Jira fills project and issue type itself from the rule, and a required field with a default needs no mapping.
    const requiredMissing = fields.filter((f) => f.required && !f.hasDefaultValue && !['project', 'issuetype', 'reporter'].includes(f.fieldId) && !mapped.has(f.fieldId));
    return fragment(c, 'jira-fields', { ready: true, loaded, fields, requiredMissing, mapped: [...mapped], where: `${projectKey} / ${type.name}` });
  });

  app.get(local(pfRoutes.jiraBoards), admin, async (c) => {
    const projectKey = projectKeyOf(c.req.query('projectKey'));
    const q = c.req.query('q') ?? '';
    const boardId = (c.req.query('boardId') ?? '').trim();
    const boardName = c.req.query('boardName') ?? '';
    if (!projectKey) {
      if (wantsJson(c)) return c.json([]);
      return fragment(c, 'jira-boards', { projectKey, boardId, boardName, loaded: undefined });
    }
    const loaded = await load(() => engine.createmeta.boards(projectKey));
    if (wantsJson(c)) {
      if (!loaded.ok) return unavailable(c, loaded.error);
      return c.json(loaded.value.filter((b) => matches(q, b.name, String(b.id))).slice(0, SEARCH_RESULTS).map((b) => ({ value: String(b.id), text: `${b.name} (${b.type})` })));
    }
    const boards = loaded.ok ? loaded.value : [];
    const shown = boards.slice(0, FIRST_OPTIONS);
    const current = boards.find((b) => String(b.id) === boardId);
    if (current && !shown.includes(current)) shown.unshift(current);
    return fragment(c, 'jira-boards', { projectKey, boardId, boardName, loaded, options: shown, total: boards.length, known: !boardId || current !== undefined });
  });

  return app;
};
