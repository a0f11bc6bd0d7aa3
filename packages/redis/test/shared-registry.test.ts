import { type CircuitBreakerOptions, CircuitOpenError, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { RedisStore } from '@breakwater/redis';
import { afterEach, expect, it } from 'vitest';
import {
  deleteKeysWithPrefix,
  describeWithRedis,
  redisUrl,
  uniqueKeyPrefix,
} from '../../../tests/support/redis';
import { nextEvent } from './support';

const fail = () => Promise.reject(new Error('down'));
const succeed = () => Promise.resolve('ok');

interface Fleet {
  readonly clock: FakeClock;
  readonly prefix: string;
  /** One more instance of the fleet: its own store connection and registry. */
  instance(services?: Record<string, CircuitBreakerOptions>): Promise<Registry>;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function fleet(label: string): Fleet {
  const clock = new FakeClock(Date.now());
  const prefix = uniqueKeyPrefix(label);
  cleanups.push(() => deleteKeysWithPrefix(prefix));
  const defaults = {
    'market-data': { failureThreshold: 5, resetTimeout: 10_000, successThreshold: 2 },
  };
  return {
    clock,
    prefix,
    async instance(services = defaults) {
      const store = await RedisStore.connect({
        url: redisUrl,
        keyPrefix: prefix,
        flushInterval: 60_000,
      });
      const registry = await Registry.open({ store, shared: true, services, clock });
      cleanups.push(() => registry.close());
      return registry;
    },
  };
}

const next = nextEvent;

async function calls(registry: Registry, count: number, operation: () => Promise<string>) {
  for (let i = 0; i < count; i++) {
    await registry
      .breaker('market-data')
      .execute(operation)
      .catch(() => undefined);
  }
}

describeWithRedis('a shared registry', () => {
  it("rejects on every instance once one instance's breaker trips", async () => {
    const { instance } = fleet('trip');
    const [a, b] = [await instance(), await instance()];
    const seen = next(b, 'stateChange', (event) => event.to === 'open');
    await calls(a, 5, fail);
    expect(a.breaker('market-data').state).toBe('open');
    expect(await seen).toMatchObject({ service: 'market-data', reason: 'shared' });
    const rejection = await b
      .breaker('market-data')
      .execute(succeed)
      .catch((error) => error);
    expect(rejection).toBeInstanceOf(CircuitOpenError);
  });

  it('trips on the fleet’s failures when no instance has enough alone', async () => {
    const { instance } = fleet('aggregate');
    const [a, b] = [await instance(), await instance()];
    await calls(a, 3, fail);
    await calls(b, 3, fail);
    expect([a.breaker('market-data').state, b.breaker('market-data').state]).toEqual([
      'closed',
      'closed',
    ]);
    const opened = [a, b].map((r) => next(r, 'stateChange', (event) => event.to === 'open'));
    await a.flush();
    await b.flush();
    await Promise.all(opened);
    expect(b.breaker('market-data').state).toBe('open');
    expect(a.breaker('market-data').state).toBe('open');
  });

  it('does not trip when a success on another instance breaks the streak', async () => {
    const { instance } = fleet('streak');
    const [a, b] = [await instance(), await instance()];
    await calls(a, 3, fail);
    await a.flush();
    await calls(b, 1, succeed);
    await calls(b, 1, fail);
    await b.flush();
    await calls(a, 1, fail);
    await a.flush();
    expect(a.breaker('market-data').state).toBe('closed');
    expect(b.breaker('market-data').state).toBe('closed');
  });

  it('applies a manual action made through one instance everywhere, audited once', async () => {
    const { instance } = fleet('manual');
    const [a, b] = [await instance(), await instance()];
    const forced = next(b, 'stateChange', (event) => event.to === 'forced-open');
    await a.forceOpen('market-data', { id: 'alice', role: 'admin' });
    await forced;
    const released = next(a, 'stateChange', (event) => event.to === 'closed');
    await b.release('market-data', { id: 'bob', role: 'admin' });
    expect(await released).toMatchObject({ reason: 'shared' });
    expect(a.breaker('market-data').state).toBe('closed');
    const entries = await a.audit({ service: 'market-data' });
    expect(entries.map((entry) => [entry.action, entry.actor.id])).toEqual([
      ['release', 'bob'],
      ['force-open', 'alice'],
    ]);
  });

  it('applies a configuration change made through one instance everywhere', async () => {
    const { instance } = fleet('configure');
    const [a, b] = [await instance(), await instance()];
    const applied = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (b.breaker('market-data').options.failureThreshold === 2) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    await a.configure('market-data', { failureThreshold: 2 });
    await applied;
    const later = await instance();
    expect(later.breaker('market-data').options.failureThreshold).toBe(2);
  });

  it('takes up the shared state when an instance joins later', async () => {
    const { instance } = fleet('join');
    const a = await instance();
    await calls(a, 5, fail);
    await a.flush();
    const late = await instance();
    expect(late.breaker('market-data').state).toBe('open');
  });

  it('closes on trial successes made on different instances', async () => {
    const { instance, clock } = fleet('trials');
    const [a, b] = [await instance(), await instance()];
    const opened = next(b, 'stateChange', (event) => event.to === 'open');
    await calls(a, 5, fail);
    await opened;
    clock.advance(10_000);
    /** A successful trial: the first call fetches a permit (and is rejected), the second uses it. */
    const trialOn = async (registry: Registry) => {
      const first = await registry
        .breaker('market-data')
        .execute(succeed)
        .catch((e) => e);
      expect(first).toBeInstanceOf(CircuitOpenError);
      await registry.flush();
      expect(await registry.breaker('market-data').execute(succeed)).toBe('ok');
      await registry.flush();
    };
    await trialOn(a);
    expect(a.breaker('market-data').state).toBe('half-open');
    const closedOnA = next(a, 'stateChange', (event) => event.to === 'closed');
    await trialOn(b);
    expect(b.breaker('market-data').state).toBe('closed');
    expect(await closedOnA).toMatchObject({ from: 'half-open', reason: 'shared' });
  });

  it('runs at most halfOpenMaxCalls trials across the fleet', async () => {
    const { instance, clock } = fleet('permits');
    const [a, b] = [await instance(), await instance()];
    const opened = next(b, 'stateChange', (event) => event.to === 'open');
    await calls(a, 5, fail);
    await opened;
    clock.advance(10_000);
    // The first trial call of each instance finds no permit at hand and fetches one.
    const trial = () => new Promise<string>(() => {}); // held open: the permit stays taken
    const first = await Promise.all(
      [a, b].map((r) =>
        r
          .breaker('market-data')
          .execute(succeed)
          .catch((e) => e),
      ),
    );
    expect(first.every((outcome) => outcome instanceof CircuitOpenError)).toBe(true);
    await a.flush();
    await b.flush();
    const admitted = [a, b].map((r) => {
      let started = false;
      r.breaker('market-data')
        .execute(() => {
          started = true;
          return trial();
        })
        .catch(() => undefined);
      return started;
    });
    expect(admitted.filter(Boolean)).toHaveLength(1);
  });

  it('lists every instance of the fleet with what it reports of its breakers', async () => {
    const { instance } = fleet('reports');
    const [a, b] = [await instance(), await instance()];
    await calls(b, 2, succeed);
    await b.forceOpen('market-data');
    const heard = async () => {
      for (let tries = 0; tries < 300; tries++) {
        const reports = a.fleetInstances() ?? [];
        if (reports[1]?.breakers['market-data']?.state === 'forced-open') return reports;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return a.fleetInstances() ?? [];
    };
    const reports = await heard();
    expect(reports.map((report) => report.instance)).toEqual([
      a.sharingStatus()?.instance,
      b.sharingStatus()?.instance,
    ]);
    // Reported right after its transition, with the totals it counted itself.
    expect(reports[1]?.breakers['market-data']).toMatchObject({
      state: 'forced-open',
      totals: { successes: 2 },
    });
    expect(reports[0]?.breakers['market-data']?.totals.successes).toBe(0);
  });

  it('reports sharing in the status', async () => {
    const { instance } = fleet('status');
    const a = await instance();
    expect(a.status().sharing).toMatchObject({ mode: 'shared', reason: null });
  });
});
