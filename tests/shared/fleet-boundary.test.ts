import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { redisKeys } from '../../packages/redis/src/redis-keys';
import {
  deleteKeysWithPrefix,
  describeWithRedis,
  redisUrl,
  uniqueKeyPrefix,
} from '../support/redis';
import { type Fleet, startFleet } from './support/fleet';

// The fleet boundary across real processes: a malformed message, or a newer
// version's (a rolling upgrade), published on the fleet's channel must not
// take any instance down. Each instance is a child process, so a throw in its
// Redis listener would kill it, as it would kill a production instance.

const service = 'market-data';
const opened: Fleet[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((fleet) => fleet.close()));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describeWithRedis('a fleet of processes given bad fleet messages', () => {
  it('stays up and serving, refuses what it cannot take up, and says why', async () => {
    const keyPrefix = uniqueKeyPrefix('fleet-boundary');
    const raw = new Redis(redisUrl);
    cleanups.push(
      () => deleteKeysWithPrefix(keyPrefix),
      () => raw.quit(),
    );
    const fleet = await startFleet(3, {
      url: redisUrl,
      keyPrefix,
      services: { [service]: { failureThreshold: 5, resetTimeout: 10_000 } },
    });
    opened.push(fleet);
    const { fleetChannel, overrides } = redisKeys(keyPrefix);

    // A newer instance's operator sets an option this version does not know.
    await raw.hset(overrides, service, JSON.stringify({ failureThreshold: 2, quorum: 3 }));
    await raw.publish(
      fleetChannel,
      JSON.stringify({
        kind: 'override',
        from: 'newer-instance',
        service,
        options: { failureThreshold: 2, quorum: 3 },
      }),
    );
    // And some plain garbage.
    await raw.publish(fleetChannel, '{"kind":"record","from":');
    await raw.publish(fleetChannel, JSON.stringify({ kind: 'record', from: 'x', record: null }));

    for (const worker of fleet.workers) {
      const state = await eventuallyDegraded(() => worker.send({ cmd: 'state', service }));
      expect(worker.alive).toBe(true);
      expect(state).toMatchObject({ state: 'closed', sharing: 'degraded', failureThreshold: 5 });
      const calls = await worker.send({ cmd: 'calls', service, count: 3, outcome: 'success' });
      expect(calls).toMatchObject({ succeeded: 3, state: 'closed' });
    }
    // Still one fleet: a trip on one instance reaches the others.
    const seen = fleet.workers
      .slice(1)
      .map((other) => other.nextStateChange((change) => change.to === 'open'));
    await fleet.worker(0).send({ cmd: 'watch' });
    for (const other of fleet.workers.slice(1)) await other.send({ cmd: 'watch' });
    await fleet.worker(0).send({ cmd: 'calls', service, count: 5, outcome: 'failure' });
    for (const change of await Promise.all(seen))
      expect(change).toMatchObject({ reason: 'shared' });
    // Nothing of the refused override was kept or written back.
    expect(JSON.parse((await raw.hget(overrides, service)) ?? 'null')).toEqual({
      failureThreshold: 2,
      quorum: 3,
    });
    expect(fleet.workers.every((worker) => worker.alive)).toBe(true);
  });
});

/** Asks until the answer reads degraded with a reason naming the refused option (≤ ~3 s). */
async function eventuallyDegraded<T extends { sharing?: string; reason?: string | null }>(
  ask: () => Promise<T>,
): Promise<T> {
  let answer = await ask();
  for (let tries = 0; tries < 60 && !/quorum/.test(answer.reason ?? ''); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    answer = await ask();
  }
  expect(answer.reason).toMatch(/quorum/);
  return answer;
}
