import type { Context } from 'hono';
import type { AppEnv } from '../../../web/app-env.js';
import type { Connection } from '../db/connection-repository.js';
import type { BqeWebDeps } from './bqe-web-deps.js';
import { common } from './page-common.js';
import { duration, syncStatus } from './sync-status-view.js';

/** The data of the sync status panel (views/plugins/bqe/sync-status.eta), with an optional notice on top. */
export const syncPanelData = (c: Context<AppEnv>, deps: BqeWebDeps, connection: Connection, notice?: { kind: string; text: string }) => ({
  ...common(c),
  connectionId: connection.id,
  ...syncStatus(deps, connection),
  duration,
  notice,
});
