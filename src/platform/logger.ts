import pino, { type Logger } from 'pino';
import { createRequire } from 'node:module';
import type { LogFormat, LogLevel } from '../config.js';

export type { Logger } from 'pino';

/**
 * Secrets must never reach a log line, whatever a caller passes in its fields.
 * Paths cover the shapes our own code logs (headers, bodies, settings).
 */
const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'apiKey',
  '*.apiKey',
  'apiToken',
  '*.apiToken',
  'clientSecret',
  '*.clientSecret',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'headers.cookie',
  'headers.authorization',
  'req.headers.cookie',
  'req.headers.authorization',
];

export const createLogger = (options: { level: LogLevel; format: LogFormat; destination?: NodeJS.WritableStream }): Logger => {
  const base = {
    level: options.level,
    base: { app: 'switchyard' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  if (options.format === 'pretty') {
    // Loaded only when asked for (JSON is the server default), and as a synchronous stream rather than a
    // worker transport, so it keeps working inside a bundled single binary.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    const stream = pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app', sync: true, destination: options.destination as never });
    return pino(base, stream);
  }
  return pino(base, options.destination ? (options.destination as pino.DestinationStream) : pino.destination({ sync: false }));
};
