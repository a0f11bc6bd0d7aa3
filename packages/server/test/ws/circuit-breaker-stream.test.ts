import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from '@breakwater/core';
import { closeCodes } from '@breakwater/protocol';
import { serverMessageSchema } from '@breakwater/protocol/schema';
import { afterEach, describe, expect, it } from 'vitest';
import {
  attachCircuitBreakerStream,
  type CircuitBreakerStreamOptions,
  type Principal,
} from '../../src/ws/index';
import { listenWithStream } from './stream-server';
import { TestClient } from './ws-test-client';

const principals: Record<string, Principal> = {
  'admin-token': { sub: 'alice', role: 'admin' },
  'viewer-token': { sub: 'victor', role: 'viewer' },
};
const authenticate = async (token: string): Promise<Principal> => {
  const principal = principals[token];
  if (principal === undefined) throw new Error('bad token');
  return principal;
};

interface Harness {
  registry: Registry;
  url: string;
  client(token?: string, via?: 'protocol' | 'query'): TestClient;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Partial<CircuitBreakerStreamOptions> = {}): Promise<Harness> {
  const registry = new Registry({
    services: {
      'market-data': {},
      wallet: { dependsOn: ['market-data'] },
      checkout: { dependsOn: ['wallet'] },
    },
  });
  const { url, close } = await listenWithStream({ registry, authenticate, ...options });
  cleanups.push(close);
  return {
    registry,
    url,
    client(token = 'admin-token', via = 'protocol') {
      const client =
        via === 'protocol'
          ? new TestClient(url, token)
          : new TestClient(`${url}?token=${encodeURIComponent(token)}`);
      cleanups.push(() => client.close());
      return client;
    },
  };
}

/** Waits for `connection:status` and the full state that follows it; returns that state. */
async function connected(ws: TestClient) {
  await ws.next('connection:status');
  return ws.next('service:update');
}

