import path from 'node:path';
import { projectPath } from '../../paths.js';
import type { Plugin } from '../plugin-api.js';
import { createBqeEngine } from './engine.js';
import { loadProvider } from './provider.js';
import { bqeDeclaration, DOMAIN } from './settings.js';
import { SYNC_TASK } from './sync/sync-task.js';
import { bqeAdminRoutes } from './web/admin-routes.js';
import { bqeApiRoutes } from './web/api-routes.js';
import { bqeRoutes } from './web/bqe-routes.js';

const bqe: Plugin = {
  name: DOMAIN,
  title: 'BQE Core',
  register(ctx) {
    // A provider.json that breaks its schema stops start-up here, naming the path and the rule.
    const meta = loadProvider();
    ctx.declareSettings(bqeDeclaration);
    const engine = createBqeEngine(ctx, meta);
    engine.connections.markConsentChanges();

    ctx.addTasks({ [SYNC_TASK]: engine.syncTask });
    ctx.addTickYield(async ({ helpers }) => {
      const queued = await engine.tick();
      helpers.logger.info({ queued }, 'bqe syncs queued');
    });
    ctx.addAdminRoutes(bqeAdminRoutes(engine, ctx.events));
    ctx.addApiRoutes(bqeApiRoutes(engine));
    ctx.addMenuItem({ label: 'Connections', href: bqeRoutes.connections, role: 'viewer' });
    ctx.addMenuItem({ label: 'Projects', href: bqeRoutes.projects, role: 'viewer' });
    ctx.addMenuItem({ label: 'Clients', href: bqeRoutes.clients, role: 'viewer' });
    ctx.addHelpTopics(path.join(projectPath('user_guides'), 'plugins', DOMAIN));
  },
};

export default bqe;
