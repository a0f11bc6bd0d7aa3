import { MemoryStore, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, succeed } from '../support/calls';

const services = {
  'market-data': { preset: 'market-data' },
  'contest-evaluation': { preset: 'contest-evaluation', dependsOn: ['market-data'] },
};

/** A store that survives its registry: `close()` keeps the data, as a file would. */
class DurableMemoryStore extends MemoryStore {
  override async close(): Promise<void> {}
}

describe('Registry.open with a store', () => {
  it('restores an open circuit for the rest of its period, reapplies overrides and keeps the audit log', async () => {
    const clock = new FakeClock();
    const store = new DurableMemoryStore();
    const first = await Registry.open({ store, services, clock });
    await callTimes(first.breaker('market-data'), 3, fail());
    await first.configure(
      'contest-evaluation',
      { failureThreshold: 4 },
      { id: 'ops', role: 'admin' },
    );
    clock.advance(10_000);
    await first.close();

    clock.advance(5_000); // down for 5 s
    const second = await Registry.open({ store, services, clock });
    const market = second.breaker('market-data');
    expect(market.status()).toMatchObject({ state: 'open', recoveryIn: 15_000, totalFailures: 3 });
    expect(second.breaker('contest-evaluation').options.failureThreshold).toBe(4);
    expect(await second.audit()).toMatchObject([
      { action: 'configure', target: 'contest-evaluation', actor: { id: 'ops' } },
    ]);
    clock.advance(15_000);
    await callTimes(market, 1, succeed()); // the trial: one success closes a DegenDuel preset
    expect(market.state).toBe('closed');
  });

  it('writes a record per transition behind the call, versions increasing', async () => {
    const clock = new FakeClock();
    const store = new DurableMemoryStore();
    const registry = await Registry.open({ store, services, clock });
    await callTimes(registry.breaker('market-data'), 3, fail());
    await registry.flush();
    const [first] = await store.loadBreakers();
    clock.advance(30_000);
    await callTimes(registry.breaker('market-data'), 1, succeed());
    await registry.flush();
    const [second] = await store.loadBreakers();
    expect(first).toMatchObject({ name: 'market-data', state: 'open', version: 1 });
    // open → half-open → closed: the successful trial made two transitions.
    expect(second).toMatchObject({ name: 'market-data', state: 'closed', version: 3 });
  });

  it('restores a breaker created later by name from its saved record', async () => {
    const clock = new FakeClock();
    const store = new DurableMemoryStore();
    const first = await Registry.open({ store, clock });
    await callTimes(first.breaker('adhoc', { failureThreshold: 1 }), 1, fail());
    await first.close();
    const second = await Registry.open({ store, clock });
    expect(second.list()).toEqual([]);
    expect(second.breaker('adhoc', { failureThreshold: 1 }).state).toBe('open');
  });

  it('reports a failing store on storeError and never fails the call', async () => {
    const clock = new FakeClock();
    const store = new DurableMemoryStore();
    store.saveBreaker = () => Promise.reject(new Error('disk full'));
    const registry = await Registry.open({ store, services, clock });
    const errors: unknown[] = [];
    registry.on('storeError', (event) => errors.push(event.error));
    const outcomes = await callTimes(registry.breaker('market-data'), 3, fail('upstream'));
    await registry.flush();
    expect(outcomes.map((error) => (error as Error).message)).toEqual([
      'upstream',
      'upstream',
      'upstream',
    ]);
    expect(errors).toEqual([new Error('disk full')]);
  });
});

describe('Registry.checkpoint and close', () => {
  it('save every breaker’s totals, not only those that changed state', async () => {
    const clock = new FakeClock();
    const store = new DurableMemoryStore();
    const first = await Registry.open({ store, services, clock });
    await callTimes(first.breaker('contest-evaluation'), 4, succeed());
    await first.close();
    const second = await Registry.open({ store, services, clock });
    expect(second.breaker('contest-evaluation').status()).toMatchObject({
      state: 'closed',
      totalSuccesses: 4,
    });
  });
});
