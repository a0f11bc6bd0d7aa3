import type { RedisStore } from '@breakwater/redis';
import { expect, it, vi } from 'vitest';
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

  it('starts a page below beforeId with one ZRANGE from there, however deep', async () => {
    const store = await open();
    const ids = await appendSeconds(store, 600, () => 'common');
    const zrange = vi.spyOn(store.redis, 'zrange');

    const page = await store.queryAudit({ beforeId: ids[99], limit: 3 });
    expect(page.map((entry) => entry.at)).toEqual([99, 98, 97].map(at));
    expect(zrange).toHaveBeenCalledTimes(1);
    expect(zrange.mock.calls[0]?.slice(1, 3)).toEqual([`(${ids[99]}`, '-inf']);
  });

  it('finds sparse matches below beforeId across several pages', async () => {
    const store = await open();
    const ids = await appendSeconds(store, 600, (second) =>
      second % 50 === 0 ? 'rare' : 'common',
    );
    // Below the 400th: the rare ones at 350, 300, … found over pages of 200.
    const rare = await store.queryAudit({ service: 'rare', beforeId: ids[399], limit: 5 });
    expect(rare.map((entry) => entry.at)).toEqual([350, 300, 250, 200, 150].map(at));
  });

  it('rejects a bad limit, time or beforeId with a ConfigError naming it', async () => {
    const store = await open();
    await expect(store.queryAudit({ limit: -1 })).rejects.toThrow(/'limit'/);
    await expect(store.queryAudit({ limit: 1.5 })).rejects.toThrow(/'limit'/);
    await expect(store.queryAudit({ since: Number.NaN })).rejects.toThrow(/'since'/);
    await expect(store.queryAudit({ beforeId: -5 })).rejects.toThrow(/'beforeId'/);
  });
});

/** Appends entries at seconds 1 to `count`, pipelined (ids in that order); returns their ids. */
async function appendSeconds(
  store: RedisStore,
  count: number,
  targetAt: (second: number) => string,
): Promise<number[]> {
  const appends = [];
  for (let second = 1; second <= count; second++)
    appends.push(store.appendAudit(auditEntry(second, { target: targetAt(second) })));
  return (await Promise.all(appends)).map((entry) => entry.id);
}

function at(second: number): string {
  return auditEntry(second).at;
}