describe('the circuit breaker stream', () => {
  it('runs the monitoring client flow: connected, full state, subscribe, full update, change, reset', async () => {
    const { client, registry } = await start();
    const ws = client('admin-token');
    await ws.opened;
    expect(ws.socket.protocol).toBe('admin-token');
    const status = await ws.next('connection:status');
    expect(status.status).toBe('connected');
    const state = await ws.next('service:update');
    expect(state.services.map((s) => s.service)).toEqual(['market-data', 'wallet', 'checkout']);

    ws.send({ type: 'subscribe:services' });
    const initial = await ws.next('service:update');
    expect(initial.services.map((s) => s.service)).toEqual(['market-data', 'wallet', 'checkout']);
    expect(initial.services[0]?.circuit).toMatchObject({ state: 'closed', phase: 'closed' });

    await registry.forceOpen('market-data');
    const opened = await ws.next('service:update', (m) =>
      m.services.some((s) => s.service === 'market-data'),
    );
    expect(opened.services.find((s) => s.service === 'market-data')).toMatchObject({
      status: 'failed',
      circuit: { state: 'open', phase: 'forced-open' },
    });

    ws.send({ type: 'circuit:reset', service: 'market-data' });
    const ack = await ws.next('circuit:reset');
    expect(ack).toMatchObject({ service: 'market-data', before: 'forced-open', after: 'closed' });
    const [entry] = await registry.audit({ service: 'market-data', limit: 1 });
    expect(entry).toMatchObject({ action: 'reset', actor: { id: 'alice', role: 'admin' } });

    for (const message of ws.received) expect(serverMessageSchema.parse(message)).toEqual(message);
  });

  it('takes the token from ?token= as well', async () => {
    const { client } = await start();
    const ws = client('viewer-token', 'query');
    expect((await ws.next('connection:status')).status).toBe('connected');
  });

  it.each([
    ['a bad token', 'forged-token'],
    ['no token', ''],
  ])('accepts then closes with 4001 on %s', async (_, token) => {
    const { url } = await start();
    const ws = token === '' ? new TestClient(url) : new TestClient(url, token);
    cleanups.push(() => ws.close());
    const error = await ws.next('error');
    expect(error.code).toBe(closeCodes.unauthorized);
    expect((await ws.closed).code).toBe(closeCodes.unauthorized);
    expect(ws.received.some((m) => m.type === 'connection:status')).toBe(false);
    expect(ws.received.some((m) => m.type === 'service:update')).toBe(false);
  });

  it('sends the full state right after connection:status, and no change before a subscribe', async () => {
    const { client, registry } = await start();
    await registry.forceOpen('wallet');
    const ws = client('viewer-token');
    const state = await connected(ws);
    expect(ws.received.map((m) => m.type)).toEqual(['connection:status', 'service:update']);
    expect(state.services).toMatchObject([
      { service: 'market-data', status: 'unknown' },
      { service: 'wallet', status: 'failed', circuit: { state: 'open', phase: 'forced-open' } },
      { service: 'checkout', status: 'degraded', circuit: { degradedBy: ['wallet'] } },
    ]);
    expect(serverMessageSchema.parse(state)).toEqual(state);

    await registry.release('wallet');
    ws.send({ type: 'ping' });
    await ws.next('pong');
    expect(ws.received.filter((m) => m.type === 'service:update')).toHaveLength(1);
  });

  it('sends the full state of an empty registry as an update with no services', async () => {
    const server: Server = createServer();
    const registry = new Registry();
    const stream = attachCircuitBreakerStream(server, { registry, authenticate });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const ws = new TestClient(`ws://127.0.0.1:${port}/api/v2/ws/circuit-breaker`, 'viewer-token');
    cleanups.push(async () => {
      await ws.close();
      await stream.close();
      server.close();
      await once(server, 'close');
    });
    expect((await connected(ws)).services).toEqual([]);
  });

  it('refuses circuit:reset to a viewer with 4003 and changes nothing', async () => {
    const { client, registry } = await start();
    await registry.forceOpen('market-data');
    const ws = client('viewer-token');
    await ws.next('connection:status');
    ws.send({ type: 'circuit:reset', service: 'market-data' });
    expect((await ws.next('error')).code).toBe(closeCodes.forbidden);
    ws.send({ type: 'ping' });
    await ws.next('pong');
    expect(registry.get('market-data')?.state).toBe('forced-open');
  });

  it('forces open, disables and releases a circuit for an admin, audited with the token sub', async () => {
    const { client, registry } = await start();
    const ws = client('admin-token');
    await connected(ws);
    const steps = [
      ['circuit:force-open', 'closed', 'forced-open', 'force-open'],
      ['circuit:release', 'forced-open', 'closed', 'release'],
      ['circuit:disable', 'closed', 'disabled', 'disable'],
      ['circuit:release', 'disabled', 'closed', 'release'],
    ] as const;
    for (const [type, before, after, audited] of steps) {
      ws.send({ type, service: 'wallet' });
      const reply = await ws.next(type);
      expect(reply).toMatchObject({ service: 'wallet', before, after });
      expect(serverMessageSchema.parse(reply)).toEqual(reply);
      expect(registry.get('wallet')?.state).toBe(after);
      const [entry] = await registry.audit({ service: 'wallet', limit: 1 });
      expect(entry).toMatchObject({ action: audited, actor: { id: 'alice', role: 'admin' } });
    }
  });

  it.each(['circuit:force-open', 'circuit:disable', 'circuit:release'] as const)(
    'refuses %s to a viewer with 4003 and changes nothing',
    async (type) => {
      const { client, registry } = await start();
      await registry.forceOpen('market-data');
      const ws = client('viewer-token');
      await connected(ws);
      ws.send({ type, service: 'market-data' });
      const error = await ws.next('error');
      expect(error).toMatchObject({
        code: closeCodes.forbidden,
        message: expect.stringContaining(type),
      });
      ws.send({ type: 'ping' });
      await ws.next('pong');
      expect(registry.get('market-data')?.state).toBe('forced-open');
    },
  );

  it('answers an action on an unknown service with 4004 naming it', async () => {
    const { client } = await start();
    const ws = client('admin-token');
    await connected(ws);
    ws.send({ type: 'circuit:force-open', service: 'nowhere' });
    expect(await ws.next('error')).toMatchObject({
      code: closeCodes.invalidMessage,
      message: 'Unknown service: nowhere',
    });
  });

  it('answers ping with pong and health:check with the fleet roll-up', async () => {
    const { client, registry } = await start();
    await registry.forceOpen('wallet');
    const ws = client('viewer-token');
    await ws.next('connection:status');
    ws.send({ type: 'ping' });
    await ws.next('pong');
    ws.send({ type: 'health:check' });
    const health = await ws.next('health:check');
    expect(health).toMatchObject({ status: 'degraded', stats: { total: 3, failed: 1 } });
  });

  it.each([
    ['invalid JSON', '{not json'],
    ['an unknown type', { type: 'circuit:explode' }],
    ['a malformed message', { type: 'circuit:reset' }],
  ])('answers %s with 4004 and stays open', async (_, message) => {
    const { client } = await start();
    const ws = client('admin-token');
    await ws.next('connection:status');
    ws.send(message);
    expect((await ws.next('error')).code).toBe(closeCodes.invalidMessage);
    ws.send({ type: 'ping' });
    await ws.next('pong');
  });

  it('sends only the services a client subscribed to, until it unsubscribes', async () => {
    const { client, registry } = await start();
    const ws = client('viewer-token');
    expect((await connected(ws)).services).toHaveLength(3);
    ws.send({ type: 'subscribe:services', services: ['wallet'] });
    expect((await ws.next('service:update')).services.map((s) => s.service)).toEqual(['wallet']);
    await registry.forceOpen('market-data');
    const cascade = await ws.next('service:update');
    expect(cascade.services).toMatchObject([{ service: 'wallet', status: 'degraded' }]);
    await registry.forceOpen('wallet');
    const update = await ws.next('service:update');
    expect(update.services).toMatchObject([{ service: 'wallet', status: 'failed' }]);
    ws.send({ type: 'unsubscribe:services' });
    ws.send({ type: 'ping' });
    await ws.next('pong');
    await registry.release('wallet');
    ws.send({ type: 'ping' });
    await ws.next('pong');
    // The full state on connection, then the three narrowed updates.
    expect(ws.received.filter((m) => m.type === 'service:update')).toHaveLength(4);
  });

  it('sends a full update to every subscriber from one shared ticker', async () => {
    const { client } = await start({ updateInterval: 20 });
    const first = client('admin-token');
    const second = client('viewer-token');
    await Promise.all([connected(first), connected(second)]);
    first.send({ type: 'subscribe:services' });
    second.send({ type: 'subscribe:services' });
    await first.next('service:update');
    await second.next('service:update');
    const [a, b] = await Promise.all([first.next('service:update'), second.next('service:update')]);
    expect(a?.services).toHaveLength(3);
    expect(a).toEqual(b);
  });

  it('pushes a health change that comes without a state change, before the next full update', async () => {
    const { client, registry } = await start({ updateInterval: 600_000, healthCheckInterval: 10 });
    const ws = client('viewer-token');
    await connected(ws);
    ws.send({ type: 'subscribe:services' });
    expect((await ws.next('service:update')).services[0]).toMatchObject({ status: 'unknown' });

    await registry.breaker('market-data').execute(async () => 'ok');
    const healthy = await ws.next('service:update');
    expect(healthy.services).toMatchObject([{ service: 'market-data', status: 'healthy' }]);

    await registry
      .breaker('market-data')
      .execute(async () => Promise.reject(new Error('boom')))
      .catch(() => {});
    const degraded = await ws.next('service:update');
    expect(registry.breaker('market-data').state).toBe('closed');
    expect(degraded.services).toMatchObject([
      { service: 'market-data', status: 'degraded', circuit: { state: 'closed' } },
      { service: 'wallet', status: 'degraded', circuit: { degradedBy: ['market-data'] } },
      { service: 'checkout', status: 'degraded', circuit: { degradedBy: ['wallet'] } },
    ]);
  });

  it('rejects messages past 60 a minute with 4029, then closes past twice the limit', async () => {
    const { client } = await start();
    const ws = client('admin-token');
    await ws.next('connection:status');
    for (let i = 0; i < 61; i++) ws.send({ type: 'ping' });
    expect((await ws.next('error')).code).toBe(closeCodes.rateLimited);
    for (let i = 0; i < 60; i++) ws.send({ type: 'ping' });
    expect((await ws.closed).code).toBe(closeCodes.rateLimited);
    expect(ws.received.filter((m) => m.type === 'pong')).toHaveLength(60);
  });

  it('closes a connection that sends a frame over 16 KB with 1009', async () => {
    const { client } = await start();
    const ws = client('admin-token');
    await ws.next('connection:status');
    ws.send({ type: 'ping', padding: 'x'.repeat(16_384) });
    expect((await ws.closed).code).toBe(closeCodes.messageTooBig);
  });

  it('drops a client that stops answering heartbeats', async () => {
    const { url } = await start({ heartbeatInterval: 20 });
    const dead = new TestClient(url, 'viewer-token', { autoPong: false });
    cleanups.push(() => dead.close());
    expect((await dead.closed).code).toBe(1006);
  });

  it('keeps a healthy client updated while another one misbehaves', async () => {
    const { client, registry } = await start({ updateInterval: 50, heartbeatInterval: 20 });
    const good = client('viewer-token');
    const bad = client('viewer-token');
    await connected(good);
    good.send({ type: 'subscribe:services' });
    await good.next('service:update');
    await bad.next('connection:status');

    bad.send('{garbage');
    for (let i = 0; i < 130; i++) bad.send({ type: 'ping' });
    await registry.forceOpen('market-data');
    const change = await good.next('service:update', (m) =>
      m.services.some((s) => s.service === 'market-data' && s.circuit.state === 'open'),
    );
    // The change carries market-data and everything downstream: wallet, and checkout through it.
    expect(change.services.map((s) => s.service)).toEqual(['market-data', 'wallet', 'checkout']);
    expect(change.services[1]).toMatchObject({
      status: 'degraded',
      circuit: { degradedBy: ['market-data'] },
    });
    expect(change.services[2]).toMatchObject({
      status: 'degraded',
      circuit: { degradedBy: ['wallet'] },
    });
    expect((await bad.closed).code).toBe(closeCodes.rateLimited);

    const tick = await good.next('service:update', (m) => m.services.length === 3);
    expect(tick.services[0]?.circuit.state).toBe('open');
    good.send({ type: 'ping' });
    await good.next('pong');
    expect(good.socket.readyState).toBe(good.socket.OPEN);
  });
});
