import { afterEach, expect, it } from 'vitest';
import {
  deleteKeysWithPrefix,
  describeWithRedis,
  redisUrl,
  uniqueKeyPrefix,
} from '../support/redis';
import { type Fleet, startFleet, type WorkerSettings } from './support/fleet';

// Shared mode across real processes: each instance is a child process with
// its own registry and Redis connections, on the test Redis under a prefix of
// its own.

const service = 'market-data';
const opened: Fleet[] = [];
const prefixes: string[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((fleet) => fleet.close()));
  await Promise.all(prefixes.splice(0).map((prefix) => deleteKeysWithPrefix(prefix)));
});

async function fleet(
  label: string,
  size: number,
  options: Record<string, unknown>,
  store: WorkerSettings['store'] = {},
): Promise<Fleet> {
  const keyPrefix = uniqueKeyPrefix(label);
  prefixes.push(keyPrefix);
  const started = await startFleet(size, {
    url: redisUrl,
    keyPrefix,
    store,
    services: { [service]: options },
  });
  opened.push(started);
  await Promise.all(started.workers.map((worker) => worker.send({ cmd: 'watch' })));
  return started;
}

const rejectedOnce = { succeeded: 0, failed: 0, rejected: 1, state: 'open' };

describeWithRedis('a shared registry across processes', () => {
  it('rejects on all four instances once one of them trips', async () => {
    const { workers, worker } = await fleet('fleet-trip', 4, {
      failureThreshold: 5,
      resetTimeout: 10_000,
    });
    const others = workers.slice(1);
    const seen = others.map((other) => other.nextStateChange((change) => change.to === 'open'));
    const trip = await worker(0).send({ cmd: 'calls', service, count: 5, outcome: 'failure' });
    expect(trip).toMatchObject({ failed: 5, state: 'open' });
    for (const change of await Promise.all(seen)) {
      expect(change).toMatchObject({ service, from: 'closed', to: 'open', reason: 'shared' });
    }
    const after = workers.map((each) =>
      each.send({ cmd: 'calls', service, count: 1, outcome: 'success' }),
    );
    expect(await Promise.all(after)).toEqual(workers.map(() => rejectedOnce));
  });

  it('trips on the fleet’s failures when no instance has enough alone', async () => {
    // Counts leave an instance only on flush: the interval is out of the way.
    const { workers, worker } = await fleet(
      'fleet-aggregate',
      3,
      { failureThreshold: 6, resetTimeout: 10_000 },
      { flushInterval: 60_000 },
    );
    for (const each of workers) {
      const calls = await each.send({ cmd: 'calls', service, count: 2, outcome: 'failure' });
      expect(calls).toMatchObject({ failed: 2, state: 'closed' });
    }
    const seen = workers.map((each) => each.nextStateChange((change) => change.to === 'open'));
    await worker(0).send({ cmd: 'flush' });
    await worker(1).send({ cmd: 'flush' });
    const states = await Promise.all(workers.map((each) => each.send({ cmd: 'state', service })));
    expect(states.map(({ state }) => state)).toEqual(['closed', 'closed', 'closed']);
    await worker(2).send({ cmd: 'flush' });
    for (const change of await Promise.all(seen)) {
      expect(change).toMatchObject({ from: 'closed', to: 'open', reason: 'shared' });
    }
    const after = workers.map((each) =>
      each.send({ cmd: 'calls', service, count: 1, outcome: 'success' }),
    );
    expect(await Promise.all(after)).toEqual(workers.map(() => rejectedOnce));
  });

  it('runs at most halfOpenMaxCalls trials at once across 4 processes trying together', async () => {
    const resetTimeout = 10_000;
    const { workers, worker } = await fleet('fleet-permit-limit', 4, {
      failureThreshold: 2,
      resetTimeout,
      successThreshold: 3,
      halfOpenMaxCalls: 2,
    });
    const opened = workers.slice(1).map((each) => each.nextStateChange((c) => c.to === 'open'));
    await worker(0).send({ cmd: 'calls', service, count: 2, outcome: 'failure' });
    await Promise.all(opened);
    await Promise.all(workers.map((each) => each.send({ cmd: 'advance', ms: resetTimeout })));
    // Rounds of every process trying at once, each fetching permits between rounds;
    // admitted trials stay running, so every admission holds a permit to the end.
    let running = 0;
    for (let round = 0; round < 4; round++) {
      const tries = await Promise.all(workers.map((each) => each.send({ cmd: 'trial', service })));
      running += tries.filter((attempt) => attempt.admitted).length;
      expect(running).toBeLessThanOrEqual(2);
      await Promise.all(workers.map((each) => each.send({ cmd: 'flush' })));
    }
    expect(running).toBe(2);
  });

  it("frees a killed instance's half-open permit once its lease lapses", async () => {
    const permitLease = 500;
    const resetTimeout = 10_000;
    const { workers, worker } = await fleet(
      'fleet-permit',
      2,
      { failureThreshold: 2, resetTimeout, successThreshold: 1, halfOpenMaxCalls: 1 },
      { permitLease },
    );
    const [holder, other] = [worker(0), worker(1)];
    const seen = other.nextStateChange((change) => change.to === 'open');
    await holder.send({ cmd: 'calls', service, count: 2, outcome: 'failure' });
    await seen;
    // Both clocks jump over the open period; leases still lapse in real time.
    await Promise.all(workers.map((each) => each.send({ cmd: 'advance', ms: resetTimeout })));

    // The first trial call finds no permit at hand and fetches one; the next one uses it.
    expect(await holder.send({ cmd: 'trial', service })).toMatchObject({
      admitted: false,
      state: 'half-open',
    });
    await holder.send({ cmd: 'flush' });
    expect(await holder.send({ cmd: 'trial', service })).toMatchObject({ admitted: true });
    const heldAt = performance.now();

    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await other.send({ cmd: 'trial', service })).toMatchObject({
        admitted: false,
        state: 'half-open',
      });
      await other.send({ cmd: 'flush' });
    }

    await holder.kill();
    const killedAt = performance.now();
    // Lease expiry is real time in Redis: retry until admitted, within a bound.
    const giveUpAt = killedAt + 20 * permitLease;
    let attempts = 0;
    for (;;) {
      attempts++;
      const trial = await other.send({ cmd: 'trial', service });
      if (trial.admitted) {
        const freedAt = performance.now();
        console.info(
          `a killed instance's permit was free ${(freedAt - killedAt).toFixed(0)} ms after the kill, ` +
            `${(freedAt - heldAt).toFixed(0)} ms after it was taken (permitLease ${permitLease} ms, ${attempts} attempts)`,
        );
        expect(trial.state).toBe('half-open');
        await other.send({ cmd: 'finish', trial: trial.trial ?? 0, outcome: 'success' });
        break;
      }
      if (performance.now() > giveUpAt) {
        throw new Error(`the permit was still taken ${20 * permitLease} ms after the kill`);
      }
      await other.send({ cmd: 'flush' });
    }
    expect(await other.send({ cmd: 'state', service })).toMatchObject({ state: 'closed' });
  });
});

describeWithRedis('registry.flush() in shared mode', () => {
  // flush() used to return at once while a send was under way, leaving the
  // counts made after that send's snapshot for the next tick.
  it('sends every count made before it, even while a batch send is under way', async () => {
    // flushBatchSize 2: the second failure starts a send; the third is made while it is under way.
    const { worker } = await fleet(
      'fleet-flush-race',
      2,
      { failureThreshold: 4, resetTimeout: 10_000 },
      { flushInterval: 60_000, flushBatchSize: 2 },
    );
    const first = await worker(0).send({
      cmd: 'calls',
      service,
      count: 3,
      outcome: 'failure',
      flush: true,
    });
    expect(first).toMatchObject({ failed: 3, state: 'closed' });
    // 3 + 1 consecutive failures across the fleet: the flush script must trip it.
    await worker(1).send({ cmd: 'calls', service, count: 1, outcome: 'failure', flush: true });
    expect(await worker(1).send({ cmd: 'state', service })).toMatchObject({ state: 'open' });
  });
});
