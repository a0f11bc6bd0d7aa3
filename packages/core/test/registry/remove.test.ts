import { MemoryStore, Registry, type StoreErrorEvent } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail } from '../support/calls';

const ops = { id: 'ops', role: 'admin' };

/** A store that survives its registry: `close()` keeps the data, as a file would. */
class DurableMemoryStore extends MemoryStore {
  override async close(): Promise<void> {}
}

describe('Registry.remove', () => {
  it("stops relaying the removed breaker's events, whoever still holds it", async () => {
    const registry = new Registry({ clock: new FakeClock(), services: { db: {}, cache: {} } });
    const heard: string[] = [];
    registry.on('stateChange', (event) => heard.push(`${event.service}:${event.to}`));
    registry.on('failure', (event) => heard.push(`${event.service}:failure`));
    const held = registry.breaker('db');
    expect(registry.remove('db')).toBe(true);

    await callTimes(held, 5, fail());
    held.forceOpen();
    expect(held.state).toBe('forced-open');
    await callTimes(registry.breaker('cache'), 1, fail());
    expect(heard).toEqual(['cache:failure']);
  });

  it('drops its configuration override: a breaker of that name created later starts on its own options', async () => {
    const registry = new Registry({ clock: new FakeClock() });
    registry.breaker('db', { failureThreshold: 7 });
    await registry.configure('db', { failureThreshold: 2, resetTimeout: 1_000 }, ops);
    registry.remove('db');
    expect(registry.breaker('db', { failureThreshold: 7 }).options).toMatchObject({
      failureThreshold: 7,
      resetTimeout: 30_000,
    });
  });

  it('deletes its stored record and override, so a restart does not bring it back', async () => {
    const clock = new FakeClock();
    const store = new DurableMemoryStore();
    const first = await Registry.open({ store, clock });
    await callTimes(first.breaker('db'), 5, fail());
    await first.configure('db', { failureThreshold: 2 }, ops);
    await callTimes(first.breaker('cache'), 5, fail());
    await first.flush();
    expect((await store.loadBreakers()).map((record) => record.name).sort()).toEqual([
      'cache',
      'db',
    ]);

    first.remove('db');
    await first.flush();
    expect((await store.loadBreakers()).map((record) => record.name)).toEqual(['cache']);
    expect(await store.loadOverrides()).toEqual({});
    await first.close();

    const second = await Registry.open({ store, clock });
    expect(second.breaker('cache').state).toBe('open');
    expect(second.breaker('db').status()).toMatchObject({ state: 'closed', totalFailures: 0 });
    expect(second.breaker('db').options.failureThreshold).toBe(5);
  });

  it('drops a change not saved yet, rather than writing the removed breaker back', async () => {
    const store = new DurableMemoryStore();
    const registry = await Registry.open({ store, clock: new FakeClock() });
    await callTimes(registry.breaker('db'), 5, fail()); // the open record is queued, not written
    registry.remove('db');
    await registry.flush();
    expect(await store.loadBreakers()).toEqual([]);
  });

  it('reports a delete the store refuses as a storeError, naming the breaker', async () => {
    const store = new MemoryStore();
    const registry = await Registry.open({ store, clock: new FakeClock() });
    registry.breaker('db');
    const reported: StoreErrorEvent[] = [];
    registry.on('storeError', (event) => reported.push(event));
    await store.close();
    expect(registry.remove('db')).toBe(true);
    await registry.flush();
    expect(reported.map((event) => event.operation)).toEqual([
      'deleteBreaker(db)',
      'saveOverride(db, null)',
    ]);
  });
});
