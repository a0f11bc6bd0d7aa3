import { type BreakerRecord, isStoreUnavailableError, type NewAuditEntry } from '@breakwater/core';
import { LocalStore } from '@breakwater/store-local';
import { afterEach, expect, it } from 'vitest';
import { describeWithTinyDisk, useTinyDisk } from '../../../tests/support/tiny-disk';

// A real full disk: a tmpfs of 512 KB that a filler file fills up, written
// to through SQLite's ordinary write path (WAL, synchronous FULL).
const tinyDisk = useTinyDisk(512 * 1024);

const t0 = Date.UTC(2026, 0, 1);

function record(version: number, state: BreakerRecord['state'] = 'forced-open'): BreakerRecord {
  return {
    name: 'payments',
    version,
    state,
    stateSince: t0 + version,
    openUntil: null,
    recoveryAttempts: 0,
    failedRecoveries: 0,
    lastRecoveryAttempt: null,
    lastFailureTime: null,
    totals: { attempts: 1, successes: 1, failures: 0, ignored: 0, rejected: 0, timeouts: 0 },
  };
}

/** An audit entry that says which one it is (`outcome`), about 1 KB long. */
function entry(n: number): NewAuditEntry {
  return {
    at: new Date(t0 + n * 1000).toISOString(),
    actor: { id: 'alice', role: 'admin' },
    action: 'force-open',
    target: 'payments',
    before: 'closed',
    after: { note: 'x'.repeat(1000) },
    outcome: `ok ${n}`,
  };
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
}

let store: LocalStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describeWithTinyDisk('LocalStore on a full disk', () => {
  it('refuses every write with a StoreUnavailableError saying what failed and what to do; reopened, it holds what was acknowledged and nothing refused', async () => {
    const disk = tinyDisk();
    const file = disk.path('state.db');
    store = await LocalStore.open(file);
    await store.saveBreaker(record(1));
    await store.saveOverride('payments', { failureThreshold: 3 });
    const acknowledged = await store.appendAudit(entry(1));

    disk.fill();
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['saving a breaker record', () => (store as LocalStore).saveBreaker(record(2, 'closed'))],
      [
        'saving a configuration override',
        () => (store as LocalStore).saveOverride('payments', { failureThreshold: 9 }),
      ],
      ['appending an audit entry', () => (store as LocalStore).appendAudit(entry(2))],
    ];
    for (const [doing, write] of writes) {
      const error = await rejection(write());
      expect(isStoreUnavailableError(error), doing).toBe(true);
      expect(error).toMatchObject({
        code: 'BW_STORE_UNAVAILABLE',
        store: `LocalStore '${file}'`,
        reason: expect.stringContaining(`${doing} failed: the disk is full (SQLITE_FULL`),
      });
      expect((error as Error).message).toMatch(
        /to fix: free space on the disk that holds the file .*Nothing of it was written$/,
      );
    }
    // Reads go on while the disk is full.
    expect(await store.queryAudit()).toEqual([acknowledged]);

    await store.close();
    disk.free();
    store = await LocalStore.open(file);
    expect(await store.loadBreakers()).toEqual([record(1)]);
    expect(await store.loadOverrides()).toEqual({ payments: { failureThreshold: 3 } });
    expect(await store.queryAudit()).toEqual([acknowledged]);
  });

  it('acknowledges audit entries until the disk fills, then refuses them: reopened, it holds exactly the acknowledged ones', async () => {
    const disk = tinyDisk();
    const file = disk.path('state.db');
    store = await LocalStore.open(file);
    disk.fill(64 * 1024);

    const acknowledged: string[] = [];
    let refused = 0;
    for (let n = 1; n <= 500 && refused < 20; n++) {
      const appended = await rejection(
        (store as LocalStore).appendAudit(entry(n)).then((stored) => {
          acknowledged.push(stored.outcome);
        }),
      );
      if (appended !== undefined) {
        expect(appended).toMatchObject({ reason: expect.stringMatching(/the disk is full/) });
        refused++;
      }
    }
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(refused).toBe(20);

    await store.close();
    disk.free();
    store = await LocalStore.open(file);
    const stored = await store.queryAudit({ limit: 10_000 });
    expect(stored.map((kept) => kept.outcome).reverse()).toEqual(acknowledged);
  });

  it('refuses to create a store on a full disk, saying so', async () => {
    const disk = tinyDisk();
    const file = disk.path('state.db');
    disk.fill();
    const error = await rejection(LocalStore.open(file));
    expect(isStoreUnavailableError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^LocalStore '${file}' is unavailable: .* failed: the disk is full \\(SQLITE_FULL`,
      ),
    );
  });
});

describeWithTinyDisk('LocalStore on a read-only file', () => {
  it('refuses to open a store it could read but not write, naming the read-only file system', async () => {
    const disk = tinyDisk();
    const writer = await LocalStore.open(disk.path('state.db'));
    try {
      await writer.saveBreaker(record(1));
      // The same file, seen through a read-only mount while its writer keeps it open.
      const file = `${disk.readOnlyView()}/state.db`;
      const error = await rejection(LocalStore.open(file));
      expect(isStoreUnavailableError(error)).toBe(true);
      expect(error).toMatchObject({
        store: `LocalStore '${file}'`,
        reason: expect.stringMatching(
          /^checking that the file can be written failed: the file system is read-only \(SQLITE_READONLY, EROFS: .*\); to fix: put the store on a writable disk/,
        ),
      });
    } finally {
      await writer.close();
    }
  });

  it('refuses to open a store on a read-only file system, saying so', async () => {
    const disk = tinyDisk();
    const file = disk.path('state.db');
    store = await LocalStore.open(file);
    await store.saveBreaker(record(1));
    await store.close();
    store = undefined;
    disk.readOnly();
    const error = await rejection(LocalStore.open(file));
    expect(isStoreUnavailableError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /failed: the file system is read-only \(SQLITE_CANTOPEN, EROFS: .*\); to fix: put the store on a writable disk/,
    );
  });
});
