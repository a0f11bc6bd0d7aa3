import { EventEmitter } from 'node:events';
import { Registry } from '@breakwater/core';
import { toServiceUpdate } from '@breakwater/protocol';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { StreamConnection, type StreamHost } from '../../src/ws/stream-connection';

/** The part of a `ws` socket a connection uses, with a send buffer the test fills by hand. */
class SocketDouble extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  terminated = false;
  pings = 0;
  send(text: string): void {
    this.sent.push(text);
  }
  ping(): void {
    this.pings += 1;
  }
  terminate(): void {
    this.terminated = true;
  }
}

const registry = new Registry({ services: { 'market-data': {} } });
const update = () => toServiceUpdate(registry.status(), new Date(0).toISOString());
const host: StreamHost = {
  now: () => 0,
  knows: (service) => registry.get(service) !== undefined,
  snapshot: () => update(),
  healthCheck: () => ({ type: 'pong', timestamp: new Date(0).toISOString() }),
  act: async () => ({ type: 'pong', timestamp: new Date(0).toISOString() }),
};

function subscribedConnection(maxBufferedBytes: number) {
  const socket = new SocketDouble();
  const connection = new StreamConnection(
    socket as unknown as WebSocket,
    { sub: 'v', role: 'viewer' },
    host,
    {
      rateLimitPerMinute: 60,
      maxBufferedBytes,
    },
  );
  socket.emit('message', Buffer.from('{"type":"subscribe:services"}'), false);
  socket.sent.length = 0;
  return { socket, connection };
}

describe('a stream connection with a slow reader', () => {
  it('skips updates while more than maxBufferedBytes wait unsent, and resumes once drained', () => {
    const { socket, connection } = subscribedConnection(1_000);
    connection.sendUpdate(update());
    expect(socket.sent).toHaveLength(1);

    socket.bufferedAmount = 1_001;
    connection.sendUpdate(update());
    expect(socket.sent).toHaveLength(1);
    expect(connection.backedUp).toBe(true);

    socket.bufferedAmount = 1_000;
    connection.sendUpdate(update());
    expect(socket.sent).toHaveLength(2);
  });

  it('still answers the client itself while backed up (pong, errors are small and asked for)', () => {
    const { socket } = subscribedConnection(1_000);
    socket.bufferedAmount = 5_000;
    socket.emit('message', Buffer.from('{"type":"ping"}'), false);
    expect(JSON.parse(socket.sent[0] ?? '{}')).toMatchObject({ type: 'pong' });
  });

  it('is dropped at a heartbeat while still backed up', () => {
    const { socket, connection } = subscribedConnection(1_000);
    connection.heartbeat();
    expect(socket.terminated).toBe(false);
    socket.emit('pong');
    socket.bufferedAmount = 2_000;
    connection.heartbeat();
    expect(socket.terminated).toBe(true);
  });
});
