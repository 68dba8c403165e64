import { Hono, type Context } from 'hono';
import { isAppError } from '../../../errors.js';
import type { EventBus } from '../../../platform/events.js';
import type { AppEnv } from '../../../web/app-env.js';
import { setFlash } from '../../../web/flash.js';
import { redirect, wantsFragment } from '../../../web/htmx.js';
import { requireRole } from '../../../web/middleware/access.js';
import { liveEventStream } from '../../../web/sse.js';
import type { Connection } from '../db/connection-repository.js';
import { OBJECT_NAMES, type ObjectName } from '../provider.js';
import '../sync/sync-events.js';
import { bqeRoutes, CONNECTION_ID } from './bqe-routes.js';
import type { BqeWebDeps } from './bqe-web-deps.js';
import { syncPanelData } from './sync-panel.js';

const PANEL_VIEW = 'plugins/bqe/sync-status';
/** The SSE message (and `sse-swap` name) carrying the re-rendered panel. */
export const SYNC_STATUS_EVENT = 'sync-status';

/** Sync now, Full re-sync, and the sync status panel as a fragment and as a live stream. */
export const syncRoutes = (deps: BqeWebDeps, events: EventBus): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();

  const connectionOf = (c: Context<AppEnv>): Connection => deps.connections.require(Number(c.req.param('id')));
  const label = (queued: string) => (OBJECT_NAMES.includes(queued as ObjectName) ? deps.meta.objects[queued as ObjectName].label.toLowerCase() : queued);

  app.post(`/connections/${CONNECTION_ID}/sync/:mode{delta|full}`, requireRole('operator', 'start a BQE sync'), async (c) => {
    const connection = connectionOf(c);
    const full = c.req.param('mode') === 'full';
    let notice: { kind: 'info' | 'danger'; text: string };
    try {
      const { queued } = await deps.syncNow(c.get('actor'), connection.id, { full });
      notice = queued.length
        ? { kind: 'info', text: `${full ? 'Full re-sync' : 'Sync'} queued for ${queued.map(label).join(' and ')}. Progress shows here as pages arrive.` }
        : { kind: 'info', text: 'Nothing was queued: every object is already syncing or switched off.' };
    } catch (err) {
      if (!isAppError(err) || err.status >= 500 || err.status === 403) throw err;
      notice = { kind: 'danger', text: err.message };
    }
    if (wantsFragment(c)) return c.var.renderer.fragment(c, PANEL_VIEW, syncPanelData(c, deps, connectionOf(c), notice));
    setFlash(c, notice);
    return redirect(c, `${bqeRoutes.connection(connection.id)}#bqe-sync`);
  });

  app.get(`/connections/${CONNECTION_ID}/sync-status`, (c) => c.var.renderer.fragment(c, PANEL_VIEW, syncPanelData(c, deps, connectionOf(c))));

  app.get(`/connections/${CONNECTION_ID}/stream`, (c) => {
    const id = connectionOf(c).id;
    const render = () => {
      const connection = deps.connections.get(id);
      return connection ? c.var.renderer.eta.render(PANEL_VIEW, syncPanelData(c, deps, connection)) : '';
    };
    return liveEventStream(c, {
      events,
      log: c.get('log'),
      initial: (queue) => queue(SYNC_STATUS_EVENT, render),
      subscribe: (queue) => [
        events.on('bqe.sync.progress', (progress) => {
          if (progress.connectionId === id) queue(SYNC_STATUS_EVENT, render);
        }),
      ],
    });
  });

  return app;
};
