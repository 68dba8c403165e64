import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config.js';
import { startHub, type RunningHub } from '../../main.js';
import { createLogger } from '../../platform/logger.js';
import { startBqeSimulator, type RunningBqeSimulator } from '../../simulators/bqe/bqe-simulator.js';
import { CALLBACK_PATH } from '../../plugins/bqe/connections/connection-service.js';
import { createConnectionRepository } from '../../plugins/bqe/db/connection-repository.js';
import { createMirrorRepository } from '../../plugins/bqe/db/mirror-repository.js';
import { bqeDb } from '../../plugins/bqe/db/plugin-db.js';
import { createSyncRepository } from '../../plugins/bqe/db/sync-repository.js';
import { freePort } from './free-port.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

export interface StackOptions {
  projects: number;
  clients: number;
  /** The hub's log (JSON lines) goes here. */
  logFile: string;
  /** The X-UTC-OFFSET header name, so the proxy records its value. */
  utcOffsetHeader: string;
  /** Requests the simulator keeps in its log; enough for the whole run. */
  requestLogSize: number;
}

/**
 * What the smoke run drives: the BQE simulator (strict, as it starts by
 * default) behind a recording proxy that is its public address, and a real
 * hub (startHub) on a free port and a fresh data folder, with the bootstrap
 * admin from HUB_ADMIN_EMAIL / HUB_ADMIN_PASSWORD and HUB_BASE_URL set to its
 * own address. The simulator's app accepts exactly the hub's callback URL.
 */
export const startSmokeStack = async (options: StackOptions) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bqe-smoke-'));
  const log = fs.createWriteStream(options.logFile);
  let proxy: RecordingProxy | undefined;
  let sim: RunningBqeSimulator | undefined;
  let hub: RunningHub | undefined;
  const stop = async () => {
    await hub?.stop();
    await sim?.close();
    await proxy?.close();
    await new Promise<void>((resolve) => log.end(resolve));
  };
  try {
    proxy = await startRecordingProxy(options.utcOffsetHeader);
    const port = await freePort();
    const hubUrl = `http://127.0.0.1:${port}`;
    sim = await startBqeSimulator({
      port: 0,
      publicUrl: proxy.url,
      projects: options.projects,
      clients: options.clients,
      redirectUris: [`${hubUrl}${CALLBACK_PATH}`],
      requestLogSize: options.requestLogSize,
    });
    proxy.forwardTo(sim.url);
    const admin = { email: 'bqe-smoke-admin@example.com', password: randomBytes(18).toString('base64url') };
    const config = loadConfig(
      { PORT: String(port), HOST: '127.0.0.1', HUB_DATA_DIR: dataDir, HUB_BASE_URL: hubUrl, HUB_ADMIN_EMAIL: admin.email, HUB_ADMIN_PASSWORD: admin.password, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
      false,
    );
    hub = await startHub(config, createLogger({ level: config.logLevel, format: 'json', destination: log }));
    const db = bqeDb(hub.ctx.db);
    return {
      proxy,
      sim,
      hub,
      hubUrl,
      admin,
      dataDir,
      repo: createConnectionRepository(db, hub.ctx.secrets),
      mirrors: createMirrorRepository(db),
      syncRepo: createSyncRepository(db),
      stop,
    };
  } catch (err) {
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
};

export type SmokeStack = Awaited<ReturnType<typeof startSmokeStack>>;
