import { randomUUID } from 'node:crypto';
import { type CircuitBreakerOptions, CircuitOpenError, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { RedisStore, type RedisStoreOptions, redisKeys } from '@breakwater/redis';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent as next } from '../../packages/redis/test/support';
import { breakerRecord, describeStoreContract, type StoreSettings } from '../store/store-contract';
import {
  describeWithRedisCluster,
  type PrivateCluster,
  startPrivateCluster,
} from '../support/redis-cluster';
import { type Fleet, startFleet } from './support/fleet';

// Shared mode on a real Redis Cluster: 3 masters with a replica each, private
// to this file, reached through `RedisStore.connect({ cluster })` (ioredis'
// Cluster client). The outage case runs last: it fails a master over.

let cluster: PrivateCluster;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function prefix(label: string): string {
  return `bw-cluster:${label}:${randomUUID()}:`;
}

async function connect(keyPrefix: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
  const store = await RedisStore.connect({ cluster: cluster.seeds, keyPrefix, ...options });
  cleanups.push(() => store.close());
  return store;
}

/** One more instance of a fleet: its own Cluster connections and registry. */
async function instance(
  keyPrefix: string,
  services: Record<string, CircuitBreakerOptions>,
  clock?: FakeClock,
): Promise<Registry> {
  const store = await connect(keyPrefix, { flushInterval: 60_000 });
  const registry = await Registry.open({ store, shared: true, services, clock });
  cleanups.push(() => registry.close());
  return registry;
}

/** The master port serving each name's breaker key. */
async function mastersOf(keyPrefix: string, names: readonly string[]): Promise<number[]> {
  const keys = redisKeys(keyPrefix);
  return Promise.all(
    names.map(async (name) => cluster.masterOf(await cluster.keySlot(keys.breaker(name)))),
  );
}

/** One breaker name per master: `service-N` for the first N that lands on each. */
async function namesOnEveryMaster(keyPrefix: string): Promise<string[]> {
  const chosen = new Map<number, string>();
  for (let n = 0; chosen.size < 3; n++) {
    const name = `service-${n}`;
    const [master] = await mastersOf(keyPrefix, [name]);
    if (master !== undefined && !chosen.has(master)) chosen.set(master, name);
  }
  return [...chosen.values()];
}

const fail = () => Promise.reject(new Error('down'));
const succeed = () => Promise.resolve('ok');

async function calls(registry: Registry, name: string, count: number, fn: () => Promise<string>) {
  for (let i = 0; i < count; i++) {
    await registry
      .breaker(name)
      .execute(fn)
      .catch((error: unknown) => {
        // A call fails with its own error or is rejected by its breaker, never because of Redis.
        if (!(error instanceof CircuitOpenError) && (error as Error).message !== 'down')
          throw error;
      });
  }
}

