import { Registry } from '@breakwater/core';
import { closeCodes } from '@breakwater/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { CircuitBreakerStreamOptions } from '../../src/ws/index';
import { listenWithStream } from './stream-server';
import { TestClient } from './ws-test-client';

// What one client can make the stream hold: subscription names, connections.

const authenticate = async (token: string) => {
  if (!token.startsWith('viewer-')) throw new Error('bad token');
  return { sub: token, role: 'viewer' as const };
};

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Partial<CircuitBreakerStreamOptions> = {}) {
  const registry = new Registry({ services: { 'market-data': {}, wallet: {} } });
  const { url, close } = await listenWithStream({ registry, authenticate, ...options });
  cleanups.push(close);
  return {
    registry,
    url,
    client(token = 'viewer-1') {
      const client = new TestClient(url, token);
      cleanups.push(() => client.close());
      return client;
    },
  };
}

async function connected(ws: TestClient) {
  await ws.next('connection:status');
  return ws.next('service:update');
}

describe('subscription names', () => {
  it('keeps only services of the registry, and answers the others with one error naming how many', async () => {
    const { client, registry } = await start();
    const ws = client();
    await connected(ws);
    const names = ['wallet', 'x'.repeat(16_000 - 100), 'later'];
    ws.send({ type: 'subscribe:services', services: names });
    const error = await ws.next('error');
    expect(error.code).toBe(closeCodes.invalidMessage);
    expect(error.message).toBe(
      `subscribe:services: 2 of 3 names are not services of this monitor and were ignored (the first: "${'x'.repeat(63)}…")`,
    );
    expect((await ws.next('service:update')).services.map((s) => s.service)).toEqual(['wallet']);

    // Not stored: a service created later under a refused name is not sent to this client.
    registry.breaker('later');
    await registry.forceOpen('later');
    await registry.forceOpen('wallet');
    const update = await ws.next('service:update');
    expect(update.services.map((s) => s.service)).toEqual(['wallet']);
  });

  it('ignores unknown names in an unsubscribe too, with the same error', async () => {
    const { client, registry } = await start();
    const ws = client();
    await connected(ws);
    ws.send({ type: 'subscribe:services' });
    await ws.next('service:update');
    ws.send({ type: 'unsubscribe:services', services: ['wallet', 'nope'] });
    expect((await ws.next('error')).message).toMatch(
      /^unsubscribe:services: 1 of 2 names are not services of this monitor/,
    );
    await registry.forceOpen('wallet');
    await registry.forceOpen('market-data');
    const update = await ws.next('service:update');
    expect(update.services.map((s) => s.service)).toEqual(['market-data']);
  });
});

describe('connections', () => {
  it('refuses one more than maxConnectionsPerToken for a token with 1013, and takes it once one closed', async () => {
    const { client } = await start({ maxConnectionsPerToken: 2 });
    const [first, second] = [client('viewer-a'), client('viewer-a')];
    await Promise.all([connected(first), connected(second)]);
    const other = client('viewer-b');
    await connected(other);

    const third = client('viewer-a');
    const refusal = await third.next('error');
    expect(refusal).toMatchObject({
      code: closeCodes.tryAgainLater,
      message:
        'Too many connections for this token: 2 are open (server.ws.maxConnectionsPerToken); close one first',
    });
    expect(await third.closed).toEqual({
      code: 1013,
      reason:
        'Too many connections for this token: 2 are open (server.ws.maxConnectionsPerToken); close one first',
    });

    await first.close();
    await connected(client('viewer-a'));
  });

  it('refuses one more than maxConnections in all with 1013', async () => {
    const { client } = await start({ maxConnections: 2 });
    await Promise.all([connected(client('viewer-a')), connected(client('viewer-b'))]);
    const refused = client('viewer-c');
    expect(await refused.next('error')).toMatchObject({
      code: 1013,
      message:
        'Too many connections: the monitor holds 2 (server.ws.maxConnections); try again later',
    });
    expect((await refused.closed).code).toBe(1013);
  });

  it('refuses a bad token with 4001 before counting it', async () => {
    const { client } = await start({ maxConnections: 1 });
    expect((await client('nobody').closed).code).toBe(closeCodes.unauthorized);
    await connected(client('viewer-a'));
  });
});

describe('frames', () => {
  it('closes a connection that sends a text frame that is not UTF-8 with 1007', async () => {
    const { client } = await start();
    const ws = client();
    await connected(ws);
    ws.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await ws.closed).code).toBe(closeCodes.invalidPayload);
  });
});
