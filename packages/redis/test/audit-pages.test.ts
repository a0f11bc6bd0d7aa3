import { expect, it } from 'vitest';
import { auditEntry } from '../../../tests/store/store-contract';
import { describeWithRedis } from '../../../tests/support/redis';
import { useRedisStores } from './support';

describeWithRedis('RedisStore.queryAudit over many entries', () => {
  const open = useRedisStores('audit');

  it('finds sparse matches across several pages, newest first', async () => {
    const store = await open();
    // 600 entries; every 50th targets 'rare': 12 matches spread over three pages.
    const pipeline = [];
    for (let second = 1; second <= 600; second++) {
      const target = second % 50 === 0 ? 'rare' : 'common';
      pipeline.push(store.appendAudit(auditEntry(second, { target })));
    }
    await Promise.all(pipeline);

    const rare = await store.queryAudit({ service: 'rare', limit: 10 });
    expect(rare.map((entry) => entry.at)).toEqual(
      [600, 550, 500, 450, 400, 350, 300, 250, 200, 150].map(at),
    );
    expect(await store.queryAudit({ service: 'rare' })).toHaveLength(12);
    expect(await store.queryAudit({ service: 'nobody' })).toEqual([]);
  });

  it('rejects a bad limit or time with a ConfigError naming it', async () => {
    const store = await open();
    await expect(store.queryAudit({ limit: -1 })).rejects.toThrow(/'limit'/);
    await expect(store.queryAudit({ limit: 1.5 })).rejects.toThrow(/'limit'/);
    await expect(store.queryAudit({ since: Number.NaN })).rejects.toThrow(/'since'/);
  });
});

function at(second: number): string {
  return auditEntry(second).at;
}
