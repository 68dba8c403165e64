import type { Server } from 'node:http';
import { createAppContext, type AppContext } from './app-context.js';
import type { Config } from './config.js';
import type { Logger } from './platform/logger.js';
import { createWebApp } from './web/app.js';
import { listenHttp } from './web/http-server.js';

export interface RunningHub {
  ctx: AppContext;
  server: Server;
  port: number;
  stop(): Promise<void>;
}

const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Composition root: config → database and services → plugins → job runner → HTTP. Stops in reverse order. */
export const startHub = async (config: Config, logger: Logger): Promise<RunningHub> => {
  const started = performance.now();
  const ctx = await createAppContext(config, logger);
  await ctx.startJobs();
  const app = createWebApp(ctx);
  const server = await listenHttp(app.fetch, { port: config.port, host: config.host, logger }).catch(async (err: NodeJS.ErrnoException) => {
    await ctx.stopJobs();
    ctx.close();
    throw err;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ host: config.host, port, dataDir: config.dataDir, baseUrl: config.baseUrl, ms: Math.round(performance.now() - started) }, 'switchyard listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      logger.info({}, 'shutting down');
      // Ends live streams (SSE) first: server.close() waits for every open connection.
      ctx.events.emit('hub.stopping', {});
      const timer = setTimeout(() => {
        logger.warn({ ms: SHUTDOWN_TIMEOUT_MS }, 'open connections did not close in time; closing anyway');
        server.closeAllConnections();
      }, SHUTDOWN_TIMEOUT_MS);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        void ctx.stopJobs().then(() => {
          ctx.close();
          logger.info({}, 'stopped');
          resolve();
        });
      });
      server.closeIdleConnections();
    }));
  return { ctx, server, port, stop };
};
