import {
  isRegistryClosedError,
  isStoreClosedError,
  MemoryStore,
  Registry,
  RegistryClosedError,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, succeed } from '../support/calls';

async function closedRegistry() {
  const store = new MemoryStore();
  const registry = await Registry.open({
    store,
    clock: new FakeClock(),
    services: { 'market-data': { preset: 'market-data' } },
  });
  await registry.close();
  return { registry, store };
}

describe('a closed registry', () => {
  it('refuses to create a breaker with a RegistryClosedError', async () => {
    const { registry } = await closedRegistry();
    expect(() => registry.breaker('new-service')).toThrow(RegistryClosedError);
    expect(registry.get('new-service')).toBeUndefined();
  });

  it('refuses manual actions, reset-all and configure with a RegistryClosedError', async () => {
    const { registry } = await closedRegistry();
    const refusals = [
      registry.reset('market-data'),
      registry.forceOpen('market-data'),
      registry.disable('market-data'),
      registry.release('market-data'),
      registry.resetAll(),
      registry.configure('market-data', { failureThreshold: 9 }),
    ];
    for (const refusal of refusals) {
      const error = await refusal.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isRegistryClosedError(error)).toBe(true);
    }
  });

  it('still hands out and runs the breakers it has, and reports status', async () => {
    const { registry } = await closedRegistry();
    const breaker = registry.breaker('market-data');
    await callTimes(breaker, 2, succeed());
    expect(registry.status()).toMatchObject({ total: 1, healthy: 1 });
  });

  it('has closed its store: using it rejects with a StoreClosedError', async () => {
    const { store } = await closedRegistry();
    const error = await store.loadBreakers().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(isStoreClosedError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'BW_STORE_CLOSED', store: 'MemoryStore' });
    expect((error as Error).message).toBe('MemoryStore is closed');
  });

  it('closes once: a second close() does nothing', async () => {
    const { registry } = await closedRegistry();
    await expect(registry.close()).resolves.toBeUndefined();
  });
});
