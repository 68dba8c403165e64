import { Hono, type Context } from 'hono';
import { readControlJson, type SimEnv } from '../sim-kit.js';
import type { BqeSimulator } from './bqe-simulator.js';
import type { ClientChanges, ClientInput, ProjectChanges, ProjectInput } from './data-inputs.js';
import { renderRecord } from './record-views.js';
import type { BqeSimConfigPatch } from './sim-config.js';
import { SimError } from './sim-error.js';

const readJson = (c: Context<SimEnv>): Promise<unknown> => readControlJson(c, () => new SimError(400, 'The request body must be JSON.'));

/**
 * /__sim: the operator's side, without auth, for tests, the smoke run and the
 * demo. Records come back as the API renders them at X-UTC-OFFSET 0. Bodies go
 * to the simulator's methods, which validate them.
 */
export const simRoutes = (sim: BqeSimulator): Hono<SimEnv> => {
  const routes = new Hono<SimEnv>();
  const { project, client } = sim.catalogs;

  routes.get('/state', (c) => c.json(sim.snapshot()));
  routes.post('/reset', (c) => {
    sim.reset();
    return c.json({ projects: sim.data.projects.size, clients: sim.data.clients.size });
  });
  routes.get('/config', (c) => c.json({ config: sim.config() }));
  routes.post('/config', async (c) => c.json({ config: sim.setConfig((await readJson(c)) as BqeSimConfigPatch) }));

  routes.get('/projects', (c) => c.json([...sim.data.projects.values()].map((p) => renderRecord(project, p, 0))));
  routes.post('/projects', async (c) => c.json(renderRecord(project, sim.addProject((await readJson(c)) as ProjectInput), 0), 201));
  routes.patch('/projects/:id', async (c) => c.json(renderRecord(project, sim.updateProject(c.req.param('id'), (await readJson(c)) as ProjectChanges), 0)));
  routes.delete('/projects/:id', (c) => {
    sim.deleteProject(c.req.param('id'));
    return c.body(null, 204);
  });

  routes.get('/clients', (c) => c.json([...sim.data.clients.values()].map((r) => renderRecord(client, r, 0))));
  routes.post('/clients', async (c) => c.json(renderRecord(client, sim.addClient((await readJson(c)) as ClientInput), 0), 201));
  routes.patch('/clients/:id', async (c) => c.json(renderRecord(client, sim.updateClient(c.req.param('id'), (await readJson(c)) as ClientChanges), 0)));
  routes.delete('/clients/:id', (c) => {
    sim.deleteClient(c.req.param('id'));
    return c.body(null, 204);
  });

  routes.post('/tokens/expire', (c) => c.json({ expired: sim.expireTokens() }));
  routes.post('/tokens/revoke', (c) => c.json({ revoked: sim.revokeRefreshTokens() }));

  routes.route('/', sim.faults.routes());
  return routes;
};
