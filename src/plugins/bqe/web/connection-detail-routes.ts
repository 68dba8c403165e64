import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../../web/app-env.js';
import { setFlash } from '../../../web/flash.js';
import { field, readForm } from '../../../web/form.js';
import { redirect, triggerHeader, wantsFragment } from '../../../web/htmx.js';
import { requireRole } from '../../../web/middleware/access.js';
import { timedAction } from '../../../web/middleware/latency.js';
import type { Connection } from '../db/connection-repository.js';
import { bqeRoutes, CONNECTION_ID } from './bqe-routes.js';
import type { BqeWebDeps } from './bqe-web-deps.js';
import { connectionView, environmentOptions, scopeRows } from './connection-view.js';
import { BQE_CRUMB, common, emptyForm, formProblem, shownValue, type FormState } from './page-common.js';
import { syncPanelData } from './sync-panel.js';

/** The client event that tells the sync panel to reload after a save changed what it shows. */
export const CONNECTION_CHANGED = 'bqe-connection-changed';

type Card = 'credentials' | 'offset' | 'syncSettings';

const CARD_VIEWS: Record<Card, string> = {
  credentials: 'plugins/bqe/credentials-card',
  offset: 'plugins/bqe/offset-card',
  syncSettings: 'plugins/bqe/sync-settings-card',
};

/**
 * One connection's page: the status banner, credentials, scopes, UTC offset,
 * Test connection, sync settings and the live sync status with its history.
 */
