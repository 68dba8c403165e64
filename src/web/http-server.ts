import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getRequestListener, RequestError } from '@hono/node-server';
import type { Logger } from '../platform/logger.js';

/**
 * Answers requests the Node adapter cannot turn into a Request (a raw
 * non-ASCII byte in the target, a malformed URL) before any hub code runs.
 * Without this the adapter sends a bare 400 with no body; API clients expect
 * the error envelope everywhere, so they get one, with a request id to quote.
 */
export const unreadableRequestHandler = (logger: Logger) => (err: unknown): Response => {
  const requestId = randomUUID();
  const unreadable = err instanceof RequestError;
  logger.warn({ reqId: requestId, error: err instanceof Error ? err.message : String(err) }, unreadable ? 'request target unreadable' : 'request failed in the adapter');
  const [status, code, message] = unreadable
    ? [400, 'bad_request_target', 'The request target could not be read: percent-encode every character outside ASCII (e.g. é as %C3%A9).']
    : [500, 'internal_error', 'The request could not be handled; quote the request id when reporting it.'];
  return new Response(JSON.stringify({ error: { code, message, details: null, requestId } }), { status, headers: { 'Content-Type': 'application/json', 'X-Request-Id': requestId } });
};

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'The request headers are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request took too long to arrive.'],
};

/**
 * Node's HTTP parser refuses some requests (a raw non-ASCII byte in the
 * target, oversized headers) before the adapter sees them and answers with an
 * empty body; this answers in the error envelope instead.
 */
const answerClientError = (logger: Logger) => (err: NodeJS.ErrnoException, socket: Duplex): void => {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const [status, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'bad_request_target', 'The request could not be read: percent-encode every character outside ASCII in the path and query (e.g. é as %C3%A9).'];
  logger.warn({ reqId: requestId, status, error: err.code ?? err.message }, 'request unreadable');
  const body = JSON.stringify({ error: { code, message, details: null, requestId } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`);
};

/** Serves the app on a plain HTTP server with both handlers above; resolves once listening. */
export const listenHttp = (fetch: (request: Request) => Response | Promise<Response>, options: { port: number; host: string; logger: Logger }): Promise<Server> =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer(getRequestListener(fetch, { hostname: options.host, errorHandler: unreadableRequestHandler(options.logger) }));
    server.on('clientError', answerClientError(options.logger));
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
