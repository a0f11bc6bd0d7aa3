import {
  type AuditEntry,
  type AuditQuery,
  type AuditRetention,
  auditQueryLimits,
  type BreakerRecord,
  ConfigError,
  defaultAuditRetention,
  isStoreClosedError,
  type NewAuditEntry,
  type PersistableOptions,
  type StateStore,
} from '@breakwater/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Options every store takes, given to the store under test when it is opened. */
export interface StoreSettings {
  readonly auditRetention?: AuditRetention;
}

/** A store under test, freshly opened on empty data. */
export interface OpenedStore {
  readonly store: StateStore;
  /**
   * Opens the same data again after `store.close()`, with `settings` (a store
   * without persistence may return `store`, keeping its settings).
   */
  readonly reopen: (settings?: StoreSettings) => Promise<StateStore>;
  /** Closes whichever store is still open and removes the data (files, keys). */
  readonly cleanup: () => Promise<void>;
}

export interface StoreContractOptions {
  /**
   * Whether data outlives `close()`. False leaves the persistence cases out
   * (rather than skipping them: a store that keeps nothing has none, and a
   * skipped test in the report must mean something was not checked). Default true.
   */
  readonly persistent?: boolean;
}

const t0 = Date.UTC(2026, 0, 1);
const alice = { id: 'alice', role: 'admin' } as const;

/** A valid breaker record; `changes` override any field. */
export function breakerRecord(
  name: string,
  version: number,
  changes: Partial<BreakerRecord> = {},
): BreakerRecord {
  return {
    name,
    version,
    state: 'open',
    stateSince: t0 + version,
    openUntil: t0 + version + 30_000,
    recoveryAttempts: 1,
    failedRecoveries: 0,
    lastRecoveryAttempt: null,
    lastFailureTime: t0 + version - 1,
    totals: { attempts: 10, successes: 4, failures: 6, ignored: 0, rejected: 2, timeouts: 1 },
    ...changes,
  };
}

/** A valid audit entry `seconds` after 2026-01-01; `changes` override any field. */
export function auditEntry(seconds: number, changes: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    at: new Date(t0 + seconds * 1000).toISOString(),
    actor: alice,
    action: 'configure',
    target: 'market-data',
    before: { failureThreshold: 5 },
    after: { failureThreshold: 3 },
    outcome: 'ok',
    ...changes,
  };
}

/**
 * The contract every `StateStore` keeps: records by version, overrides,
 * an append-only audit log with its queries, copies in and out, data that
 * survives close and reopen, a bounded audit log, and no use after close.
 * A store's test file calls this with a function that opens a fresh, empty
 * store with the given settings.
 */
