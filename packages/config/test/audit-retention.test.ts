import { describe, expect, it } from 'vitest';
import { issuesOf, parseYaml, withOneService } from './support/config';

describe('store.auditRetention', () => {
  it('is taken for every store type, and left out when not given', () => {
    const local = parseYaml(
      withOneService(
        'store: { type: local, path: ./state.db, auditRetention: { maxEntries: 5000, maxAgeDays: 30 } }\n',
      ),
    );
    expect(local.store).toEqual({
      type: 'local',
      path: '/srv/app/state.db',
      auditRetention: { maxEntries: 5000, maxAgeDays: 30 },
    });
    const redis = parseYaml(
      withOneService(
        'store: { type: redis, url: "redis://cache:6379", auditRetention: { maxAgeDays: 0.5 } }\n',
      ),
    );
    expect(redis.store).toMatchObject({ auditRetention: { maxAgeDays: 0.5 } });
    const memory = parseYaml(withOneService('store: { type: memory, auditRetention: {} }\n'));
    expect(memory.store).toEqual({ type: 'memory', auditRetention: {} });
    expect(parseYaml(withOneService()).store).not.toHaveProperty('auditRetention');
  });

  it('names a bad bound, its value and what is expected', () => {
    const issues = issuesOf(
      withOneService(
        'store:\n  type: memory\n  auditRetention: { maxEntries: 0, maxAgeDays: -1 }\n',
      ),
    );
    expect(issues.get('store.auditRetention.maxEntries')).toMatchObject({
      value: 0,
      expected: 'a count of entries, an integer >= 1',
    });
    expect(issues.get('store.auditRetention.maxAgeDays')).toMatchObject({
      value: -1,
      expected: 'a number of days > 0',
    });
    const typo = issuesOf(
      withOneService('store: { type: memory, auditRetention: { maxEntry: 5 } }\n'),
    );
    expect(typo.get('store.auditRetention.maxEntry')?.expected).toMatch(/maxEntries/);
  });
});
