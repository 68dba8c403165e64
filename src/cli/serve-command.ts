import { loadConfig } from '../config.js';
import { StartupError } from '../errors.js';
import { createLogger } from '../platform/logger.js';
import { startHub } from '../main.js';

export const serveCommand = async (): Promise<void> => {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  let hub;
  try {
    hub = await startHub(config, logger);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(`PORT: ${config.host}:${config.port} is already in use; stop the other process or set PORT to a free port`);
    }
    throw err;
  }
  const running = hub;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'signal received');
      void running.stop().then(() => process.exit(0));
    });
  }
};