export const connectionDetailRoutes = (deps: BqeWebDeps): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();

  const connectionOf = (c: Context<AppEnv>): Connection => deps.connections.require(Number(c.req.param('id')));

  const card = (c: Context<AppEnv>, connection: Connection, state: FormState) => ({
    ...common(c),
    ...state,
    connection: connectionView(deps.meta, connection),
    value: (key: string, stored: unknown) => shownValue(state, key, stored),
    environments: environmentOptions(deps.meta),
    offsetRange: deps.meta.api.utcOffsetMinutes,
    maxLevel: deps.meta.objects.project.maxLevel,
  });

  const page = (c: Context<AppEnv>, connection: Connection, states: Partial<Record<Card, FormState>> = {}, status = 200) => {
    const consent = deps.connections.consent(connection);
    return c.var.renderer.page(
      c,
      'plugins/bqe/connection',
      {
        ...common(c),
        connection: connectionView(deps.meta, connection),
        consentReason: consent.needed ? consent.reason : null,
        redirectUri: deps.connections.redirectUri,
        scopes: scopeRows(deps.meta, connection),
        credentials: card(c, connection, states.credentials ?? emptyForm()),
        offset: card(c, connection, states.offset ?? emptyForm()),
        syncSettings: card(c, connection, states.syncSettings ?? emptyForm()),
        sync: syncPanelData(c, deps, connection),
        changedEvent: CONNECTION_CHANGED,
      },
      {
        title: connection.name,
        breadcrumbs: [BQE_CRUMB, { label: 'Connections', href: bqeRoutes.connections }, { label: connection.name }],
        helpTopic: 'bqe-setup',
        helpLabel: 'Setting up BQE Core',
        active: bqeRoutes.connections,
        status,
      },
    );
  };

  /** Saves one card: the card alone for htmx (with the sync panel told to reload), else a redirect with a flash or the page with the card's problems. */
  const saveCard = (name: Card, what: string, save: (c: Context<AppEnv>, id: number, form: Record<string, string | string[]>) => string) =>
    async (c: Context<AppEnv>) => {
      const connection = connectionOf(c);
      const form = await readForm(c);
      let saved: string;
      try {
        saved = save(c, connection.id, form);
      } catch (err) {
        const problem = formProblem(err, form);
        if (!problem) throw err;
        const current = connectionOf(c);
        if (wantsFragment(c)) return c.var.renderer.fragment(c, CARD_VIEWS[name], card(c, current, problem), problem.status);
        return page(c, current, { [name]: problem }, problem.status);
      }
      if (wantsFragment(c)) {
        c.header('HX-Trigger', triggerHeader({ [CONNECTION_CHANGED]: { what } }));
        return c.var.renderer.fragment(c, CARD_VIEWS[name], card(c, connectionOf(c), { errors: {}, saved }));
      }
      setFlash(c, { kind: 'success', text: saved });
      return redirect(c, `${bqeRoutes.connection(connection.id)}#bqe-${name}`);
    };

  app.get(`/connections/${CONNECTION_ID}`, timedAction('BQE connection page'), (c) => page(c, connectionOf(c)));

  app.post(`/connections/${CONNECTION_ID}/credentials`, requireRole('admin', 'change BQE connections'), async (c) => {
    const before = connectionOf(c);
    const form = await readForm(c);
    let after: Connection;
    try {
      after = deps.connections.update(c.get('actor'), before.id, form);
    } catch (err) {
      const problem = formProblem(err, form);
      if (!problem) throw err;
      if (wantsFragment(c)) return c.var.renderer.fragment(c, CARD_VIEWS.credentials, card(c, connectionOf(c), problem), problem.status);
      return page(c, connectionOf(c), { credentials: problem }, problem.status);
    }
    // A changed client or identity server drops the tokens, so the banner and buttons change too: reload the whole page.
    const dropped = before.hasTokens && !after.hasTokens;
    setFlash(c, { kind: dropped ? 'warning' : 'success', text: dropped ? `“${after.name}” saved. The client ID or identity server changed, so the old tokens were dropped: use Connect with BQE.` : `“${after.name}” saved.` });
    return redirect(c, bqeRoutes.connection(after.id));
  });

  app.post(
    `/connections/${CONNECTION_ID}/utc-offset`,
    requireRole('admin', 'change the UTC offset'),
    saveCard('offset', 'offset', (c, id, form) => {
      const { connection, cursorsReset } = deps.connections.saveUtcOffset(c.get('actor'), id, form);
      const offset = connectionView(deps.meta, connection).offsetLabel;
      return cursorsReset ? `UTC offset saved: ${offset}. The delta cursors were reset, so the next sync of each object reads everything again.` : `UTC offset saved: ${offset}.`;
    }),
  );

  app.post(
    `/connections/${CONNECTION_ID}/sync-settings`,
    requireRole('admin', 'change BQE sync settings'),
    saveCard('syncSettings', 'sync settings', (c, id, form) => `Sync settings of “${deps.connections.saveSyncPolicy(c.get('actor'), id, form).name}” saved.`),
  );

  app.post(`/connections/${CONNECTION_ID}/test`, requireRole('operator', 'test BQE connections'), async (c) => {
    const connection = connectionOf(c);
    const result = await deps.connections.test(connection.id, c.get('log'));
    if (wantsFragment(c)) return c.var.renderer.fragment(c, 'plugins/bqe/connection-test', { result });
    setFlash(c, { kind: result.ok ? 'success' : 'danger', text: result.message });
    return redirect(c, `${bqeRoutes.connection(connection.id)}#bqe-test`);
  });

  app.post(`/connections/${CONNECTION_ID}/disconnect`, requireRole('admin', 'disconnect BQE'), async (c) => {
    const connection = await deps.connections.disconnect(c.get('actor'), connectionOf(c).id, c.get('log'));
    setFlash(c, { kind: 'success', text: `“${connection.name}” is disconnected: the tokens were revoked at BQE and forgotten. Mirrored data stays; syncing stops until you connect again.` });
    return redirect(c, bqeRoutes.connection(connection.id));
  });

  app.post(`/connections/${CONNECTION_ID}/delete`, requireRole('admin', 'delete BQE connections'), async (c) => {
    const connection = connectionOf(c);
    const form = await readForm(c);
    if (field(form, 'confirm') !== 'yes') {
      setFlash(c, { kind: 'danger', text: `“${connection.name}” was not deleted: tick the box that confirms its mirrored projects and clients are deleted too.` });
      return redirect(c, `${bqeRoutes.connection(connection.id)}#bqe-delete`);
    }
    deps.connections.remove(c.get('actor'), connection.id);
    setFlash(c, { kind: 'success', text: `“${connection.name}” was deleted, with its mirrored projects, clients and sync history.` });
    return redirect(c, bqeRoutes.connections);
  });

  return app;
};