export function describeStoreContract(
  name: string,
  open: (settings?: StoreSettings) => Promise<OpenedStore>,
  options: StoreContractOptions = {},
): void {
  const persistent = options.persistent ?? true;

  describe(name, () => {
    let opened: OpenedStore;
    let store: StateStore;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(() => opened.cleanup());

    /** The store after close and reopen: the same data through a new connection. */
    async function reopened(settings?: StoreSettings): Promise<StateStore> {
      await store.close();
      store = await opened.reopen(settings);
      return store;
    }

    /** A fresh, empty store opened with `settings` instead of the default one. */
    async function openedWith(settings: StoreSettings): Promise<StateStore> {
      await opened.cleanup();
      opened = await open(settings);
      store = opened.store;
      return store;
    }

    /** What the log holds, oldest first, as the seconds of `auditEntry`. */
    async function auditSeconds(): Promise<number[]> {
      const entries = await store.queryAudit({ limit: auditQueryLimits.max });
      return entries.map((entry) => (Date.parse(entry.at) - t0) / 1000).reverse();
    }

    describe('breaker records', () => {
      it('starts empty', async () => {
        expect(await store.loadBreakers()).toEqual([]);
        expect(await store.loadOverrides()).toEqual({});
        expect(await store.queryAudit()).toEqual([]);
      });

      it('returns a saved record deep-equal, for every state', async () => {
        const records = [
          breakerRecord('open-one', 3),
          breakerRecord('closed-one', 1, { state: 'closed', openUntil: null }),
          breakerRecord('half-open-one', 7, { state: 'half-open', openUntil: null }),
          breakerRecord('forced-one', 2, { state: 'forced-open', openUntil: null }),
          breakerRecord('disabled-one', 9, {
            state: 'disabled',
            openUntil: null,
            lastFailureTime: null,
            lastRecoveryAttempt: t0 - 5,
          }),
        ];
        for (const record of records) await store.saveBreaker(record);
        expect(byName(await store.loadBreakers())).toEqual(byName(records));
      });

      it('replaces a record with a higher version', async () => {
        await store.saveBreaker(breakerRecord('db', 1));
        const newer = breakerRecord('db', 2, { state: 'closed', openUntil: null });
        await store.saveBreaker(newer);
        expect(await store.loadBreakers()).toEqual([newer]);
      });

      it('ignores a record with a lower version: an older write never wins', async () => {
        const newer = breakerRecord('db', 5);
        await store.saveBreaker(newer);
        await store.saveBreaker(breakerRecord('db', 4, { state: 'closed', openUntil: null }));
        expect(await store.loadBreakers()).toEqual([newer]);
      });

      it('replaces a record with an equal version', async () => {
        await store.saveBreaker(breakerRecord('db', 5));
        const same = breakerRecord('db', 5, { recoveryAttempts: 2 });
        await store.saveBreaker(same);
        expect(await store.loadBreakers()).toEqual([same]);
      });

      it('keeps the highest version of each breaker, whatever order the saves come in', async () => {
        let run = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.nat(20)), { maxLength: 12 }),
            async (saves) => {
              run++;
              const highest = new Map<string, BreakerRecord>();
              for (const [breaker, version] of saves) {
                // Same version → same content, so the order of equal saves does not matter.
                const record = breakerRecord(`${breaker}-${run}`, version);
                await store.saveBreaker(record);
                const kept = highest.get(record.name);
                if (kept === undefined || kept.version <= version) highest.set(record.name, record);
              }
              const loaded = (await store.loadBreakers()).filter((record) =>
                record.name.endsWith(`-${run}`),
              );
              expect(byName(loaded)).toEqual(byName([...highest.values()]));
            },
          ),
          { numRuns: 25 },
        );
      });
    });

    describe('deleting a record (its breaker was removed)', () => {
      it('deletes one record and keeps the others', async () => {
        await store.saveBreaker(breakerRecord('db', 3));
        await store.saveBreaker(breakerRecord('cache', 1));
        await store.deleteBreaker('db');
        expect(await store.loadBreakers()).toEqual([breakerRecord('cache', 1)]);
      });

      it('deleting a record that does not exist changes nothing', async () => {
        await store.saveBreaker(breakerRecord('cache', 1));
        await store.deleteBreaker('db');
        expect(await store.loadBreakers()).toEqual([breakerRecord('cache', 1)]);
      });

      it('saves a record of the same name again from any version', async () => {
        await store.saveBreaker(breakerRecord('db', 9));
        await store.deleteBreaker('db');
        await store.saveBreaker(breakerRecord('db', 1));
        expect(await store.loadBreakers()).toEqual([breakerRecord('db', 1)]);
      });
    });

    describe('configuration overrides', () => {
      it('sets, replaces and deletes a service override', async () => {
        await store.saveOverride('market-data', { failureThreshold: 3 });
        await store.saveOverride('faucet', { resetTimeout: 10_000 });
        expect(await store.loadOverrides()).toEqual({
          'market-data': { failureThreshold: 3 },
          faucet: { resetTimeout: 10_000 },
        });

        const replaced: PersistableOptions = {
          failureThreshold: 4,
          slidingWindow: { type: 'count', size: 20 },
          failureRateThreshold: 0.5,
        };
        await store.saveOverride('market-data', replaced);
        await store.saveOverride('faucet', null);
        expect(await store.loadOverrides()).toEqual({ 'market-data': replaced });
      });

      it('deleting an override that does not exist changes nothing', async () => {
        await store.saveOverride('market-data', { failureThreshold: 3 });
        await store.saveOverride('faucet', null);
        expect(await store.loadOverrides()).toEqual({ 'market-data': { failureThreshold: 3 } });
      });
    });

    describe('audit log', () => {
      it('returns each appended entry with an id, ids increasing', async () => {
        const first = await store.appendAudit(auditEntry(1));
        const second = await store.appendAudit(auditEntry(2, { action: 'reset', before: 'open' }));
        expect(first).toEqual({ ...auditEntry(1), id: first.id });
        expect(second).toEqual({
          ...auditEntry(2, { action: 'reset', before: 'open' }),
          id: second.id,
        });
        expect(second.id).toBeGreaterThan(first.id);
      });

      it('keeps before and after as given: objects, strings, null', async () => {
        const entries = [
          auditEntry(1, { before: null, after: { nested: { list: [1, 'two', null] } } }),
          auditEntry(2, { action: 'reset-all', target: '*', before: { a: 'open' }, after: {} }),
          auditEntry(3, { action: 'force-open', before: 'closed', after: 'forced-open' }),
          auditEntry(4, { outcome: 'failed: unknown service' }),
        ];
        for (const entry of entries) await store.appendAudit(entry);
        const stored = await store.queryAudit();
        expect(stored.map(({ id: _id, ...entry }) => entry)).toEqual([...entries].reverse());
      });

      it('returns entries newest first', async () => {
        for (const second of [1, 2, 3]) await store.appendAudit(auditEntry(second));
        const entries = await store.queryAudit();
        expect(entries.map((entry) => entry.at)).toEqual([3, 2, 1].map(at));
        expect(entries.map((entry) => entry.id)).toEqual(
          [...entries].map((entry) => entry.id).sort((a, b) => b - a),
        );
      });

      it("filters by service, including entries that target every service ('*')", async () => {
        await store.appendAudit(auditEntry(1, { target: 'market-data' }));
        await store.appendAudit(auditEntry(2, { target: 'faucet' }));
        await store.appendAudit(auditEntry(3, { action: 'reset-all', target: '*' }));
        await store.appendAudit(auditEntry(4, { target: 'market-data' }));

        const forMarket = await store.queryAudit({ service: 'market-data' });
        expect(forMarket.map((entry) => [entry.target, entry.at])).toEqual([
          ['market-data', at(4)],
          ['*', at(3)],
          ['market-data', at(1)],
        ]);
        const forFaucet = await store.queryAudit({ service: 'faucet' });
        expect(forFaucet.map((entry) => entry.target)).toEqual(['*', 'faucet']);
        const forNobody = await store.queryAudit({ service: 'referral' });
        expect(forNobody.map((entry) => entry.target)).toEqual(['*']);
      });

      it('filters by time: since inclusive, until exclusive (epoch ms)', async () => {
        for (const second of [10, 20, 30, 40]) await store.appendAudit(auditEntry(second));
        const between = await store.queryAudit({ since: ms(20), until: ms(40) });
        expect(between.map((entry) => entry.at)).toEqual([at(30), at(20)]);
        expect((await store.queryAudit({ since: ms(31) })).map((entry) => entry.at)).toEqual([
          at(40),
        ]);
        expect((await store.queryAudit({ until: ms(10) })).map((entry) => entry.at)).toEqual([]);
      });

      it('combines the service and time filters', async () => {
        await store.appendAudit(auditEntry(10, { target: 'faucet' }));
        await store.appendAudit(auditEntry(20, { target: 'market-data' }));
        await store.appendAudit(auditEntry(30, { target: '*', action: 'reset-all' }));
        await store.appendAudit(auditEntry(40, { target: 'market-data' }));
        const entries = await store.queryAudit({
          service: 'market-data',
          since: ms(15),
          until: ms(40),
        });
        expect(entries.map((entry) => [entry.target, entry.at])).toEqual([
          ['*', at(30)],
          ['market-data', at(20)],
        ]);
      });

      it('returns at most `limit` entries, the newest', async () => {
        for (const second of [1, 2, 3, 4, 5]) await store.appendAudit(auditEntry(second));
        const entries = await store.queryAudit({ limit: 2 });
        expect(entries.map((entry) => entry.at)).toEqual([at(5), at(4)]);
        expect(await store.queryAudit({ limit: 0 })).toEqual([]);
        expect(await store.queryAudit({ limit: 50_000 })).toHaveLength(5);
      });

      it('refuses a bad limit, since, until or beforeId with a ConfigError naming it', async () => {
        const cases: Array<[string, Record<string, unknown>]> = [
          ['limit', { limit: -1 }],
          ['limit', { limit: 2.5 }],
          ['since', { since: Number.NaN }],
          ['until', { until: '2026-01-01' }],
          ['beforeId', { beforeId: 0 }],
          ['beforeId', { beforeId: 2.5 }],
          ['beforeId', { beforeId: '3' }],
        ];
        for (const [option, query] of cases) {
          const refusal = await store.queryAudit(query as never).catch((error: unknown) => error);
          expect(refusal).toBeInstanceOf(ConfigError);
          expect(refusal).toMatchObject({ option });
        }
      });

      it('returns 100 entries when no limit is given', async () => {
        for (let second = 1; second <= 105; second++) await store.appendAudit(auditEntry(second));
        const entries = await store.queryAudit();
        expect(entries).toHaveLength(100);
        expect(entries[0]?.at).toBe(at(105));
        expect(entries[99]?.at).toBe(at(6));
      });
    });

    describe('audit pages (beforeId)', () => {
      /**
       * Every page of `query`, `size` entries each, each page asking below the
       * id of the last entry of the one before, until a short page. At most
       * ten pages: a store that ignored `beforeId` would repeat its first.
       */
      async function pages(query: AuditQuery, size: number): Promise<AuditEntry[][]> {
        const read: AuditEntry[][] = [];
        let beforeId: number | undefined;
        while (read.length < 10) {
          const page = await store.queryAudit({ ...query, limit: size, beforeId });
          read.push(page);
          if (page.length < size) break;
          beforeId = page.at(-1)?.id;
        }
        return read;
      }

      it('reads 5 entries in pages of 2, each exactly once, newest first', async () => {
        const ids: number[] = [];
        for (const second of [1, 2, 3, 4, 5])
          ids.push((await store.appendAudit(auditEntry(second))).id);
        const read = await pages({}, 2);
        expect(read.map((page) => page.map((entry) => entry.at))).toEqual([
          [at(5), at(4)],
          [at(3), at(2)],
          [at(1)],
        ]);
        expect(read.flat().map((entry) => entry.id)).toEqual([...ids].reverse());
      });

      it('pages a service filter: its entries and those for every service', async () => {
        const targets = ['market-data', 'faucet', '*', 'market-data', 'faucet', 'market-data'];
        for (const [index, target] of targets.entries())
          await store.appendAudit(auditEntry(index + 1, { target }));
        const read = await pages({ service: 'market-data' }, 2);
        expect(read.map((page) => page.map((entry) => [entry.target, entry.at]))).toEqual([
          [
            ['market-data', at(6)],
            ['market-data', at(4)],
          ],
          [
            ['*', at(3)],
            ['market-data', at(1)],
          ],
          [],
        ]);
      });

      it('neither skips nor repeats entries that share a time across a page boundary', async () => {
        const ids: number[] = [];
        for (const outcome of ['a', 'b', 'c', 'd', 'e'])
          ids.push((await store.appendAudit(auditEntry(7, { outcome }))).id);
        const read = await pages({}, 2);
        expect(read.map((page) => page.map((entry) => entry.outcome))).toEqual([
          ['e', 'd'],
          ['c', 'b'],
          ['a'],
        ]);
        expect(read.flat().map((entry) => entry.id)).toEqual([...ids].reverse());
      });

      it('gives nothing below the first id: at it, or below it once older entries are pruned', async () => {
        await openedWith({ auditRetention: { maxEntries: 2 } });
        const ids: number[] = [];
        for (const second of [1, 2, 3, 4])
          ids.push((await store.appendAudit(auditEntry(second))).id);
        const [, pruned = 0, first = 0, last = 0] = ids;
        expect(await store.queryAudit({ beforeId: first })).toEqual([]);
        expect(await store.queryAudit({ beforeId: pruned })).toEqual([]);
        expect((await store.queryAudit({ beforeId: last })).map((entry) => entry.id)).toEqual([
          first,
        ]);
      });
    });

    describe('stored values are copies', () => {
      it('a record, override or entry mutated after saving changes nothing stored', async () => {
        const record = structuredClone(breakerRecord('db', 1)) as Mutable<BreakerRecord>;
        const options = { failureThreshold: 3, slidingWindow: { type: 'count', size: 10 } };
        const entry = structuredClone(auditEntry(1)) as Mutable<NewAuditEntry>;
        await store.saveBreaker(record);
        await store.saveOverride('db', options as PersistableOptions);
        await store.appendAudit(entry);

        record.state = 'closed';
        (record.totals as Mutable<BreakerRecord['totals']>).failures = 99;
        options.slidingWindow.size = 99;
        (entry.after as Record<string, unknown>).failureThreshold = 99;
        (entry.actor as Mutable<NewAuditEntry['actor']>).id = 'mallory';

        expect(await store.loadBreakers()).toEqual([breakerRecord('db', 1)]);
        expect(await store.loadOverrides()).toEqual({
          db: { failureThreshold: 3, slidingWindow: { type: 'count', size: 10 } },
        });
        const [stored] = await store.queryAudit();
        expect(stored).toMatchObject(auditEntry(1));
      });

      it('a value mutated after loading changes nothing stored', async () => {
        await store.saveBreaker(breakerRecord('db', 1));
        await store.saveOverride('db', { failureThreshold: 3 });
        const appended = await store.appendAudit(auditEntry(1));

        const [loaded] = (await store.loadBreakers()) as Mutable<BreakerRecord>[];
        if (loaded) loaded.state = 'closed';
        const overrides = (await store.loadOverrides()) as Record<
          string,
          Mutable<PersistableOptions>
        >;
        if (overrides.db) overrides.db.failureThreshold = 99;
        (appended.before as Record<string, unknown>).failureThreshold = 99;
        const [queried] = await store.queryAudit();
        (queried?.after as Record<string, unknown>).failureThreshold = 99;

        expect(await store.loadBreakers()).toEqual([breakerRecord('db', 1)]);
        expect(await store.loadOverrides()).toEqual({ db: { failureThreshold: 3 } });
        expect(await store.queryAudit()).toEqual([{ ...auditEntry(1), id: appended.id }]);
      });
    });

    describe('audit retention', () => {
      const day = 86_400;

      it('keeps at most maxEntries entries, the newest, and never hands out an id twice', async () => {
        await openedWith({ auditRetention: { maxEntries: 3 } });
        const ids: number[] = [];
        for (const second of [1, 2, 3, 4, 5])
          ids.push((await store.appendAudit(auditEntry(second))).id);
        expect(await auditSeconds()).toEqual([3, 4, 5]);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        expect(new Set(ids).size).toBe(5);
      });

      it('drops entries more than maxAgeDays older than the one appended, keeping one exactly that old', async () => {
        await openedWith({ auditRetention: { maxAgeDays: 1 } });
        await store.appendAudit(auditEntry(0));
        await store.appendAudit(auditEntry(day / 2));
        await store.appendAudit(auditEntry(day));
        expect(await auditSeconds()).toEqual([0, day / 2, day]);
        await store.appendAudit(auditEntry(day + 1));
        expect(await auditSeconds()).toEqual([day / 2, day, day + 1]);
        await store.appendAudit(auditEntry(3 * day));
        expect(await auditSeconds()).toEqual([3 * day]);
      });

      it('keeps 100 000 entries and 90 days by default', async () => {
        expect(defaultAuditRetention).toEqual({ maxEntries: 100_000, maxAgeDays: 90 });
        await store.appendAudit(auditEntry(0));
        await store.appendAudit(auditEntry(89 * day));
        expect(await auditSeconds()).toEqual([0, 89 * day]);
        await store.appendAudit(auditEntry(91 * day));
        expect(await auditSeconds()).toEqual([89 * day, 91 * day]);
      });

      it('refuses a bad bound with a ConfigError naming it', async () => {
        const cases: Array<[string, unknown]> = [
          ['auditRetention.maxEntries', { maxEntries: 0 }],
          ['auditRetention.maxEntries', { maxEntries: 2.5 }],
          ['auditRetention.maxAgeDays', { maxAgeDays: -1 }],
          ['auditRetention.maxAgeDays', { maxAgeDays: '90' }],
          ['auditRetention.keep', { keep: 10 }],
          ['auditRetention', 100],
        ];
        for (const [option, auditRetention] of cases) {
          const refusal = await open({ auditRetention } as StoreSettings).then(
            async (wrongly) => {
              await wrongly.cleanup();
              return undefined;
            },
            (error: unknown) => error,
          );
          expect(refusal, option).toBeInstanceOf(ConfigError);
          expect(refusal, option).toMatchObject({ option });
        }
      });

      if (persistent) {
        it('applies a lower bound given at reopen from the next append on, ids still increasing', async () => {
          const first = await store.appendAudit(auditEntry(1));
          for (const second of [2, 3, 4]) await store.appendAudit(auditEntry(second));
          await reopened({ auditRetention: { maxEntries: 1 } });
          expect(await auditSeconds()).toEqual([1, 2, 3, 4]);
          const next = await store.appendAudit(auditEntry(5));
          expect(await auditSeconds()).toEqual([5]);
          expect(next.id).toBeGreaterThan(first.id + 3);
          await reopened({ auditRetention: { maxEntries: 1 } });
          expect((await store.appendAudit(auditEntry(6))).id).toBeGreaterThan(next.id);
        });
      }
    });

    if (persistent)
      describe('persistence', () => {
        it('keeps records, overrides and the audit log across close and reopen', async () => {
          const record = breakerRecord('market-data', 4);
          await store.saveBreaker(record);
          await store.saveOverride('market-data', { failureThreshold: 2 });
          const entry = await store.appendAudit(auditEntry(1));

          const again = await reopened();
          expect(await again.loadBreakers()).toEqual([record]);
          expect(await again.loadOverrides()).toEqual({ 'market-data': { failureThreshold: 2 } });
          expect(await again.queryAudit()).toEqual([entry]);
        });

        it('keeps version ordering and increasing audit ids after a reopen', async () => {
          await store.saveBreaker(breakerRecord('db', 5));
          const first = await store.appendAudit(auditEntry(1));

          const again = await reopened();
          await again.saveBreaker(breakerRecord('db', 3, { state: 'closed', openUntil: null }));
          const second = await again.appendAudit(auditEntry(2));
          expect(await again.loadBreakers()).toEqual([breakerRecord('db', 5)]);
          expect(second.id).toBeGreaterThan(first.id);
        });

        it('keeps a deleted record deleted', async () => {
          await store.saveBreaker(breakerRecord('db', 2));
          await store.deleteBreaker('db');
          const again = await reopened();
          expect(await again.loadBreakers()).toEqual([]);
        });

        it('keeps a deleted override deleted', async () => {
          await store.saveOverride('db', { failureThreshold: 2 });
          await store.saveOverride('db', null);
          const again = await reopened();
          expect(await again.loadOverrides()).toEqual({});
        });
      });

    describe('after close', () => {
      it('rejects every call, and a second close is harmless', async () => {
        await store.close();
        await store.close();
        const calls: [string, () => Promise<unknown>][] = [
          ['loadBreakers', () => store.loadBreakers()],
          ['saveBreaker', () => store.saveBreaker(breakerRecord('db', 1))],
          ['deleteBreaker', () => store.deleteBreaker('db')],
          ['loadOverrides', () => store.loadOverrides()],
          ['saveOverride', () => store.saveOverride('db', { failureThreshold: 2 })],
          ['appendAudit', () => store.appendAudit(auditEntry(1))],
          ['queryAudit', () => store.queryAudit()],
        ];
        for (const [method, call] of calls) {
          await expect(call(), method).rejects.toThrow(/closed/);
        }
      });

      it('rejects with a StoreClosedError naming the store', async () => {
        await store.close();
        const error = await store.loadBreakers().then(
          () => undefined,
          (reason: unknown) => reason,
        );
        expect(isStoreClosedError(error)).toBe(true);
        expect(error).toMatchObject({ code: 'BW_STORE_CLOSED', store: expect.any(String) });
      });
    });
  });
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function byName(records: readonly BreakerRecord[]): BreakerRecord[] {
  return [...records].sort((a, b) => a.name.localeCompare(b.name));
}

function ms(seconds: number): number {
  return t0 + seconds * 1000;
}

function at(seconds: number): string {
  return new Date(ms(seconds)).toISOString();
}
