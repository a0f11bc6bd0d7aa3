import { hashTag, redisKeys } from '@breakwater/redis';
import { describe, expect, it } from 'vitest';
import { breakerRecord } from '../../../tests/store/store-contract';
import { describeWithRedis } from '../../../tests/support/redis';
import { useRedisStores } from './support';

const awkwardNames = [
  'db',
  'a{b}c',
  '}{',
  '{',
  'payments:eu-west:1',
  'marché-données ✓',
  '100%',
  '%7B',
];

/** The text Redis Cluster hashes: between the first `{` and the next `}`, when non-empty. */
function clusterTag(key: string): string | undefined {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  if (open === -1 || close === -1 || close === open + 1) return undefined;
  return key.slice(open + 1, close);
}

describe('redisKeys', () => {
  const keys = redisKeys('bw:');

  it('starts every key with the prefix', () => {
    const all = [
      keys.breakerIndex,
      keys.overrides,
      keys.auditSequence,
      keys.auditLog,
      keys.auditTimes,
      keys.breaker('db'),
      keys.window('db'),
      keys.permits('db'),
      keys.events('db'),
    ];
    for (const key of all) expect(key.startsWith('bw:')).toBe(true);
    expect(keys.breaker('db')).toBe('bw:breaker:{db}');
    expect(keys.window('db')).toBe('bw:window:{db}');
    expect(keys.permits('db')).toBe('bw:permits:{db}');
    expect(keys.events('db')).toBe('bw:events:{db}');
  });

  it.each(awkwardNames)('gives all keys of breaker %j one hash tag', (name) => {
    const tags = [keys.breaker, keys.window, keys.permits, keys.events].map((key) =>
      clusterTag(key(name)),
    );
    expect(tags[0]).toBeDefined();
    expect(new Set(tags).size).toBe(1);
    // The tag is the whole encoded name, not a piece cut off at a brace.
    expect(decodeURIComponent(tags[0] as string)).toBe(name);
  });

  it('encodes only %, { and }: colons and unicode stay readable', () => {
    expect(hashTag('a{b}:c ü%')).toBe('{a%7Bb%7D:c ü%25}');
  });

  it('never gives two names the same key', () => {
    const breakerKeys = awkwardNames.map((name) => keys.breaker(name));
    expect(new Set(breakerKeys).size).toBe(awkwardNames.length);
  });

  it('puts the audit sequence, log and times in one slot (one script appends to all three)', () => {
    expect(clusterTag(keys.auditSequence)).toBe('audit');
    expect(clusterTag(keys.auditLog)).toBe('audit');
    expect(clusterTag(keys.auditTimes)).toBe('audit');
  });
});

describeWithRedis('breaker names in Redis', () => {
  const open = useRedisStores('keys');

  it('saves and loads breakers whose names hold braces, colons and unicode', async () => {
    const store = await open();
    const records = awkwardNames.map((name, index) => breakerRecord(name, index + 1));
    for (const record of records) await store.saveBreaker(record);
    const loaded = await store.loadBreakers();
    expect(loaded.sort(byName)).toEqual(records.sort(byName));
    expect(await store.redis.exists(store.keys.breaker('a{b}c'))).toBe(1);
  });
});

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
