// A TCP port on 127.0.0.1 that was free a moment ago, for the hubs and simulators the benchmarks start.
import net from 'node:net';

export const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
