import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { MemoryStore, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor, type MonitorOptions, signToken } from '../src';
import { logSink, startReceiver } from './alerts/alert-fixture';
import { TestClient } from './ws/ws-test-client';

// monitor.stop() ends in bounded time whatever its clients do. The deadline
// runs on a FakeClock: a test advances it rather than waiting it out.

const env = { BREAKWATER_JWT_SECRET: 'a-shutdown-secret-that-is-at-least-32-characters' };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(options: Partial<MonitorOptions> = {}) {
  const clock = new FakeClock();
  const registry = new Registry({ clock, services: { payments: { failureThreshold: 1 } } });
  const monitor: Monitor = createMonitor({ registry, env, clock, ...options });
  const { port, url } = await monitor.start({ port: 0 });
  return { clock, registry, monitor, port, url };
}

/** A raw TCP connection to the monitor, closed after the test; `closed` settles when the server ends it. */
async function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  cleanups.push(() => socket.destroy());
  socket.on('error', () => {});
  const closed = once(socket, 'close').then(() => true);
  await once(socket, 'connect');
  return { socket, closed };
}

/** Resolves after the event loop has gone round `turns` times: time for the server to act, on real sockets. */
async function turns(count = 20): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A promise's state without waiting for it. */
function settledFlag(promise: Promise<unknown>) {
  const flag = { settled: false };
  void promise.finally(() => {
    flag.settled = true;
  });
  return flag;
}

/** A WebSocket handshake on a raw socket that, once upgraded, never reads again. */
async function deafWebSocket(port: number, token: string) {
  const connection = await rawConnection(port);
  connection.socket.write(
    'GET /api/v2/ws/circuit-breaker HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n' +
      'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ${token}\r\n\r\n`,
  );
  const [first] = (await once(connection.socket, 'data')) as [Buffer];
  expect(first.toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
  connection.socket.pause();
  return connection;
}

describe('monitor.stop()', () => {
  it('ends in bounded time with a half-sent request and a WebSocket client that does not read', async () => {
    const { clock, monitor, port, url } = await started();
    const token = await signToken({ sub: 'ada', role: 'viewer' }, undefined, env);

    const halfRequest = await rawConnection(port);
    halfRequest.socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n'); // the blank line never comes
    const deaf = await deafWebSocket(port, token);
    const polite = new TestClient(`${url.replace('http', 'ws')}/api/v2/ws/circuit-breaker`, token);
    await polite.next('connection:status');
    await (await fetch(`${url}/metrics`)).text(); // the server has seen everything before this

    const stopping = monitor.stop();
    const stop = settledFlag(stopping);
    // A client that answers the close handshake is gone at once, with 1001.
    expect(await polite.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
    await turns();
    expect(stop.settled).toBe(false);
    expect(settledFlag(halfRequest.closed).settled).toBe(false);

    clock.advance(4_999);
    await turns();
    expect(stop.settled).toBe(false);
    clock.advance(1); // shutdownTimeout: 5 000 ms by default
    await stopping;
    expect(await halfRequest.closed).toBe(true);
    deaf.socket.resume(); // reads now, to find that the server has ended the connection
    expect(await deaf.closed).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('ends idle keep-alive connections at once, without waiting for the deadline', async () => {
    const { monitor, port } = await started({ shutdownTimeout: 60_000 });
    const idle = await rawConnection(port);
    idle.socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await once(idle.socket, 'data');
    await monitor.stop();
    expect(await idle.closed).toBe(true);
  });

  it('takes its bound from shutdownTimeout, and saves every breaker to the store after', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const registry = await Registry.open({ store, clock, services: { payments: {} } });
    const monitor = createMonitor({ registry, store, env, clock, shutdownTimeout: 250 });
    const { port } = await monitor.start({ port: 0 });
    await registry.breaker('payments').execute(async () => 'ok');
    const halfRequest = await rawConnection(port);
    halfRequest.socket.write('PATCH /api/circuit-breakers/payments/config HTTP/1.1\r\n');
    await turns();

    const stopping = monitor.stop();
    const stop = settledFlag(stopping);
    clock.advance(249);
    await turns();
    expect(stop.settled).toBe(false);
    clock.advance(1);
    await stopping;
    expect(await halfRequest.closed).toBe(true);
    expect(await store.loadBreakers()).toMatchObject([
      { name: 'payments', totals: { successes: 1 } },
    ]);
  });

  it('refuses a new connection once stopping', async () => {
    const { monitor, port } = await started();
    await monitor.stop();
    const refused = connect(port, '127.0.0.1');
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });
});

describe('webhook deliveries when the monitor stops', () => {
  it('are not retried: a delivery waiting out its backoff is given up at once', async () => {
    const hook = await startReceiver(() => 500);
    cleanups.push(() => hook.close());
    const sink = logSink();
    const { monitor, registry } = await started({
      log: sink.log,
      shutdownTimeout: 60_000,
      alerts: { log: false, webhooks: [{ url: hook.url, retries: 5 }] },
    });
    await registry.forceOpen('payments');
    await registry.release('payments');
    await registry
      .breaker('payments')
      .execute(async () => Promise.reject(new Error('down')))
      .catch(() => {});
    await sink.logged(
      /attempt 1 of 6 for circuit-open of payments failed: HTTP 500; retrying in 1000 ms/,
    );

    await monitor.stop(); // no clock advance: nothing waits for the deadline
    expect(sink.lines.at(-1)).toMatch(
      /gave up on circuit-open of payments after attempt 1 of 6 failed: HTTP 500 \(not retried: the monitor is stopping\)$/,
    );
    expect(hook.requests).toHaveLength(1);
  });

  it('are cancelled at the deadline when the webhook does not answer', async () => {
    const hook = await startReceiver(() => undefined);
    cleanups.push(() => hook.close());
    const sink = logSink();
    const { clock, monitor, registry } = await started({
      log: sink.log,
      alerts: { log: false, webhooks: [{ url: hook.url, timeout: 600_000 }] },
    });
    await registry
      .breaker('payments')
      .execute(async () => Promise.reject(new Error('down')))
      .catch(() => {});
    await hook.received(1);

    const stopping = monitor.stop();
    const stop = settledFlag(stopping);
    await turns();
    expect(stop.settled).toBe(false);
    clock.advance(5_000);
    await stopping;
    await sink.logged(
      /gave up on circuit-open of payments after attempt 1 of 4 failed: cancelled: the monitor is stopping$/,
    );
  });
});
