import { Hono, type Context } from 'hono';
import type { SimEnv } from '../sim-kit.js';
import {
  addFieldInputSchema,
  configInputSchema,
  parseInput,
  projectInputSchema,
  removeOptionInputSchema,
  addOptionInputSchema,
  requiredInputSchema,
  screenFieldInputSchema,
  SimInputError,
  userInputSchema,
} from './jira-admin.js';
import type { JiraSimulator } from './jira-simulator.js';

/** `/__sim`: unauthenticated controls for tests and demos; bad bodies get a 400 naming the problem. */

const readSimJson = async (c: Context): Promise<unknown> => {
  const text = await c.req.text();
  try {
    return text === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    throw new SimInputError('The request body is not valid JSON.');
  }
};

export const simRoutes = (sim: JiraSimulator): Hono<SimEnv> => {
  const app = new Hono<SimEnv>();

  app.get('/state', (c) => c.json(sim.snapshot()));

  app.post('/reset', (c) => {
    sim.reset();
    return c.body(null, 204);
  });

  app.post('/config', async (c) => c.json(sim.configure(parseInput(configInputSchema, await readSimJson(c)))));

  app.post('/projects', async (c) => {
    const project = sim.addProject(parseInput(projectInputSchema, await readSimJson(c)));
    return c.json({ id: project.id, key: project.key, name: project.name, issueTypeIds: Object.keys(project.screens) }, 201);
  });

  app.post('/users', async (c) => c.json(sim.addUser(parseInput(userInputSchema, await readSimJson(c))), 201));

  app.post('/fields/required', async (c) => {
    sim.setFieldRequired(parseInput(requiredInputSchema, await readSimJson(c)));
    return c.body(null, 204);
  });

  app.post('/fields/add-option', async (c) => c.json(sim.addOption(parseInput(addOptionInputSchema, await readSimJson(c))), 201));
  app.post('/fields/remove-option', async (c) => c.json(sim.removeOption(parseInput(removeOptionInputSchema, await readSimJson(c)))));

  app.post('/fields/remove', async (c) => {
    sim.removeFieldFromScreen(parseInput(screenFieldInputSchema, await readSimJson(c)));
    return c.body(null, 204);
  });

  app.post('/fields/add', async (c) => c.json(sim.addFieldToScreen(parseInput(addFieldInputSchema, await readSimJson(c))), 201));

  app.delete('/issues/:key', (c) => {
    sim.deleteIssue(c.req.param('key'));
    return c.body(null, 204);
  });

  app.route('/', sim.faults.routes());
  return app;
};
