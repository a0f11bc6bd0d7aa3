import { CircuitOpenError, Registry, type RegistryEvents } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { RedisStore, type RedisStoreOptions } from '@breakwater/redis';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import {
  describeWithRedisServer,
  type PrivateRedis,
  startPrivateRedis,
} from '../../../tests/support/redis-server';
import { startTcpProxy } from '../../../tests/support/tcp-proxy';
import { recordTemplate } from '../src/shared/fleet-message';
import { defineFleetScripts } from '../src/shared/fleet-scripts';
import { listenersOn, nextEvent } from './support';

// What a shared registry promises when Redis is down or slow: no call fails,
// blocks or slows because of it; each instance goes on alone on local
// evidence and says so (`sharingChange`, `status().sharing`); and when Redis
// returns the instances reconcile. Every test runs its own redis-server
// (without persistence), so killing and restarting it touches nobody else.

const services = {
  'market-data': { failureThreshold: 5, resetTimeout: 10_000, successThreshold: 2 },
  payments: { failureThreshold: 5, resetTimeout: 10_000 },
};
type Service = keyof typeof services;

const boom = new Error('the operation failed');
const succeed = () => Promise.resolve('ok');
const fail = () => Promise.reject(boom);
const alice = { id: 'alice', role: 'admin' };
const bob = { id: 'bob', role: 'admin' };

interface Instance {
  readonly store: RedisStore;
  readonly registry: Registry;
}

let server: PrivateRedis;
let clock: FakeClock;
const cleanups: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  server = await startPrivateRedis();
  clock = new FakeClock(Date.now());
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await server.stop();
});

/** One instance of the fleet: its own store connections and registry on the private server. */
async function instance(options: RedisStoreOptions = {}): Promise<Instance> {
  const store = await RedisStore.connect({
    url: server.url,
    keyPrefix: 'bw-outage:',
    // Also how often a degraded instance tries Redis again.
    flushInterval: 50,
    commandTimeout: 250,
    connectTimeout: 500,
    ...options,
  });
  const registry = await Registry.open({ store, shared: true, services, clock });
  cleanups.push(() => registry.close());
  return { store, registry };
}

/** Resolves with the next event of `type` on `instance` that `match` accepts. */
function next<K extends keyof RegistryEvents>(
  { registry }: Instance,
  type: K,
  match?: (event: RegistryEvents[K]) => boolean,
): Promise<RegistryEvents[K]> {
  return nextEvent(registry, type, match);
}

const sharingMode = (mode: 'shared' | 'degraded') => (event: RegistryEvents['sharingChange']) =>
  event.status.mode === mode;

const opened = (service: Service) => (event: RegistryEvents['stateChange']) =>
  event.service === service && event.to === 'open';

interface Outcome {
  readonly value?: string;
  readonly error?: unknown;
  /** The call had not settled when the macrotask after its operation's ran. */
  readonly late: boolean;
}

/**
 * One call whose operation settles at once; the call must settle in the same
 * macrotask turn (before a `setImmediate`), so nothing it did awaited Redis.
 */
async function promptCall(
  { registry }: Instance,
  service: Service,
  operation: () => Promise<string>,
): Promise<Outcome> {
  const call = registry
    .breaker(service)
    .execute(operation)
    .then(
      (value) => ({ value, late: false }),
      (error: unknown) => ({ error, late: false }),
    );
  const later = new Promise<Outcome>((resolve) => setImmediate(() => resolve({ late: true })));
  return Promise.race([call, later]);
}

async function promptCalls(
  at: Instance,
  service: Service,
  count: number,
  operation: () => Promise<string> = fail,
) {
  const outcomes: Outcome[] = [];
  for (let i = 0; i < count; i++) outcomes.push(await promptCall(at, service, operation));
  return outcomes;
}

/** Whether each outcome is the operation's own: its value, or its own error. */
function ownOutcomes(outcomes: readonly Outcome[]) {
  return outcomes.filter((o) => !o.late && (o.value === 'ok' || o.error === boom)).length;
}

/** Resolves true once `promise` settles; lets a loop poll it. */
function watch(promise: Promise<unknown>): { readonly done: boolean } {
  const state = { done: false };
  void promise.then(() => {
    state.done = true;
  });
  return state;
}

