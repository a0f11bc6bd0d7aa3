import type { BreakerRecord } from '@breakwater/core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { breakerRecord } from '../../../tests/store/store-contract';
import { describeWithRedis } from '../../../tests/support/redis';
import { useRedisStores } from './support';

describeWithRedis('RedisStore.saveBreaker under concurrency', () => {
  const open = useRedisStores('save');

  it('keeps the highest version when saves race, from one or several connections', async () => {
    const first = await open();
    // A second store on the same keys: another instance of the service.
    const second = await open({ keyPrefix: first.keys.prefix });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(
          Array.from({ length: 20 }, (_, index) => index + 1),
          { minLength: 1 },
        ),
        async (versions) => {
          run++;
          const name = `race-${run}`;
          await Promise.all(
            versions.map((version, index) =>
              (index % 2 === 0 ? first : second).saveBreaker(breakerRecord(name, version)),
            ),
          );
          const stored = (await first.loadBreakers()).find((record) => record.name === name);
          expect(stored).toEqual(breakerRecord(name, Math.max(...versions)));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('lets a lower version lose even when it arrives last', async () => {
    const store = await open();
    await Promise.all([
      store.saveBreaker(breakerRecord('db', 9)),
      store.saveBreaker(breakerRecord('db', 3)),
    ]);
    await store.saveBreaker(breakerRecord('db', 2));
    const [stored] = await store.loadBreakers();
    expect((stored as BreakerRecord).version).toBe(9);
  });
});
