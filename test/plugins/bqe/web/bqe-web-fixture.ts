import assert from 'node:assert/strict';
import { CALLBACK_PATH } from '../../../../src/plugins/bqe/connections/connection-service.js';
import { createConnectionRepository, type Connection } from '../../../../src/plugins/bqe/db/connection-repository.js';
import { createMirrorRepository, type ProjectInput } from '../../../../src/plugins/bqe/db/mirror-repository.js';
import { bqeDb } from '../../../../src/plugins/bqe/db/plugin-db.js';
import { createSyncRepository } from '../../../../src/plugins/bqe/db/sync-repository.js';
import { bqeRoutes } from '../../../../src/plugins/bqe/web/bqe-routes.js';
import { startBqeSimulator, type RunningBqeSimulator } from '../../../../src/simulators/bqe/bqe-simulator.js';
import { startTestHub, type Agent, type TestHub } from '../../../helpers/hub.js';
import { parseHtml, redirectTarget, type HtmlDocument } from '../../../web/web-helpers.js';

export const htmx = (agent: Agent, extra: Record<string, string> = {}) => ({ 'HX-Request': 'true', 'X-CSRF-Token': agent.csrfToken, ...extra });

/** Reads a page, asserting its status and that the HTML is well formed. */
export const page = async (res: Response, status = 200): Promise<HtmlDocument> => {
  const text = await res.text();
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${text.slice(0, 400)}`);
  const doc = parseHtml(text);
  assert.deepEqual(doc.problems, []);
  return doc;
};

/**
 * A test hub with the BQE plugin and the BQE simulator on a free port, its
 * app registered with the hub's exact callback URL. Repositories over the
 * hub's database let a test arrange states a real run would reach slowly.
 */
export const bqeWebFixture = async (options: { projects?: number; clients?: number } = {}) => {
  const hub: TestHub = await startTestHub({ plugins: ['bqe'] });
  const sim: RunningBqeSimulator = await startBqeSimulator({
    port: 0,
    clock: () => hub.clock.now(),
    redirectUris: [`${hub.config.baseUrl}${CALLBACK_PATH}`],
    ...(options.projects !== undefined ? { projects: options.projects } : {}),
    ...(options.clients !== undefined ? { clients: options.clients } : {}),
  });
  const db = bqeDb(hub.ctx.db);
  const repo = createConnectionRepository(db, hub.ctx.secrets);
  const mirrors = createMirrorRepository(db);
  const syncRepo = createSyncRepository(db);

  const connectionForm = (overrides: Record<string, string> = {}) => ({
    name: 'Acme (simulator)',
    environment: 'custom',
    identityUrl: sim.identityUrl,
    clientId: sim.sim.defaultClient.clientId,
    clientSecret: sim.sim.defaultClient.clientSecret,
    utcOffsetMinutes: '',
    ...overrides,
  });

  return {
    hub,
    sim,
    repo,
    mirrors,
    syncRepo,
    connectionForm,
    /** Adds a connection through the page, as an admin would, and returns it. */
    async addConnection(agent: Agent, overrides: Record<string, string> = {}): Promise<Connection> {
      const res = await agent.post(bqeRoutes.connections, connectionForm(overrides));
      const location = redirectTarget(res);
      const id = Number(/\/connections\/(\d+)$/.exec(location)?.[1]);
      return repo.get(id) as Connection;
    },
    /** Starts Connect with BQE as the page's htmx form does and returns the consent URL it sends the browser to. */
    async startConsent(agent: Agent, id: number): Promise<string> {
      const res = await agent.request('POST', bqeRoutes.connectionAuthorize(id), { headers: htmx(agent) });
      assert.equal(res.status, 204, `Connect with BQE answered ${res.status}: ${await res.text()}`);
      return res.headers.get('HX-Redirect') as string;
    },
    /** Connect with BQE, the simulator's consent, and the callback, the way the browser follows them. Returns the callback's answer. */
    async connect(agent: Agent, id: number): Promise<Response> {
      const authorize = await this.startConsent(agent, id);
      const consent = await fetch(authorize, { redirect: 'manual' });
      assert.equal(consent.status, 302, `the simulator refused the consent request: ${await consent.text()}`);
      const back = new URL(consent.headers.get('Location') as string);
      assert.equal(`${back.origin}${back.pathname}`, `${hub.config.baseUrl}${CALLBACK_PATH}`);
      return agent.get(`${back.pathname}${back.search}`);
    },
    /** Seeds the project mirror directly (one run's worth), for pages that only read it. */
    seedProjects(connectionId: number, projects: Partial<ProjectInput>[]): void {
      const run = syncRepo.startRun({ connectionId, object: 'project', mode: 'full', trigger: 'manual', cursorFrom: null, correlationId: null, now: hub.clock.now() });
      mirrors.upsertProjects(
        connectionId,
        projects.map((p, i) => ({
          externalId: p.externalId ?? `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
          legacyExternalId: p.legacyExternalId ?? null,
          name: p.name ?? `Project ${i + 1}`,
          code: p.code ?? `P-${i + 1}`,
          status: p.status ?? 0,
          parentExternalId: p.parentExternalId ?? null,
          rootExternalId: p.rootExternalId ?? null,
          level: p.level ?? 0,
          clientExternalId: p.clientExternalId ?? null,
          lastUpdated: p.lastUpdated ?? '2025-01-15T10:22:31',
          payload: JSON.stringify({ id: p.externalId, name: p.name }),
        })),
        { runId: run.id, now: hub.clock.now() },
      );
      syncRepo.finishRun(run.id, { status: 'succeeded', now: hub.clock.now() });
    },
    async close() {
      await hub.close();
      await sim.close();
    },
  };
};

export type BqeWebFixture = Awaited<ReturnType<typeof bqeWebFixture>>;

/** Reads an SSE response until a pattern shows up (or time is up); a read left pending is kept for the next call. */
export const sseReader = (res: Response) => {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  return {
    async readUntil(pattern: RegExp, ms: number): Promise<string> {
      const deadline = Date.now() + ms;
      while (!pattern.test(text) && Date.now() < deadline) {
        pending ??= reader.read();
        const chunk = await Promise.race([pending, new Promise<undefined>((r) => setTimeout(r, Math.max(1, deadline - Date.now())))]);
        if (!chunk) continue;
        pending = undefined;
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
      return text;
    },
    cancel: () => reader.cancel(),
  };
};

/** Polls until check() gives a truthy value: syncs run in background jobs. */
export const eventually = async <T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> => {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