const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/** Mixed traffic on every instance (never 5 failures in a row) until `until` or `maxRounds`. */
async function traffic(
  fleet: readonly Instance[],
  rounds: { readonly min: number; readonly max: number; readonly until: () => boolean },
  onRound: (round: number) => void = () => {},
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let round = 0; round < rounds.max && (round < rounds.min || !rounds.until()); round++) {
    onRound(round);
    for (const at of fleet) {
      outcomes.push(await promptCall(at, 'market-data', round % 3 === 0 ? fail : succeed));
    }
    await turn();
  }
  return outcomes;
}

describeWithRedisServer('a shared registry when Redis fails', () => {
  vi.setConfig({ testTimeout: 10_000 });
  it('keeps every call prompt and its own through a crash, and reports degraded on each instance', async () => {
    const fleet = [
      await instance({ flushInterval: 10, flushBatchSize: 1 }),
      await instance({ flushInterval: 10, flushBatchSize: 1 }),
    ];
    const degraded = fleet.map((at) => next(at, 'sharingChange', sharingMode('degraded')));
    const allDegraded = watch(Promise.all(degraded));
    let killed: Promise<void> | undefined;
    const outcomes = await traffic(
      fleet,
      { min: 60, max: 5_000, until: () => allDegraded.done },
      (round) => {
        if (round === 30) killed = server.kill();
      },
    );
    await killed;
    expect(ownOutcomes(outcomes)).toBe(outcomes.length);
    for (const [index, event] of (await Promise.all(degraded)).entries()) {
      expect(event.status).toMatchObject({ mode: 'degraded', instance: expect.any(String) });
      expect(event.status.reason).toEqual(expect.any(String));
      expect(fleet[index]?.registry.status().sharing?.mode).toBe('degraded');
      expect(fleet[index]?.registry.sharingStatus()).toMatchObject({
        mode: 'degraded',
        instance: event.status.instance,
      });
    }
    // And calls go on while it stays down.
    const after = await traffic(fleet, { min: 30, max: 30, until: () => true });
    expect(ownOutcomes(after)).toBe(after.length);
  });

  it('trips on local evidence while degraded, without waiting for Redis', async () => {
    const [a, b] = [await instance(), await instance()] as const;
    const degraded = next(a, 'sharingChange', sharingMode('degraded'));
    await server.kill();
    await degraded;
    const outcomes = await promptCalls(a, 'market-data', 5);
    expect(ownOutcomes(outcomes)).toBe(5);
    expect(a.registry.breaker('market-data').state).toBe('open');
    const rejected = await promptCall(a, 'market-data', succeed);
    expect(rejected.late).toBe(false);
    expect(rejected.error).toBeInstanceOf(CircuitOpenError);
    // Nothing reached the other instance.
    expect(b.registry.breaker('market-data').state).toBe('closed');
  });

  it('reconciles after an empty restart: re-seeds an unexpired open and merges the counts kept meanwhile', async () => {
    const [a, b] = [await instance(), await instance()] as const;
    // Some shared history first, so the restarted Redis starts its versions below the known ones.
    const released = next(b, 'stateChange', (event) => event.to === 'closed');
    await a.registry.forceOpen('market-data', alice);
    await a.registry.release('market-data', alice);
    await released;

    const degraded = [a, b].map((at) => next(at, 'sharingChange', sharingMode('degraded')));
    await server.kill();
    await Promise.all(degraded);
    await promptCalls(a, 'market-data', 5);
    expect(a.registry.breaker('market-data').state).toBe('open');
    // Three failures on each instance: not enough alone, enough for the fleet.
    await promptCalls(a, 'payments', 3);
    await promptCalls(b, 'payments', 3);
    expect(a.registry.breaker('payments').state).toBe('closed');
    expect(b.registry.breaker('payments').state).toBe('closed');

    const shared = [a, b].map((at) => next(at, 'sharingChange', sharingMode('shared')));
    const takenUp = next(b, 'stateChange', opened('market-data'));
    const fleetTrips = [a, b].map((at) => next(at, 'stateChange', opened('payments')));
    await server.restart();
    await Promise.all(shared);
    await takenUp;
    await Promise.all(fleetTrips);
    for (const { registry } of [a, b]) {
      expect(registry.sharingStatus()).toMatchObject({ mode: 'shared', reason: null });
    }
    const openUntil = a.registry.breaker('market-data').toRecord().openUntil;
    expect(openUntil).toBe(clock.now() + 10_000);
    expect(b.registry.breaker('market-data').toRecord().openUntil).toBe(openUntil);
    expect(b.registry.breaker('payments').state).toBe('open');
    expect(a.registry.breaker('payments').state).toBe('open');
  });

  it('goes on hearing the fleet’s reports after an empty restart', async () => {
    const [a, b] = [await instance(), await instance()] as const;
    const { reportsChannel } = a.store.keys;
    a.registry.fleetInstances(); // a shows the fleet: it reads the reports
    await a.registry.flush();
    const shared = [a, b].map((at) => next(at, 'sharingChange', sharingMode('shared')));
    const degraded = [a, b].map((at) => next(at, 'sharingChange', sharingMode('degraded')));
    await server.kill();
    await Promise.all(degraded);
    await server.restart();
    await Promise.all(shared);
    // Still listening after the restart, and asking: b reports to it.
    const admin = new Redis(server.url);
    cleanups.push(() => admin.quit());
    await vi.waitFor(async () => expect(await listenersOn(admin, reportsChannel)).toBe(1), {
      timeout: 5_000,
    });
    // b's demand from before the outage runs out: only a's asking again keeps b reporting.
    clock.advance(3_000);
    await b.registry.forceOpen('payments', alice);
    await vi.waitFor(
      () => {
        const heard = a.registry.fleetInstances() ?? [];
        expect(heard[1]?.breakers.payments?.state).toBe('forced-open');
      },
      { timeout: 5_000 },
    );
  });

  it('lets an unexpired shared open win over a close made by an instance cut off meanwhile', async () => {
    const a = await instance();
    const proxy = await startTcpProxy(server.port);
    cleanups.push(() => proxy.close());
    const b = await instance({ url: proxy.url });
    const openOnB = next(b, 'stateChange', opened('market-data'));
    await promptCalls(a, 'market-data', 5);
    await openOnB;

    const cutOff = next(b, 'sharingChange', sharingMode('degraded'));
    await proxy.cut();
    await cutOff;
    clock.advance(10_000);
    // A's trial fails: the fleet reopens for twice as long.
    const trialA = a.registry.breaker('market-data');
    expect((await promptCall(a, 'market-data', fail)).error).toBeInstanceOf(CircuitOpenError);
    await a.registry.flush(); // the permit fetched by the rejected call
    const reopened = next(a, 'stateChange', (event) => event.to === 'open');
    await promptCall(a, 'market-data', fail);
    await reopened;
    await a.registry.flush();
    const sharedUntil = trialA.toRecord().openUntil;
    expect(sharedUntil).toBe(clock.now() + 20_000);
    // B, alone, runs its own trials and closes.
    await promptCalls(b, 'market-data', 2, succeed);
    expect(b.registry.breaker('market-data').state).toBe('closed');

    const back = next(b, 'sharingChange', sharingMode('shared'));
    const takenUp = next(b, 'stateChange', opened('market-data'));
    await proxy.mend();
    await back;
    await takenUp;
    await b.registry.flush();
    expect(b.registry.breaker('market-data').toRecord().openUntil).toBe(sharedUntil);
    expect(trialA.state).toBe('open');
    expect(trialA.toRecord().openUntil).toBe(sharedUntil);
  });

  it('refuses a non-manual close while the shared open period runs, and takes a manual one', async () => {
    const client = new Redis(server.url);
    cleanups.push(() => client.quit());
    const scripts = defineFleetScripts(client);
    const now = clock.now();
    const open = {
      name: 'market-data',
      version: 0,
      state: 'open' as const,
      stateSince: now,
      openUntil: now + 10_000,
      recoveryAttempts: 0,
      failedRecoveries: 0,
      lastRecoveryAttempt: null,
      lastFailureTime: now,
      totals: { attempts: 5, successes: 0, failures: 5, ignored: 0, rejected: 0, timeouts: 0 },
    };
    const closed = { ...open, state: 'closed' as const, stateSince: now + 1, openUntil: null };
    const send = (record: typeof open | typeof closed, manual: boolean, at: number) =>
      scripts.breakwaterTransition(
        'bw:breaker:{market-data}',
        'bw:window:{market-data}',
        recordTemplate(record),
        record.state,
        String(record.stateSince),
        manual ? '1' : '0',
        String(at),
        'bw:fleet',
        'test',
      );
    expect((await send(open, false, now))[0]).toBe(1);
    const refused = await send(closed, false, now + 1);
    expect(refused[0]).toBe(0);
    expect(JSON.parse(refused[2] ?? '{}')).toMatchObject({
      state: 'open',
      openUntil: now + 10_000,
    });
    const manual = await send(closed, true, now + 1);
    expect(manual.slice(0, 2)).toEqual([1, 2]);
    expect(JSON.parse(manual[2] ?? '{}')).toMatchObject({ state: 'closed', version: 2 });
    // Once the period has ended, a non-manual close is taken too.
    await send({ ...open, stateSince: now + 2, openUntil: now + 10 }, false, now + 2);
    const late = { ...closed, stateSince: now + 20 };
    expect((await send(late, false, now + 20))[0]).toBe(1);
  });

  it('keeps calls prompt while Redis is paused, degrades on command timeouts and recovers', async () => {
    const options = { commandTimeout: 50, flushInterval: 20, flushBatchSize: 1 };
    const fleet = [await instance(options), await instance(options)];
    const admin = new Redis(server.url);
    cleanups.push(() => admin.quit());
    const degraded = fleet.map((at) => next(at, 'sharingChange', sharingMode('degraded')));
    const recovered = fleet.map(async (at) => {
      await next(at, 'sharingChange', sharingMode('degraded'));
      return next(at, 'sharingChange', sharingMode('shared'));
    });
    const allRecovered = watch(Promise.all(recovered));
    await admin.call('CLIENT', 'PAUSE', '500', 'ALL');
    const outcomes = await traffic(fleet, { min: 10, max: 20_000, until: () => allRecovered.done });
    expect(ownOutcomes(outcomes)).toBe(outcomes.length);
    for (const event of await Promise.all(degraded)) {
      expect(event.status.reason).toMatch(/timed out/i);
    }
    await Promise.all(recovered);
    for (const { registry } of fleet) {
      expect(registry.sharingStatus()?.mode).toBe('shared');
      await registry.flush();
    }
    // Every failure reached the fleet window once: a timed-out send is not counted twice.
    const window = await admin.hgetall(fleet[0]?.store.keys.window('market-data') ?? '');
    const fleetFailures = Object.entries(window)
      .filter(([field]) => field.startsWith('f:'))
      .reduce((sum, [, count]) => sum + Number(count), 0);
    const failures = fleet.reduce(
      (sum, { registry }) => sum + registry.breaker('market-data').toRecord().totals.failures,
      0,
    );
    expect(fleetFailures).toBe(failures);
  });

  it('never acknowledges a manual action that the audit log does not hold', async () => {
    const [a, b] = [await instance(), await instance()] as const;
    await a.registry.forceOpen('market-data', alice);
    expect((await b.registry.audit()).map((entry) => entry.action)).toEqual(['force-open']);

    const degraded = next(a, 'sharingChange', sharingMode('degraded'));
    await server.kill();
    await degraded;
    // Refused while Redis is out of reach: it rejects and changes nothing, here or in the fleet.
    await expect(a.registry.release('market-data', bob)).rejects.toThrow(/refused/);
    expect(a.registry.breaker('market-data').state).toBe('forced-open');

    const shared = [a, b].map((at) => next(at, 'sharingChange', sharingMode('shared')));
    await server.restart();
    await Promise.all(shared);
    expect(a.registry.breaker('market-data').state).toBe('forced-open');
    expect(b.registry.breaker('market-data').state).toBe('forced-open');
    // Acknowledged once Redis is back: recorded, after the acknowledged entry
    // the empty Redis lost and the instance that wrote it put back.
    await a.registry.reset('payments', bob);
    const entries = await b.registry.audit();
    expect(entries.map((entry) => [entry.action, entry.target, entry.actor.id])).toEqual([
      ['reset', 'payments', 'bob'],
      ['force-open', 'market-data', 'alice'],
    ]);
  });

  it('closes promptly while Redis is down', async () => {
    const a = await instance();
    await promptCalls(a, 'payments', 3);
    await server.kill();
    const closing = a.registry.close();
    const deadline = new Promise((resolve) => setTimeout(() => resolve('hung'), 5_000).unref());
    await expect(Promise.race([closing.then(() => 'closed'), deadline])).resolves.toBe('closed');
  });
});
