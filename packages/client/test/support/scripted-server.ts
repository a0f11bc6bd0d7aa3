import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { ServiceSnapshot } from '@breakwater/protocol';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A WebSocket server whose every frame the test writes: for what the real
 * monitor never does on its own (a late or repeated update, an unreadable
 * frame, no answer to an action). Real sockets on port 0.
 */
export class ScriptedServer {
  readonly #server: WebSocketServer;
  readonly #waiting: Array<(connection: ScriptedConnection) => void> = [];
  readonly #accepted: ScriptedConnection[] = [];

  private constructor(server: WebSocketServer) {
    this.#server = server;
    server.on('connection', (socket, request) => {
      const connection = new ScriptedConnection(socket, request.headers['sec-websocket-protocol']);
      const waiter = this.#waiting.shift();
      if (waiter === undefined) this.#accepted.push(connection);
      else waiter(connection);
    });
  }

  static async start(): Promise<ScriptedServer> {
    const server = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      handleProtocols: (protocols) => protocols.values().next().value ?? false,
    });
    await once(server, 'listening');
    return new ScriptedServer(server);
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/api/v2/ws/circuit-breaker`;
  }

  /** The next client connection. */
  connection(): Promise<ScriptedConnection> {
    const ready = this.#accepted.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  close(): Promise<void> {
    for (const client of this.#server.clients) client.terminate();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

export class ScriptedConnection {
  readonly socket: WebSocket;
  /** What the client offered as its subprotocol (the token). */
  readonly protocol: string | undefined;
  readonly #unread: unknown[] = [];
  readonly #waiting: Array<(message: unknown) => void> = [];

  constructor(socket: WebSocket, protocol: string | undefined) {
    this.socket = socket;
    this.protocol = protocol;
    socket.on('message', (data) => {
      const message: unknown = JSON.parse(data.toString());
      const waiter = this.#waiting.shift();
      if (waiter === undefined) this.#unread.push(message);
      else waiter(message);
    });
  }

  /** How many messages from the client no test has read. */
  get unread(): number {
    return this.#unread.length;
  }

  /** The next message the client sent. */
  received(): Promise<unknown> {
    if (this.#unread.length > 0) return Promise.resolve(this.#unread.shift());
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** `connection:status`, then the full state, as the monitor starts every connection. */
  accept(at: string, services: readonly ServiceSnapshot[]): void {
    this.send({ type: 'connection:status', status: 'connected', timestamp: at });
    this.update(at, services);
  }

  update(at: string, services: readonly ServiceSnapshot[]): void {
    this.send({ type: 'service:update', timestamp: at, services });
  }
}

/** One service as the monitor would send it. */
export function snapshot(
  service: string,
  phase: 'closed' | 'open' | 'forced-open' = 'closed',
  failureCount = 0,
): ServiceSnapshot {
  const open = phase !== 'closed';
  return {
    service,
    status: open ? 'failed' : 'healthy',
    circuit: {
      state: open ? 'open' : 'closed',
      failureCount,
      lastFailure: failureCount > 0 ? '2026-01-01T00:00:00.000Z' : null,
      recoveryAttempts: 0,
      phase,
      recoveryIn: phase === 'open' ? 30_000 : null,
      degradedBy: [],
    },
    operations: { total: failureCount, successful: 0, failed: failureCount, rejected: 0 },
  };
}
