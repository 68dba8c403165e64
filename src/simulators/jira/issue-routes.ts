import { Hono, type Context } from 'hono';
import type { SimEnv } from '../sim-kit.js';
import { badRequest, JiraApiError, jiraError } from './jira-errors.js';
import { countRequest, type JiraSimContext } from './jira-model.js';
import { propertyError } from './issue-properties.js';
import { ALL_FIELDS, parseFieldSelection, renderIssue, splitList } from './issue-view.js';
import { createIssue, deleteIssue, editIssue, issueBodySchema, issueSelf, requireIssue, type WriteContext } from './issue-writes.js';
import { originOf, readBody, readJson } from './request-input.js';

/** Issue create / get / edit / delete and entity properties (contract §2, §4). */

export const issueRoutes = (sim: JiraSimContext): Hono<SimEnv> => {
  const app = new Hono<SimEnv>();
  const writeContext = (c: Context): WriteContext => ({ state: sim.state, now: sim.now(), origin: originOf(c) });

  app.post('/rest/api/3/issue', async (c) => {
    countRequest(sim.state, 'creates');
    const issue = createIssue(writeContext(c), await readBody(c, issueBodySchema));
    return c.json({ id: issue.id, key: issue.key, self: issueSelf(originOf(c), issue.id) }, 201);
  });

  app.get('/rest/api/3/issue/:idOrKey', (c) => {
    countRequest(sim.state, 'gets');
    const issue = requireIssue(sim.state, c.req.param('idOrKey'));
    const fields = parseFieldSelection(c.req.queries('fields')) ?? ALL_FIELDS;
    return c.json(renderIssue(sim.state, issue, originOf(c), { fields, properties: splitList(c.req.queries('properties')) }));
  });

  app.put('/rest/api/3/issue/:idOrKey', async (c) => {
    countRequest(sim.state, 'edits');
    const issue = editIssue(writeContext(c), c.req.param('idOrKey'), await readBody(c, issueBodySchema));
    if (c.req.query('returnIssue') !== 'true') return c.body(null, 204);
    return c.json(renderIssue(sim.state, issue, originOf(c), { fields: ALL_FIELDS, properties: undefined }));
  });

  app.delete('/rest/api/3/issue/:idOrKey', (c) => {
    countRequest(sim.state, 'deletes');
    deleteIssue(sim.state, c.req.param('idOrKey'), sim.now());
    return c.body(null, 204);
  });

  app.get('/rest/api/3/issue/:idOrKey/properties', (c) => {
    countRequest(sim.state, 'properties');
    const issue = requireIssue(sim.state, c.req.param('idOrKey'));
    const base = `${issueSelf(originOf(c), issue.id)}/properties`;
    return c.json({ keys: Object.keys(issue.properties).map((key) => ({ key, self: `${base}/${encodeURIComponent(key)}` })) });
  });

  const propertyMissing = (key: string) => new JiraApiError(404, jiraError([`The property with key '${key}' does not exist.`]));

  app.get('/rest/api/3/issue/:idOrKey/properties/:propertyKey', (c) => {
    countRequest(sim.state, 'properties');
    const issue = requireIssue(sim.state, c.req.param('idOrKey'));
    const key = c.req.param('propertyKey');
    if (!(key in issue.properties)) throw propertyMissing(key);
    return c.json({ key, value: issue.properties[key] });
  });

  app.put('/rest/api/3/issue/:idOrKey/properties/:propertyKey', async (c) => {
    countRequest(sim.state, 'properties');
    const issue = requireIssue(sim.state, c.req.param('idOrKey'));
    const key = c.req.param('propertyKey');
    const value = await readJson(c);
    const error = propertyError(key, value);
    if (error) throw badRequest(error);
    const created = !(key in issue.properties);
    issue.properties[key] = value;
    return c.body(null, created ? 201 : 200);
  });

  app.delete('/rest/api/3/issue/:idOrKey/properties/:propertyKey', (c) => {
    countRequest(sim.state, 'properties');
    const issue = requireIssue(sim.state, c.req.param('idOrKey'));
    const key = c.req.param('propertyKey');
    if (!(key in issue.properties)) throw propertyMissing(key);
    delete issue.properties[key];
    return c.body(null, 204);
  });

  return app;
};
