import { isCircuitOpenError, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { LocalStore } from '@breakwater/store-local';
import { describe, expect, it } from 'vitest';
import { useTempDirectory } from './support';

const path = useTempDirectory();

const services = {
  'market-data': { failureThreshold: 3, resetTimeout: 30_000 },
  'contest-evaluation': { failureThreshold: 5, dependsOn: ['market-data'] },
};
const ops = { id: 'ops-1', role: 'admin' };

const failing = () => Promise.reject(new Error('upstream down'));
const working = () => Promise.resolve('ok');

describe('a Registry restored from a LocalStore', () => {
  it('keeps an open circuit open for the rest of its period, reapplies overrides and keeps the audit log', async () => {
    const file = path('state.db');
    const firstClock = new FakeClock();
    const first = await Registry.open({
      store: await LocalStore.open(file),
      services,
      clock: firstClock,
    });
    const market = first.breaker('market-data');
    for (let call = 0; call < 3; call++) await market.execute(failing).catch(() => undefined);
    expect(market.state).toBe('open');
    await first.configure('contest-evaluation', { failureThreshold: 2 }, ops);
    firstClock.advance(10_000); // 10 s of the 30 s period pass, then the process stops
    await first.close();

    // A new process 5 s later: its own monotonic clock, the wall clock moved on.
    const clock = new FakeClock(firstClock.now() + 5_000);
    const second = await Registry.open({ store: await LocalStore.open(file), services, clock });
    const restored = second.breaker('market-data');
    expect(restored.status()).toMatchObject({
      state: 'open',
      recoveryIn: 15_000,
      totalFailures: 3,
    });
    expect(second.breaker('contest-evaluation').options.failureThreshold).toBe(2);
    expect(await second.audit({ service: 'contest-evaluation' })).toMatchObject([
      {
        action: 'configure',
        target: 'contest-evaluation',
        actor: ops,
        before: { failureThreshold: 5 },
        after: { failureThreshold: 2 },
        outcome: 'ok',
      },
    ]);

    clock.advance(14_999);
    const rejection = await restored.execute(working).catch((error: unknown) => error);
    expect(isCircuitOpenError(rejection)).toBe(true);
    clock.advance(1);
    expect(await restored.execute(working)).toBe('ok'); // the first trial of the same period
    expect(restored.state).not.toBe('open');
    await second.close();
  });

  it('restores a circuit that was closed as closed, and a manual action with its audit entry', async () => {
    const file = path('state.db');
    const clock = new FakeClock();
    const first = await Registry.open({ store: await LocalStore.open(file), services, clock });
    await first.forceOpen('contest-evaluation', ops);
    await first.close();

    const second = await Registry.open({ store: await LocalStore.open(file), services, clock });
    expect(second.breaker('market-data').state).toBe('closed');
    expect(second.breaker('contest-evaluation').state).toBe('forced-open');
    expect(await second.audit()).toMatchObject([
      {
        action: 'force-open',
        target: 'contest-evaluation',
        before: 'closed',
        after: 'forced-open',
      },
    ]);
    await second.close();
  });
});
