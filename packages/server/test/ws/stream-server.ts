import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachCircuitBreakerStream, type CircuitBreakerStreamOptions } from '../../src/ws/index';

/**
 * The stream on a bare HTTP server of a free 127.0.0.1 port (every other
 * request answers 404): its `ws://` URL, and `close()`, which closes the
 * stream and then the server.
 */
export async function listenWithStream(
  options: CircuitBreakerStreamOptions,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_, response) => response.writeHead(404).end());
  const stream = attachCircuitBreakerStream(server, options);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/api/v2/ws/circuit-breaker`,
    async close() {
      await stream.close();
      server.close();
      await once(server, 'close');
    },
  };
}
