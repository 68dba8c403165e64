import { Hono, type Context } from 'hono';
import { readControlJson, type SimEnv } from '../sim-kit.js';
import type { EmployeeChanges, HireInput, LeaveRequestInput, TerminateInput, WebhookConfig } from './input-schemas.js';
import type { PeopleForceSimulator, SimConfig } from './peopleforce-simulator.js';
import { notFound, SimError } from './sim-error.js';

const readJson = (c: Context<SimEnv>): Promise<unknown> => readControlJson(c, () => new SimError(400, 'The request body must be JSON'));

const idParam = (c: Context<SimEnv>, what: string): number => {
  const raw = c.req.param('id') ?? '';
  if (!/^\d+$/.test(raw)) throw notFound(`${what} ${raw}`);
  return Number(raw);
};

/**
 * /__sim: the operator's side of the simulator, unauthenticated, for tests and
 * the demo. Bodies are passed to the methods as they come: each method validates its own input.
 */
export const simRoutes = (sim: PeopleForceSimulator): Hono<SimEnv> => {
  const routes = new Hono<SimEnv>();

  routes.get('/state', (c) => c.json(sim.snapshot()));
  routes.post('/reset', (c) => {
    sim.reset();
    return c.json({ employees: sim.state.employees.size, leaveRequests: sim.state.leaveRequests.size });
  });
  routes.post('/nightly', (c) => c.json({ fired: sim.runNightly() }));

  routes.post('/employees', async (c) => c.json({ data: sim.hire((await readJson(c)) as HireInput) }, 201));
  routes.patch('/employees/:id', async (c) => c.json({ data: sim.update(idParam(c, 'Employee'), (await readJson(c)) as EmployeeChanges) }));
  routes.post('/employees/:id/terminate', async (c) => c.json({ data: sim.terminate(idParam(c, 'Employee'), (await readJson(c)) as TerminateInput) }));
  routes.post('/employees/:id/revert-termination', (c) => c.json({ data: sim.revertTermination(idParam(c, 'Employee')) }));

  routes.post('/leave-requests', async (c) => c.json({ data: sim.addLeaveRequest((await readJson(c)) as LeaveRequestInput) }, 201));
  routes.post('/leave-requests/:id/approve', (c) => c.json({ data: sim.approveLeave(idParam(c, 'Leave request')) }));

  routes.put('/webhook', async (c) => c.json({ webhook: sim.setWebhook((await readJson(c)) as WebhookConfig) }));
  routes.delete('/webhook', (c) => {
    sim.clearWebhook();
    return c.body(null, 204);
  });
  routes.post('/config', async (c) => c.json({ config: sim.configure((await readJson(c)) as SimConfig) }));

  routes.route('/', sim.faults.routes());
  return routes;
};
