import {
  type BreakerRecord,
  isStoreUnavailableError,
  MemoryStore,
  type NewAuditEntry,
  type PersistableOptions,
  Registry,
  StoreUnavailableError,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, outcome } from '../support/calls';

type Write = 'saveBreaker' | 'saveOverride' | 'appendAudit';

/**
 * A store that outlives its registry (as a file would) and refuses the
 * writes named in `refusing`, as a full disk refuses them: the write is not
 * kept, and the promise rejects with a StoreUnavailableError.
 */
class RefusingStore extends MemoryStore {
  readonly refusing = new Set<Write>();

  override async close(): Promise<void> {}

  override saveBreaker(record: BreakerRecord): Promise<void> {
    return this.refusing.has('saveBreaker') ? this.#refuse() : super.saveBreaker(record);
  }

  override saveOverride(service: string, options: PersistableOptions | null): Promise<void> {
    return this.refusing.has('saveOverride')
      ? this.#refuse()
      : super.saveOverride(service, options);
  }

  override appendAudit(entry: NewAuditEntry) {
    return this.refusing.has('appendAudit') ? this.#refuse() : super.appendAudit(entry);
  }

  #refuse(): Promise<never> {
    return Promise.reject(new StoreUnavailableError("LocalStore 'state.db'", 'the disk is full'));
  }
}

const services = { payments: { failureThreshold: 2 }, checkout: { failureThreshold: 2 } };
const alice = { id: 'alice', role: 'admin' };

async function openOn(store: RefusingStore, clock = new FakeClock()) {
  const registry = await Registry.open({ store, services, clock });
  const announced: string[] = [];
  registry.on('manualAction', (event) => announced.push(`${event.action} ${event.service}`));
  registry.on('configChange', (event) => announced.push(`configure ${event.service}`));
  const storeErrors: unknown[] = [];
  registry.on('storeError', (event) => storeErrors.push(event.error));
  return { registry, announced, storeErrors };
}

/** The registry after a restart on the same store: what the store kept. */
async function restarted(registry: Registry, store: RefusingStore) {
  await registry.close();
  store.refusing.clear();
  return Registry.open({ store, services, clock: new FakeClock() });
}

describe('a manual action the store does not take', () => {
  for (const refused of ['appendAudit', 'saveBreaker'] as const) {
    it(`rejects with the store's error when ${refused} fails, and leaves the breaker, the events and the store as they were`, async () => {
      const store = new RefusingStore();
      const { registry, announced } = await openOn(store);
      store.refusing.add(refused);

      const error = await outcome(registry.forceOpen('payments', alice));

      expect(isStoreUnavailableError(error)).toBe(true);
      expect(registry.breaker('payments').state).toBe('closed');
      expect(announced).toEqual([]);
      const again = await restarted(registry, store);
      expect(again.breaker('payments').state).toBe('closed');
      expect(await again.audit()).toEqual([]);
    });
  }

  it('is acknowledged only once its record is stored: after it resolves, the store holds the new state', async () => {
    const store = new RefusingStore();
    const { registry } = await openOn(store);
    await registry.forceOpen('payments', alice);
    expect(await store.loadBreakers()).toMatchObject([{ name: 'payments', state: 'forced-open' }]);
    expect(await store.queryAudit()).toMatchObject([{ action: 'force-open', outcome: 'ok' }]);
  });

  it('keeps an open circuit open, with its open period, when a reset is refused', async () => {
    const clock = new FakeClock();
    const store = new RefusingStore();
    const { registry } = await openOn(store, clock);
    await callTimes(registry.breaker('payments'), 2, fail());
    clock.advance(10_000);
    const remaining = registry.breaker('payments').status().recoveryIn;
    store.refusing.add('appendAudit');

    await expect(registry.reset('payments', alice)).rejects.toThrow(/the disk is full/);

    expect(registry.breaker('payments').status()).toMatchObject({
      state: 'open',
      recoveryIn: remaining,
    });
  });

  it('undoes every reset of a refused reset-all', async () => {
    const store = new RefusingStore();
    const { registry, announced } = await openOn(store);
    await registry.forceOpen('payments', alice);
    await registry.disable('checkout', alice);
    store.refusing.add('appendAudit');

    await expect(registry.resetAll(alice)).rejects.toThrow(/the disk is full/);

    expect(registry.openCircuits()).toEqual(['payments']);
    expect(registry.breaker('checkout').state).toBe('disabled');
    expect(announced).toEqual(['force-open payments', 'disable checkout']);
    const again = await restarted(registry, store);
    expect([again.breaker('payments').state, again.breaker('checkout').state]).toEqual([
      'forced-open',
      'disabled',
    ]);
    expect((await again.audit()).map((entry) => entry.action)).toEqual(['disable', 'force-open']);
  });
});

describe('a configuration change the store does not take', () => {
  for (const refused of ['appendAudit', 'saveOverride'] as const) {
    it(`rejects when ${refused} fails, and the breaker, the events and the store keep the options they had`, async () => {
      const store = new RefusingStore();
      const { registry, announced } = await openOn(store);
      await registry.configure('payments', { failureThreshold: 4 }, alice);
      store.refusing.add(refused);

      const error = await outcome(registry.configure('payments', { failureThreshold: 9 }, alice));

      expect(isStoreUnavailableError(error)).toBe(true);
      expect(registry.breaker('payments').options.failureThreshold).toBe(4);
      expect(announced).toEqual(['configure payments']);
      await registry.flush();
      expect(await store.loadOverrides()).toEqual({ payments: { failureThreshold: 4 } });
      const again = await restarted(registry, store);
      expect(again.breaker('payments').options.failureThreshold).toBe(4);
      expect((await again.audit()).map((entry) => entry.after)).toMatchObject([
        { failureThreshold: 4 },
      ]);
    });
  }
});
