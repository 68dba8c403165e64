import { Hono } from 'hono';
import { z } from 'zod';
import type { SimEnv } from '../sim-kit.js';
import { SEARCH_REMOVED } from './jira-errors.js';
import { countRequest, type JiraSimContext } from './jira-model.js';
import { searchIssues, type SearchParams } from './issue-search.js';
import { splitList } from './issue-view.js';
import { originOf, readBody } from './request-input.js';

/** JQL search: the current /search/jql (GET and POST) and the removed /search (contract §5). */

const list = z.union([z.string(), z.array(z.union([z.string(), z.number()]))]).transform((v) => (Array.isArray(v) ? v.map(String) : [v]));

const searchBodySchema = z.looseObject({
  jql: z.string().optional(),
  nextPageToken: z.string().nullish(),
  maxResults: z.number().optional(),
  fields: list.optional(),
  properties: list.optional(),
  reconcileIssues: list.optional(),
});

const maxResultsParam = (raw: string | undefined): number | undefined => (raw === undefined || raw === '' ? undefined : Number(raw));

export const searchRoutes = (sim: JiraSimContext): Hono<SimEnv> => {
  const app = new Hono<SimEnv>();
  const run = (params: SearchParams, origin: string) => {
    countRequest(sim.state, 'searches');
    return searchIssues(sim.state, params, sim.now(), origin);
  };

  app.get('/rest/api/3/search/jql', (c) =>
    c.json(
      run(
        {
          jql: c.req.query('jql'),
          nextPageToken: c.req.query('nextPageToken') || undefined,
          maxResults: maxResultsParam(c.req.query('maxResults')),
          fields: c.req.queries('fields'),
          properties: splitList(c.req.queries('properties')),
          reconcileIssues: splitList(c.req.queries('reconcileIssues')) ?? [],
        },
        originOf(c),
      ),
    ),
  );

  app.post('/rest/api/3/search/jql', async (c) => {
    const body = await readBody(c, searchBodySchema);
    return c.json(
      run(
        {
          jql: body.jql,
          nextPageToken: body.nextPageToken ?? undefined,
          maxResults: body.maxResults,
          fields: body.fields,
          properties: splitList(body.properties),
          reconcileIssues: body.reconcileIssues ?? [],
        },
        originOf(c),
      ),
    );
  });

  app.on(['GET', 'POST'], '/rest/api/3/search', (c) => c.json(SEARCH_REMOVED, 410));

  return app;
};
