import { isStoreUnavailableError, Registry, type RegistryEvents } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { RedisStore, type RedisStoreOptions } from '@breakwater/redis';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import {
  describeWithRedisServer,
  type PrivateRedis,
  startPrivateRedis,
} from '../../../tests/support/redis-server';
import { startTcpProxy, type TcpProxy } from '../../../tests/support/tcp-proxy';
import { eventually, nextEvent } from './support';

// The rule for changes made while an instance cannot reach Redis: a manual
// action or a configuration change on a shared registry is refused there with
// a StoreUnavailableError and changes nothing (breaker, overrides, audit), so
// the fleet never splits. Each test runs its own redis-server; instance B
// reaches it through a proxy the test cuts.

const services = {
  'market-data': { failureThreshold: 5, resetTimeout: 10_000 },
  payments: { failureThreshold: 5, resetTimeout: 10_000 },
};
const alice = { id: 'alice', role: 'admin' };
const bob = { id: 'bob', role: 'admin' };

let server: PrivateRedis;
let proxy: TcpProxy;
let clock: FakeClock;
const cleanups: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  server = await startPrivateRedis();
  proxy = await startTcpProxy(server.port);
  clock = new FakeClock(Date.now());
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await proxy.close();
  await server.stop();
});

async function instance(url: string, options: RedisStoreOptions = {}): Promise<Registry> {
  const store = await RedisStore.connect({
    url,
    keyPrefix: 'bw-refusal:',
    flushInterval: 50,
    commandTimeout: 250,
    connectTimeout: 500,
    ...options,
  });
  const registry = await Registry.open({ store, shared: true, services, clock });
  cleanups.push(() => registry.close());
  return registry;
}

const mode = (wanted: 'shared' | 'degraded') => (event: RegistryEvents['sharingChange']) =>
  event.status.mode === wanted;

async function refusal(action: Promise<unknown>): Promise<unknown> {
  return action.then(
    () => {
      throw new Error('the action was taken');
    },
    (error: unknown) => error,
  );
}

describeWithRedisServer('changes made on an instance cut off from Redis', () => {
  vi.setConfig({ testTimeout: 10_000 });

  it('are refused with a StoreUnavailableError and change nothing; once back, both instances agree', async () => {
    const a = await instance(server.url);
    const b = await instance(proxy.url);
    const cutOff = nextEvent(b, 'sharingChange', mode('degraded'));
    await proxy.cut();
    await cutOff;

    const refused = [
      () => b.forceOpen('market-data', bob),
      () => b.disable('market-data', bob),
      () => b.reset('market-data', bob),
      () => b.release('market-data', bob),
      () => b.resetAll(bob),
      () => b.configure('market-data', { failureThreshold: 2 }, bob),
    ];
    for (const action of refused) {
      const error = await refusal(action());
      expect(isStoreUnavailableError(error)).toBe(true);
      expect(b.breaker('market-data').state).toBe('closed');
      expect(b.breaker('market-data').options.failureThreshold).toBe(5);
      expect(error).toMatchObject({ store: `Redis at ${proxy.url}` });
      expect((error as Error).message).toMatch(/refused/);
    }

    // The fleet, meanwhile, acts through A.
    await a.forceOpen('market-data', alice);
    await a.configure('payments', { failureThreshold: 3 }, alice);

    const back = nextEvent(b, 'sharingChange', mode('shared'));
    await proxy.mend();
    await back;
    // B missed both announcements and catches up from Redis.
    await eventually(() => b.breaker('market-data').state === 'forced-open');
    await eventually(() => b.breaker('payments').options.failureThreshold === 3);
    expect(a.breaker('market-data').state).toBe('forced-open');
    expect(b.breaker('market-data').options.failureThreshold).toBe(5);
    const audit = await b.audit();
    expect(audit.map((entry) => [entry.action, entry.target, entry.actor.id])).toEqual([
      ['configure', 'payments', 'alice'],
      ['force-open', 'market-data', 'alice'],
    ]);
  });

  it('an action taken as the connection drops, before the instance noticed, is undone when it reconnects', async () => {
    const a = await instance(server.url);
    const b = await instance(proxy.url);
    // Not awaited: B still believes it is connected when the action runs.
    const cutting = proxy.cut();
    const error = await refusal(b.forceOpen('market-data', bob));
    await cutting;
    expect(isStoreUnavailableError(error)).toBe(true);
    expect(b.sharingStatus()?.mode).toBe('degraded');

    const back = nextEvent(b, 'sharingChange', mode('shared'));
    await proxy.mend();
    await back;
    await b.flush();
    await a.flush();
    // Refused, so not taken up by the fleet, and not kept by B either.
    await eventually(() => b.breaker('market-data').state === 'closed');
    expect(a.breaker('market-data').state).toBe('closed');
    expect(await a.audit()).toEqual([]);
  });

  it('are taken as usual once the instance is back', async () => {
    const a = await instance(server.url);
    const b = await instance(proxy.url);
    const cutOff = nextEvent(b, 'sharingChange', mode('degraded'));
    await proxy.cut();
    await cutOff;
    const back = nextEvent(b, 'sharingChange', mode('shared'));
    await proxy.mend();
    await back;
    const seen = nextEvent(a, 'stateChange', (event) => event.to === 'forced-open');
    await b.forceOpen('market-data', bob);
    expect(await seen).toMatchObject({ service: 'market-data', reason: 'shared' });
  });
});
