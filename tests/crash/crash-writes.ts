import type {
  BreakerRecord,
  NewAuditEntry,
  PersistableOptions,
  StateStore,
} from '@breakwater/core';

/** The kinds of write the crash child streams, in turn. */
export const writeKinds = ['breaker', 'override', 'audit'] as const;
export type WriteKind = (typeof writeKinds)[number];

export const crashBreaker = 'crash-breaker';
export const crashService = 'crash-service';
const t0 = Date.UTC(2026, 0, 1);

/** Write number `n` of the stream: everything written encodes `n`, so the test can tell which write it sees. */
export function crashWrite(store: StateStore, kind: WriteKind, n: number): Promise<unknown> {
  switch (kind) {
    case 'breaker':
      return store.saveBreaker(crashRecord(n));
    case 'override':
      return store.saveOverride(crashService, crashOverride(n));
    case 'audit':
      return store.appendAudit(crashAudit(n));
  }
}

export function crashRecord(n: number): BreakerRecord {
  return {
    name: crashBreaker,
    version: n,
    state: n % 2 === 0 ? 'open' : 'closed',
    stateSince: t0 + n,
    openUntil: n % 2 === 0 ? t0 + n + 30_000 : null,
    recoveryAttempts: n % 4,
    failedRecoveries: 0,
    lastRecoveryAttempt: null,
    lastFailureTime: t0 + n,
    totals: { attempts: n, successes: 0, failures: n, ignored: 0, rejected: 0, timeouts: 0 },
  };
}

export function crashOverride(n: number): PersistableOptions {
  return { failureThreshold: n, resetTimeout: 1_000 + n };
}

export function crashAudit(n: number): NewAuditEntry {
  return {
    at: new Date(t0 + n).toISOString(),
    actor: { id: 'crash-test', role: 'admin' },
    action: 'configure',
    target: crashService,
    before: { n: n - 1 },
    after: { n },
    outcome: 'ok',
  };
}
