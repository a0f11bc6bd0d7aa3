import { Registry } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { createAuthenticator, createHttpApi, signToken } from '@breakwater/server';
import { afterEach, expect, it, vi } from 'vitest';
import { listenersOn, serverClient } from '../../packages/redis/test/support';
import {
  deleteKeysWithPrefix,
  describeWithRedis,
  redisUrl,
  uniqueKeyPrefix,
} from '../support/redis';

// A monitor over a shared registry reads the fleet's reports from the moment
// its API exists, so the first GET /api/fleet already lists the others.

const env = { BREAKWATER_JWT_SECRET: 'monitor-fleet-test-secret-long-enough' };
const services = { 'market-data': { failureThreshold: 5, resetTimeout: 10_000 } };
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function instance(keyPrefix: string) {
  const store = await RedisStore.connect({ url: redisUrl, keyPrefix, flushInterval: 60_000 });
  const registry = await Registry.open({ store, shared: true, services });
  cleanups.push(() => registry.close());
  return { store, registry };
}

describeWithRedis('a monitor of a shared registry', () => {
  it('reads the fleet’s reports from its creation, and lists every instance', async () => {
    const keyPrefix = uniqueKeyPrefix('monitor-fleet');
    cleanups.push(() => deleteKeysWithPrefix(keyPrefix));
    const monitor = await instance(keyPrefix);
    const other = await instance(keyPrefix);
    const readers = () =>
      listenersOn(serverClient(monitor.store), monitor.store.keys.reportsChannel);
    expect(await readers()).toBe(0);

    const authenticator = createAuthenticator({ algorithm: 'HS256' }, env);
    const app = createHttpApi({ registry: monitor.registry, authenticator });
    await monitor.registry.flush();
    expect(await readers()).toBe(1);

    const viewer = await signToken({ sub: 'vera', role: 'viewer' }, undefined, env);
    const listed = async () => {
      const response = await app.request('/api/fleet', {
        headers: { authorization: `Bearer ${viewer}` },
      });
      const { instances } = (await response.json()) as { instances: { instance: string }[] };
      return instances.map(({ instance }) => instance);
    };
    // The other instance answers the monitor's first request at once.
    const ids = [monitor, other].map(({ registry }) => registry.sharingStatus()?.instance);
    await vi.waitFor(async () => expect(await listed()).toEqual(ids), { timeout: 3_000 });
  });
});