/** Every key of one node matching `pattern`: SCAN sees one node only, so a Cluster is scanned master by master. */
async function scanAll(node: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** Polls `check` every 50 ms until it holds, for at most `within` ms. */
async function eventually(what: string, check: () => boolean, within = 15_000): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > within) throw new Error(`waited ${within} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

describeWithRedisCluster('RedisStore on a 3-master Redis Cluster', () => {
  beforeAll(async () => {
    cluster = await startPrivateCluster({ masters: 3, replicas: 1 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  describeStoreContract(
    'the StateStore contract on Cluster',
    async (settings?: StoreSettings) => {
      const keyPrefix = prefix('contract');
      let current = await RedisStore.connect({ cluster: cluster.seeds, keyPrefix, ...settings });
      return {
        store: current,
        reopen: async (again = settings) => {
          current = await RedisStore.connect({ cluster: cluster.seeds, keyPrefix, ...again });
          return current;
        },
        // The cluster is this file's own and is thrown away: nothing to delete.
        cleanup: () => current.close(),
      };
    },
    { persistent: true },
  );

  describe('key layout', () => {
    it("keeps each breaker's keys in one slot, the audit log's in another, while breakers spread over every master", async () => {
      const keyPrefix = prefix('layout');
      const keys = redisKeys(keyPrefix);
      const names = await namesOnEveryMaster(keyPrefix);
      expect(new Set(await mastersOf(keyPrefix, names)).size).toBe(3);
      for (const name of [...names, 'odd {name}: with % and }']) {
        const slots = new Set(
          await Promise.all(
            [keys.breaker(name), keys.window(name), keys.permits(name), keys.events(name)].map(
              (key) => cluster.keySlot(key),
            ),
          ),
        );
        expect(slots.size).toBe(1);
      }
      const audit = [keys.auditSequence, keys.auditLog, keys.auditTimes];
      expect(new Set(await Promise.all(audit.map((key) => cluster.keySlot(key)))).size).toBe(1);
    });

    it('loads breakers saved on every master, and lists the keys of every master with SCAN on each', async () => {
      const keyPrefix = prefix('load');
      const store = await connect(keyPrefix);
      const names = await namesOnEveryMaster(keyPrefix);
      for (const name of names) await store.saveBreaker(breakerRecord(name, 1));
      const loaded = await store.loadBreakers();
      expect(loaded.map((each) => each.name).sort()).toEqual([...names].sort());

      const client = store.redis as Cluster;
      const perMaster = await Promise.all(
        client.nodes('master').map((node) => scanAll(node, `${keyPrefix}breaker:*`)),
      );
      expect(perMaster.map((found) => found.length)).toEqual([1, 1, 1]);
    });
  });

  describe('shared mode', () => {
    it('rejects on all three instances (processes) once one of them trips', async () => {
      const service = 'market-data';
      const fleet: Fleet = await startFleet(3, {
        cluster: cluster.seeds,
        keyPrefix: prefix('fleet-trip'),
        services: { [service]: { failureThreshold: 4, resetTimeout: 10_000 } },
      });
      cleanups.push(() => fleet.close());
      await Promise.all(fleet.workers.map((worker) => worker.send({ cmd: 'watch' })));
      const others = fleet.workers.slice(1);
      const seen = others.map((other) => other.nextStateChange((change) => change.to === 'open'));
      const trip = await fleet
        .worker(0)
        .send({ cmd: 'calls', service, count: 4, outcome: 'failure' });
      expect(trip).toMatchObject({ failed: 4, state: 'open' });
      for (const change of await Promise.all(seen)) {
        expect(change).toMatchObject({ service, from: 'closed', to: 'open', reason: 'shared' });
      }
      const after = await Promise.all(
        fleet.workers.map((worker) =>
          worker.send({ cmd: 'calls', service, count: 1, outcome: 'success' }),
        ),
      );
      expect(after.map(({ rejected, state }) => [rejected, state])).toEqual([
        [1, 'open'],
        [1, 'open'],
        [1, 'open'],
      ]);
    });

    it('trips breakers on all three masters on the fleet’s counts when no instance has enough alone', async () => {
      const keyPrefix = prefix('aggregate');
      const names = await namesOnEveryMaster(keyPrefix);
      const services = Object.fromEntries(
        names.map((name) => [name, { failureThreshold: 6, resetTimeout: 10_000 }]),
      );
      const fleet = [
        await instance(keyPrefix, services),
        await instance(keyPrefix, services),
        await instance(keyPrefix, services),
      ];
      for (const registry of fleet) for (const name of names) await calls(registry, name, 2, fail);
      const opened = fleet.flatMap((registry) =>
        names.map((name) =>
          next(registry, 'stateChange', (e) => e.service === name && e.to === 'open'),
        ),
      );
      await fleet[0]?.flush();
      await fleet[1]?.flush();
      const stillClosed = fleet.flatMap((registry) =>
        names.map((name) => registry.breaker(name).state),
      );
      expect(stillClosed.every((state) => state === 'closed')).toBe(true);
      // The third instance's flush sends its counts of all three breakers, one to each master.
      await fleet[2]?.flush();
      await Promise.all(opened);
      for (const registry of fleet) {
        for (const name of names) expect(registry.breaker(name).state).toBe('open');
      }
    });

    it('admits exactly halfOpenMaxCalls trials across three instances', async () => {
      const keyPrefix = prefix('permits');
      const clock = new FakeClock(Date.now());
      const name = 'payments';
      const services = {
        [name]: {
          failureThreshold: 2,
          resetTimeout: 10_000,
          halfOpenMaxCalls: 2,
          successThreshold: 3,
        },
      };
      const fleet = [
        await instance(keyPrefix, services, clock),
        await instance(keyPrefix, services, clock),
        await instance(keyPrefix, services, clock),
      ];
      const opened = fleet.slice(1).map((r) => next(r, 'stateChange', (e) => e.to === 'open'));
      await calls(fleet[0] as Registry, name, 2, fail);
      await Promise.all(opened);
      clock.advance(10_000);
      // Rounds of every instance trying at once, fetching permits between rounds;
      // admitted trials never finish, so each admission holds its permit.
      let admitted = 0;
      for (let round = 0; round < 3; round++) {
        for (const registry of fleet) {
          registry
            .breaker(name)
            .execute(() => {
              admitted++;
              return new Promise<string>(() => {});
            })
            .catch(() => undefined);
        }
        expect(admitted).toBeLessThanOrEqual(2);
        await Promise.all(fleet.map((registry) => registry.flush()));
      }
      expect(admitted).toBe(2);
    });
  });

  describe('a master fails', () => {
    it('reads degraded with the reason while its slots are down, calls go on, and shares again once its replica took over', async () => {
      const keyPrefix = prefix('failover');
      const [name] = await namesOnEveryMaster(keyPrefix);
      if (name === undefined) throw new Error('no breaker name found');
      const [master] = await mastersOf(keyPrefix, [name]);
      const services = { [name]: { failureThreshold: 3, resetTimeout: 60_000 } };
      const open = async () => {
        const store = await connect(keyPrefix, { flushInterval: 100 });
        const registry = await Registry.open({ store, shared: true, services });
        cleanups.push(() => registry.close());
        return registry;
      };
      const [a, b] = [await open(), await open()];

      await cluster.kill(master as number);
      // Calls made meanwhile: answered by the breaker alone, never failed by Redis.
      await calls(a, name, 1, fail);
      await calls(b, name, 1, succeed);
      for (const registry of [a, b]) {
        await eventually(
          'sharing to read degraded',
          () => registry.sharingStatus()?.mode === 'degraded',
        );
        expect(registry.sharingStatus()?.reason).toMatch(/Redis|node|cluster/i);
      }

      await cluster.whenHealthy({ replicas: false });
      const promoted = await cluster.masterOf(
        await cluster.keySlot(redisKeys(keyPrefix).breaker(name)),
      );
      expect(promoted).not.toBe(master);
      const took = await eventually('sharing to read shared again', () =>
        [a, b].every((registry) => registry.sharingStatus()?.mode === 'shared'),
      );
      console.info(`shared again ${took.toFixed(0)} ms after the cluster served every slot`);

      // Shared on the promoted replica: a trip on one instance reaches the other.
      const seen = next(b, 'stateChange', (e) => e.service === name && e.to === 'open');
      await calls(a, name, 3, fail);
      expect(await seen).toMatchObject({ reason: 'shared' });
      expect(b.breaker(name).state).toBe('open');

      // The failed node comes back as a replica; sharing is not disturbed.
      await cluster.restart(master as number);
      await cluster.whenHealthy();
      expect(a.sharingStatus()?.mode).toBe('shared');
    }, 45_000);
  });
});
