import type http from 'node:http';
import net from 'node:net';

/** A TCP port free on 127.0.0.1 right now, for a server the test starts in another process. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** Starts a test's own HTTP server on 127.0.0.1 and gives its base URL (no trailing slash). */
export const listenLocal = async (server: http.Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
};

/** Stops it, cutting any connection a test left open (a hung request, a keep-alive). */
export const closeLocal = async (server: http.Server): Promise<void> => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
};
