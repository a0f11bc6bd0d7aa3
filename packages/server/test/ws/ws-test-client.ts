import type { ServerMessage } from '@breakwater/protocol';
import WebSocket, { type ClientOptions } from 'ws';

type Waiter = { match: (message: ServerMessage) => boolean; resolve: (m: ServerMessage) => void };

/**
 * A `ws` client that records every message from the moment it is created, so
 * a test can wait for the next message of a kind instead of sleeping.
 */
export class TestClient {
  readonly socket: WebSocket;
  readonly received: ServerMessage[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  #unread: ServerMessage[] = [];
  #waiters: Waiter[] = [];

  constructor(url: string, protocols?: string | string[], options?: ClientOptions) {
    this.socket = new WebSocket(url, protocols, options);
    this.socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      this.received.push(message);
      const index = this.#waiters.findIndex((waiter) => waiter.match(message));
      const waiter = index === -1 ? undefined : this.#waiters.splice(index, 1)[0];
      if (waiter === undefined) this.#unread.push(message);
      else waiter.resolve(message);
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    this.socket.on('error', () => {});
    // A client closed before it opened must not leave an unhandled rejection.
    this.opened.catch(() => {});
  }

  /** The next unread message of `type` (earlier unread ones of other types stay unread). */
  next<T extends ServerMessage['type']>(
    type: T,
    match: (message: Extract<ServerMessage, { type: T }>) => boolean = () => true,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const test = (message: ServerMessage) =>
      message.type === type && match(message as Extract<ServerMessage, { type: T }>);
    const index = this.#unread.findIndex(test);
    if (index !== -1) {
      const [message] = this.#unread.splice(index, 1);
      return Promise.resolve(message as Extract<ServerMessage, { type: T }>);
    }
    return new Promise((resolve) => {
      this.#waiters.push({ match: test, resolve: resolve as (m: ServerMessage) => void });
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  close(): Promise<unknown> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    return this.closed;
  }
}
