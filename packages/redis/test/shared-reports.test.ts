import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import type { RedisStore } from '@breakwater/redis';
import { afterEach, expect, it } from 'vitest';
import { describeWithRedis } from '../../../tests/support/redis';
import { eventually, listenersOn, serverClient, useRedisStores } from './support';

const services = { 'market-data': { failureThreshold: 5, resetTimeout: 10_000 } };

describeWithRedis('instance reports', () => {
  const open = useRedisStores('reports');
  const registries: Registry[] = [];
  afterEach(async () => {
    for (const registry of registries.splice(0)) await registry.close();
  });

  /** Instances of one fleet: a store of their own on the first store's prefix, each. */
  async function instances(count: number) {
    const first = await open({ flushInterval: 60_000 });
    const stores = [first];
    while (stores.length < count) {
      stores.push(await open({ keyPrefix: first.keys.prefix, flushInterval: 60_000 }));
    }
    const clock = new FakeClock(Date.now());
    const opened = [];
    for (const store of stores) {
      const registry = await Registry.open({ store, shared: true, services, clock });
      registries.push(registry);
      opened.push({ registry, store });
    }
    return opened;
  }

  const listeners = (store: RedisStore, channel: string) =>
    listenersOn(serverClient(store), channel);

  it('are read by no instance until one shows the fleet, then by that one alone', async () => {
    const [a, b] = await instances(2);
    if (a === undefined || b === undefined) throw new Error('expected two instances');
    const { reportsChannel, reportRequestsChannel } = a.store.keys;
    expect(await listeners(a.store, reportsChannel)).toBe(0);
    expect(await listeners(a.store, reportRequestsChannel)).toBe(2);
    a.registry.fleetInstances();
    await a.registry.flush();
    expect(await listeners(a.store, reportsChannel)).toBe(1);
    // b reports at once to its new reader, its transition included.
    await b.registry.forceOpen('market-data');
    const reports = await eventually(() => {
      const heard = a.registry.fleetInstances() ?? [];
      return heard[1]?.breakers['market-data']?.state === 'forced-open' && heard;
    });
    expect(reports.map((report) => report.instance)).toEqual([
      a.registry.sharingStatus()?.instance,
      b.registry.sharingStatus()?.instance,
    ]);
  });

  it('are sent only when asked, and at once to a new asker', async () => {
    const [b] = await instances(1);
    if (b === undefined) throw new Error('expected an instance');
    const { reportsChannel, reportRequestsChannel } = b.store.keys;
    const listener = b.store.duplicate();
    const heard: string[] = [];
    listener.on('message', (_channel: string, text: string) => heard.push(text));
    await listener.subscribe(reportsChannel);
    try {
      // A transition sent a report to every instance before; nobody asked, so nothing goes out.
      await b.registry.forceOpen('market-data');
      await b.registry.flush();
      await serverClient(b.store).ping(); // whatever b sent before this has been delivered
      await serverClient(b.store).publish(reportsChannel, 'marker');
      await serverClient(b.store).publish(reportRequestsChannel, 'test-monitor');
      await eventually(() => heard.length >= 2);
      expect(heard[0]).toBe('marker');
      expect(JSON.parse(heard[1] ?? '{}')).toMatchObject({
        instance: b.registry.sharingStatus()?.instance,
        breakers: { 'market-data': { state: 'forced-open' } },
      });
    } finally {
      listener.disconnect();
    }
  });
});
