import {
  type BreakerRecord,
  CircuitBreaker,
  MemoryStore,
  Registry,
  type StoreErrorEvent,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';

// Before durations were bounded, `resetTimeout: 9e15` could be configured
// and saved: its open record ends 285 000 years from now, past what a Date
// can hold, and reading the status threw a RangeError. Such records still
// sit in old stores; they must never make a status, a restore or a server
// start fail.

const longest = 2_147_483_647;

/** What an old version saved for a breaker opened with `resetTimeout: 9e15`. */
function oldOpenRecord(name: string, wallNow: number): BreakerRecord {
  return {
    name,
    version: 3,
    state: 'open',
    stateSince: wallNow - 1_000,
    openUntil: wallNow - 1_000 + 9e15,
    recoveryAttempts: 0,
    failedRecoveries: 0,
    lastRecoveryAttempt: null,
    lastFailureTime: 9.1e15,
    totals: { attempts: 5, successes: 0, failures: 5, ignored: 0, rejected: 0, timeouts: 0 },
  };
}

describe('a breaker holding values no Date can show', () => {
  it('answers status() with the open period shortened to the longest and the bad time as null', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('db', { clock });
    breaker.restore(oldOpenRecord('db', clock.now()));
    const status = breaker.status();
    expect(status).toMatchObject({
      state: 'open',
      recoveryIn: longest,
      openUntil: new Date(clock.now() + longest).toISOString(),
      lastFailure: null,
      totalFailures: 5,
    });
    expect(() => JSON.stringify(breaker.toRecord())).not.toThrow();
  });

  it('answers status() after adopting such a record too', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('db', { clock });
    breaker.adopt(oldOpenRecord('db', clock.now()));
    expect(breaker.status()).toMatchObject({ state: 'open', recoveryIn: longest });
  });
});

describe('Registry.open on an old store', () => {
  async function oldStore(clock: FakeClock): Promise<MemoryStore> {
    const store = new MemoryStore();
    // MemoryStore keeps what it is given: here, what an old version wrote.
    await store.saveOverride('db', { resetTimeout: 9e15, failureThreshold: 3 });
    await store.saveOverride('cache', { failureThreshold: 4 });
    await store.saveBreaker(oldOpenRecord('db', clock.now()));
    await store.saveBreaker({ ...oldOpenRecord('queue', clock.now()), recoveryAttempts: -1 });
    return store;
  }

  it('opens, reports each value it could not take up as written, and keeps everything else', async () => {
    const clock = new FakeClock();
    const store = await oldStore(clock);
    const services = { db: {}, cache: {}, queue: {} };
    const silenced = console.error;
    console.error = () => {};
    const opened = await Registry.open({ store, clock, services })
      .catch((error: unknown) => error)
      .finally(() => {
        console.error = silenced;
      });
    expect(opened).toBeInstanceOf(Registry);
    const fleet = opened as Registry;

    // The bad override is left out whole; the valid one applies.
    expect(fleet.breaker('db').options).toMatchObject({
      resetTimeout: 30_000,
      failureThreshold: 5,
    });
    expect(fleet.breaker('cache').options.failureThreshold).toBe(4);
    // The old open record is taken up, its period shortened to the longest.
    expect(fleet.breaker('db').status()).toMatchObject({ state: 'open', recoveryIn: longest });
    // The record a breaker refuses leaves that breaker as it was.
    expect(fleet.breaker('queue').state).toBe('closed');
    const status = fleet.status();
    expect(status.openCircuits).toEqual(['db']);
    expect(status.services.map((service) => service.service)).toEqual(['db', 'cache', 'queue']);
  });

  it('says which breaker or override and why, as storeError events or on the console', async () => {
    const clock = new FakeClock();
    const store = await oldStore(clock);
    const lines: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => lines.push(args);
    try {
      await Registry.open({ store, clock, services: { db: {}, cache: {}, queue: {} } });
    } finally {
      console.error = original;
    }
    const said = lines.map(([text, error]) => `${String(text)} ${(error as Error).message}`);
    expect(said).toEqual([
      expect.stringMatching(
        /^\[breakwater\] store: loadOverrides\(db\): Invalid option 'resetTimeout': 9000000000000000 \(expected a duration in milliseconds from 1 to 2147483647\)$/,
      ),
      expect.stringMatching(/restore\(db\).*'record\.lastFailureTime': 9100000000000000/),
      expect.stringMatching(/restore\(db\).*'record\.openUntil'.*at most 2147483647 ms from now/),
      expect.stringMatching(/restore\(queue\).*'record\.recoveryAttempts': -1/),
    ]);
  });

  it('reports a record that arrives before its breaker when the breaker is created', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    await store.saveBreaker({ ...oldOpenRecord('late', clock.now()), totals: null as never });
    const registry = await Registry.open({ store, clock });
    const reported: StoreErrorEvent[] = [];
    registry.on('storeError', (event) => reported.push(event));
    const breaker = registry.breaker('late');
    expect(breaker.state).toBe('closed');
    expect(registry.breaker('late')).toBe(breaker);
    expect(reported).toMatchObject([{ operation: 'restore(late)' }]);
    expect(reported[0]?.error).toMatchObject({ option: 'record.totals' });
  });
});
