import { Hono } from 'hono';
import type { SimEnv } from '../sim-kit.js';
import { createMetaFields, issueTypeMeta, projectRef } from './createmeta.js';
import { findProject } from './jira-admin.js';
import { badRequest, JiraApiError, jiraError } from './jira-errors.js';
import { countRequest, type JiraSimContext, type JiraState, type SimIssueType, type SimProject, type SimUser } from './jira-model.js';
import { pageOf, pageRequest } from './paging.js';
import { originOf } from './request-input.js';

/** Read-only discovery endpoints: who am I, projects, boards, createmeta, users (contract §3, §6). */

const noProject = (ref: string): JiraApiError =>
  new JiraApiError(404, jiraError([`No project could be found with ${/^\d+$/.test(ref) ? 'id' : 'key'} '${ref}'.`]));

const userView = (user: SimUser, origin: string) => ({
  self: `${origin}/rest/api/3/user?accountId=${user.accountId}`,
  accountId: user.accountId,
  accountType: 'atlassian',
  emailAddress: user.emailAddress,
  displayName: user.displayName,
  active: user.active,
  timeZone: user.timeZone,
});

const boardView = (state: JiraState, board: JiraState['boards'][number], origin: string) => {
  const project = state.projects.find((p) => p.id === board.projectId) as SimProject;
  return {
    id: board.id,
    self: `${origin}/rest/agile/1.0/board/${board.id}`,
    name: board.name,
    type: board.type,
    location: {
      projectId: Number(project.id),
      displayName: `${project.name} (${project.key})`,
      projectName: project.name,
      projectKey: project.key,
      projectTypeKey: project.projectTypeKey,
      name: `${project.name} (${project.key})`,
    },
  };
};

const requireProject = (state: JiraState, ref: string): SimProject => {
  const project = findProject(state, ref);
  if (!project) throw noProject(ref);
  return project;
};

export const metaRoutes = (sim: JiraSimContext, account: () => string): Hono<SimEnv> => {
  const app = new Hono<SimEnv>();

  app.get('/rest/api/3/myself', (c) => {
    countRequest(sim.state, 'myself');
    const email = account().toLowerCase();
    const me = sim.state.users.find((u) => u.emailAddress.toLowerCase() === email) as SimUser;
    return c.json({ ...userView(me, originOf(c)), locale: 'en_US' });
  });

  app.get('/rest/api/3/project/search', (c) => {
    countRequest(sim.state, 'projects');
    const origin = originOf(c);
    const request = pageRequest((n) => c.req.query(n), 50, 100);
    const query = c.req.query('query')?.toLowerCase() ?? '';
    const matching = sim.state.projects.filter((p) => p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query));
    const page = pageOf(matching, request);
    const self = `${origin}/rest/api/3/project/search?startAt=${request.startAt}&maxResults=${request.maxResults}`;
    const nextPage = page.isLast ? {} : { nextPage: `${origin}/rest/api/3/project/search?startAt=${request.startAt + page.values.length}&maxResults=${request.maxResults}` };
    return c.json({
      self,
      ...nextPage,
      ...page,
      values: page.values.map((p) => ({ ...projectRef(p, origin), style: 'classic' })),
    });
  });

  app.get('/rest/agile/1.0/board', (c) => {
    countRequest(sim.state, 'boards');
    const request = pageRequest((n) => c.req.query(n), 50, 50);
    const projectRefParam = c.req.query('projectKeyOrId');
    const project = projectRefParam ? findProject(sim.state, projectRefParam) : undefined;
    if (projectRefParam && !project) throw badRequest(`No project could be found with key or id '${projectRefParam}'.`);
    const name = c.req.query('name')?.toLowerCase();
    const types = c.req.query('type')?.split(',').map((t) => t.trim());
    const boards = sim.state.boards.filter(
      (b) => (!project || b.projectId === project.id) && (!name || b.name.toLowerCase().includes(name)) && (!types || types.includes(b.type)),
    );
    const page = pageOf(boards, request);
    return c.json({ ...page, values: page.values.map((b) => boardView(sim.state, b, originOf(c))) });
  });

  // The deprecated all-in-one createmeta is deliberately absent, so a client still using it fails loudly.
  app.get('/rest/api/3/issue/createmeta', (c) =>
    c.json(jiraError(['This simulator does not offer the deprecated createmeta endpoint; use /rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes.']), 404),
  );

  app.get('/rest/api/3/issue/createmeta/:project/issuetypes', (c) => {
    countRequest(sim.state, 'createmeta');
    const project = requireProject(sim.state, c.req.param('project'));
    const types = Object.keys(project.screens).map((id) => issueTypeMeta(sim.state.issueTypes[id] as SimIssueType, originOf(c)));
    const { values, ...page } = pageOf(types, pageRequest((n) => c.req.query(n), 50, 200));
    return c.json({ issueTypes: values, maxResults: page.maxResults, startAt: page.startAt, total: page.total });
  });

  app.get('/rest/api/3/issue/createmeta/:project/issuetypes/:issueTypeId', (c) => {
    countRequest(sim.state, 'createmeta');
    const project = requireProject(sim.state, c.req.param('project'));
    const issueTypeId = c.req.param('issueTypeId');
    if (!project.screens[issueTypeId]) {
      throw new JiraApiError(404, jiraError([`Issue type with id '${issueTypeId}' does not exist or is not used by project '${project.key}'.`]));
    }
    const { values, ...page } = pageOf(createMetaFields(sim.state, project, issueTypeId, originOf(c)), pageRequest((n) => c.req.query(n), 50, 200));
    return c.json({ fields: values, maxResults: page.maxResults, startAt: page.startAt, total: page.total });
  });

  app.get('/rest/api/3/user/search', (c) => {
    countRequest(sim.state, 'users');
    const query = c.req.query('query')?.toLowerCase();
    const accountId = c.req.query('accountId');
    if (!query && !accountId) throw badRequest("One of 'query' or 'accountId' must be provided.");
    const request = pageRequest((n) => c.req.query(n), 50, 1000);
    const users = sim.state.users.filter(
      (u) => (accountId ? u.accountId === accountId : true) && (query ? u.displayName.toLowerCase().includes(query) || u.emailAddress.toLowerCase().includes(query) : true),
    );
    return c.json(pageOf(users, request).values.map((u) => userView(u, originOf(c))));
  });

  return app;
};
