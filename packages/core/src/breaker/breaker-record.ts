import type { CircuitState, StateName } from './circuit-state';

/**
 * What survives a breaker: the state with its open period on the wall clock,
 * the recovery counters and the lifetime totals. Plain JSON, so a store can
 * keep it and another process (or a restart) can take it up. `version` is
 * owned by whoever persists the record (it increases with every save).
 */
export interface BreakerRecord {
  readonly name: string;
  readonly version: number;
  readonly state: StateName;
  /** Wall time (epoch ms) the state was entered. */
  readonly stateSince: number;
  /** Wall time (epoch ms) the open period ends; null unless open. */
  readonly openUntil: number | null;
  readonly recoveryAttempts: number;
  readonly failedRecoveries: number;
  readonly lastRecoveryAttempt: number | null;
  readonly lastFailureTime: number | null;
  readonly totals: BreakerTotals;
}

export interface BreakerTotals {
  readonly attempts: number;
  readonly successes: number;
  readonly failures: number;
  readonly ignored: number;
  readonly rejected: number;
  readonly timeouts: number;
}

/**
 * The live state a record stands for, on this process's monotonic clock. An
 * open period keeps its wall-clock end (a restart must not shorten or renew
 * it); a half-open circuit comes back half-open with no trial in flight,
 * since the trials died with the process that ran them.
 */
export function stateFromRecord(record: BreakerRecord, now: number, wallNow: number): CircuitState {
  const since = now - Math.max(0, wallNow - record.stateSince);
  switch (record.state) {
    case 'open':
      return {
        name: 'open',
        since,
        openUntil: now + Math.max(0, (record.openUntil ?? wallNow) - wallNow),
      };
    case 'half-open':
      return { name: 'half-open', since, inFlight: 0, successes: 0 };
    case 'closed':
    case 'forced-open':
    case 'disabled':
      return { name: record.state, since };
  }
}
