import { Registry, type RegistryEvents } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { RedisStore, type RedisStoreOptions } from '@breakwater/redis';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import {
  deleteKeysWithPrefix,
  describeWithRedis,
  redisUrl,
  uniqueKeyPrefix,
} from '../../../tests/support/redis';
import { redisKeys } from '../src/redis-keys';
import { eventually, nextEvent } from './support';

// The fleet boundary: whatever arrives on the fleet's channels or sits in its
// keys — malformed JSON, wrong types, a newer version's message or option —
// is checked before use. A bad one is not applied and not kept: sharing
// reports degraded with a reason, one warning is logged, and the instance
// keeps serving calls. Nothing here may throw out of a Redis listener (an
// unhandled error fails the run).

const services = { 'market-data': { failureThreshold: 5, resetTimeout: 10_000 } };
const succeed = () => Promise.resolve('ok');
const fail = () => Promise.reject(new Error('down'));

interface Fleet {
  readonly clock: FakeClock;
  readonly prefix: string;
  readonly keys: ReturnType<typeof redisKeys>;
  /** A plain client on the fleet's Redis: the test's hand on the channels and keys. */
  readonly raw: Redis;
  readonly warnings: string[];
  instance(options?: RedisStoreOptions): Promise<Registry>;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function fleet(label: string): Fleet {
  const clock = new FakeClock(Date.now());
  const prefix = uniqueKeyPrefix(label);
  const raw = new Redis(redisUrl);
  const warnings: string[] = [];
  cleanups.push(
    () => deleteKeysWithPrefix(prefix),
    () => raw.quit(),
  );
  return {
    clock,
    prefix,
    keys: redisKeys(prefix),
    raw,
    warnings,
    async instance(options = {}) {
      const store = await RedisStore.connect({
        url: redisUrl,
        keyPrefix: prefix,
        flushInterval: 60_000,
        onWarning: (line) => warnings.push(line),
        ...options,
      });
      const registry = await Registry.open({ store, shared: true, services, clock });
      cleanups.push(() => registry.close());
      return registry;
    },
  };
}

const degraded = (event: RegistryEvents['sharingChange']) => event.status.mode === 'degraded';
const shared = (event: RegistryEvents['sharingChange']) => event.status.mode === 'shared';

function validRecord(name: string, version: number, now: number) {
  return {
    name,
    version,
    state: 'forced-open',
    stateSince: now,
    openUntil: null,
    recoveryAttempts: 0,
    failedRecoveries: 0,
    lastRecoveryAttempt: null,
    lastFailureTime: null,
    totals: { attempts: 0, successes: 0, failures: 0, ignored: 0, rejected: 0, timeouts: 0 },
  };
}

async function serves(registry: Registry): Promise<void> {
  expect(await registry.breaker('market-data').execute(succeed)).toBe('ok');
}

describeWithRedis('the fleet boundary', () => {
  it('rolling upgrade: refuses an override with an option this version does not know, and keeps nothing of it', async () => {
    const { instance, raw, keys, warnings } = fleet('upgrade');
    const [a, b] = [await instance(), await instance()];
    const seen = nextEvent(a, 'sharingChange', degraded);
    // What a newer instance announces after an operator set its new option.
    await raw.publish(
      keys.fleetChannel,
      JSON.stringify({
        kind: 'override',
        from: 'newer-instance',
        service: 'market-data',
        options: { failureThreshold: 2, quorum: 3 },
      }),
    );
    const { status } = await seen;
    expect(status.reason).toMatch(/market-data/);
    expect(status.reason).toMatch(/quorum/);
    expect(status.reason).toMatch(/does not know/);
    expect(a.sharingStatus()).toMatchObject({ mode: 'degraded' });
    expect(warnings.some((line) => line.includes('quorum'))).toBe(true);
    // Not applied, not kept: the breaker still trips at 5, and the next change
    // made here stores only what it names.
    expect(a.breaker('market-data').options.failureThreshold).toBe(5);
    await serves(a);
    await a.configure('market-data', { resetTimeout: 20_000 });
    expect(JSON.parse((await raw.hget(keys.overrides, 'market-data')) ?? 'null')).toEqual({
      resetTimeout: 20_000,
    });
    // B took up A's change (a valid override) and stays in service.
    await eventually(() =>
      b.breaker('market-data').options.resetTimeout === 20_000 ? true : undefined,
    );
    expect(b.breaker('market-data').options.failureThreshold).toBe(5);
    await serves(b);
  });

  it('a valid override after a refused one puts that breaker back in step', async () => {
    const { instance, raw, keys } = fleet('upgrade-settled');
    const a = await instance();
    const refused = nextEvent(a, 'sharingChange', degraded);
    const publish = (options: object) =>
      raw.publish(
        keys.fleetChannel,
        JSON.stringify({ kind: 'override', from: 'other', service: 'market-data', options }),
      );
    await publish({ failureThreshold: 2, quorum: 3 });
    await refused;
    const settled = nextEvent(a, 'sharingChange', shared);
    await publish({ failureThreshold: 3 });
    expect((await settled).status.reason).toBeNull();
    expect(a.breaker('market-data').options.failureThreshold).toBe(3);
  });

  it.each([
    ['malformed JSON', '{"kind":"record","from":'],
    ['JSON that is not an object', '42'],
    ['an unknown kind', JSON.stringify({ kind: 'quorum-vote', from: 'other' })],
    ['a record without a name', JSON.stringify({ kind: 'record', from: 'other', record: {} })],
    [
      'a newer message format',
      JSON.stringify({ format: 2, kind: 'override', from: 'other', service: 'market-data' }),
    ],
  ])(
    'stays up on %s on the fleet channel, reports degraded with a reason, and recovers',
    async (_, text) => {
      const { instance, raw, keys, warnings, clock } = fleet('malformed');
      const a = await instance();
      const seen = nextEvent(a, 'sharingChange', degraded);
      await raw.publish(keys.fleetChannel, text);
      expect((await seen).status.reason).toMatch(/fleet message/);
      expect(warnings).toHaveLength(1);
      await serves(a);
      expect(a.breaker('market-data').state).toBe('closed');
      // Nothing was missed for good: it catches up from Redis and is in step again.
      const back = nextEvent(a, 'sharingChange', shared);
      clock.advance(5_000);
      await back;
      expect(a.sharingStatus()).toMatchObject({ mode: 'shared', reason: null });
    },
  );

  it('refuses a record with wrong types or from a newer format, keeping its state', async () => {
    const { instance, raw, keys, clock } = fleet('bad-record');
    const a = await instance();
    const now = clock.now();
    const bad: Array<[object, RegExp]> = [
      [{ ...validRecord('market-data', 50, now), state: 'throttled' }, /unknown state "throttled"/],
      [
        { ...validRecord('market-data', 51, now), stateSince: 'yesterday' },
        /stateSince "yesterday"/,
      ],
      [{ ...validRecord('market-data', 52, now), totals: { attempts: -1 } }, /totals.attempts -1/],
    ];
    const seen = nextEvent(a, 'sharingChange', degraded);
    for (const [record, problem] of bad) {
      await raw.publish(
        keys.fleetChannel,
        JSON.stringify({ kind: 'record', from: 'other', record }),
      );
      const reason = await eventually(() => {
        const now = a.sharingStatus()?.reason;
        return now !== null && now !== undefined && problem.test(now) ? now : undefined;
      });
      expect(reason).toMatch(/^the shared record of 'market-data' from other holds/);
      expect(a.sharingStatus()?.mode).toBe('degraded');
      expect(a.breaker('market-data').state).toBe('closed');
    }
    // One event for the breaker falling out of step, not one per bad record.
    expect((await seen).status.reason).toMatch(/throttled/);
    // A valid record in a newer format is not taken up either.
    await raw.publish(
      keys.fleetChannel,
      JSON.stringify({
        format: 2,
        kind: 'record',
        from: 'other',
        record: validRecord('market-data', 60, now),
      }),
    );
    await serves(a);
    expect(a.breaker('market-data').state).toBe('closed');
    // A valid one is, and puts the breaker back in step.
    const taken = nextEvent(a, 'stateChange', (event) => event.to === 'forced-open');
    await raw.publish(
      keys.fleetChannel,
      JSON.stringify({
        kind: 'record',
        from: 'other',
        record: validRecord('market-data', 70, now),
      }),
    );
    expect(await taken).toMatchObject({ service: 'market-data', reason: 'shared' });
  });

  it('drops a malformed report from another instance and lists only valid ones', async () => {
    const { instance, raw, keys, clock } = fleet('bad-report');
    const a = await instance();
    a.fleetInstances(); // reads reports from now on
    await a.flush();
    const seen = nextEvent(a, 'sharingChange', degraded);
    await raw.publish(
      keys.reportsChannel,
      JSON.stringify({
        instance: 'newer-instance',
        at: clock.now(),
        mode: 'shared',
        breakers: { 'market-data': { state: 'throttled', totals: {} } },
      }),
    );
    expect((await seen).status.reason).toMatch(/newer-instance/);
    expect(a.fleetInstances()?.map((report) => report.instance)).toEqual([
      a.sharingStatus()?.instance,
    ]);
    await serves(a);
  });

  it('joins a fleet whose keys hold a bad record and a newer version’s override, with those breakers out of step', async () => {
    const { instance, raw, keys, warnings } = fleet('bad-keys');
    await raw.sadd(keys.breakerIndex, 'market-data', 'payments');
    await raw.hset(keys.breaker('market-data'), 'version', '3', 'record', '{"name":"market-data"');
    await raw.hset(keys.overrides, 'payments', JSON.stringify({ quorum: 3 }));
    await raw.hset(keys.overrides, 'market-data', JSON.stringify({ resetTimeout: 30_000 }));
    const a = await instance();
    const status = a.sharingStatus();
    expect(status?.mode).toBe('degraded');
    // The latest refusal, and how many more there are; each one logged.
    expect(status?.reason).toMatch(/'payments'.*"quorum".*\(and 1 other thing not taken up\)/);
    expect(warnings.join('\n')).toContain(`Redis key '${keys.breaker('market-data')}'`);
    expect(warnings.join('\n')).toContain('"quorum"');
    // The good override is taken up, the bad one kept nowhere.
    expect(a.breaker('market-data').options.resetTimeout).toBe(30_000);
    expect(a.breaker('payments').options.failureThreshold).toBe(5);
    await serves(a);
    await a
      .breaker('payments')
      .execute(fail)
      .catch(() => undefined);
    expect(a.breaker('payments').state).toBe('closed');
  });

  it('logs a flood of bad messages a few lines at a time', async () => {
    const { instance, raw, keys, warnings } = fleet('flood');
    const a = await instance();
    for (let i = 0; i < 200; i++) await raw.publish(keys.fleetChannel, `garbage ${i}`);
    await raw.publish(
      keys.fleetChannel,
      JSON.stringify({ kind: 'record', from: 'other', record: validRecord('market-data', 9, 0) }),
    );
    await eventually(() => (a.breaker('market-data').state === 'forced-open' ? true : undefined));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(5);
    await serves(a).catch(() => undefined);
  });
});
