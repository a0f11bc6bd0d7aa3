import { maxDuration } from '../options/option-checks';
import type { BreakerStats } from './breaker-stats';
import type { CircuitState, StateName } from './circuit-state';
import type { Recovery } from './recovery';

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
 * it) — except one longer than any option allows (an old store's), which
 * ends after the longest duration instead; a half-open circuit comes back
 * half-open with no trial in flight, since the trials died with the process
 * that ran them.
 */
export function stateFromRecord(record: BreakerRecord, now: number, wallNow: number): CircuitState {
  const since = now - Math.max(0, wallNow - record.stateSince);
  switch (record.state) {
    case 'open':
      return { name: 'open', since, openUntil: now + remainingOpen(record, wallNow) };
    case 'half-open':
      return { name: 'half-open', since, trials: [], successes: 0 };
    case 'closed':
    case 'forced-open':
    case 'disabled':
      return { name: record.state, since };
  }
}

/** Ms left of a record's open period at `wallNow`, from 0 to the longest duration. */
export function remainingOpen(record: BreakerRecord, wallNow: number): number {
  return Math.min(maxDuration, Math.max(0, (record.openUntil ?? wallNow) - wallNow));
}

/** The same instant on both clocks: monotonic ms (`now`) and epoch ms (`wallNow`). */
export interface RecordClocks {
  readonly now: number;
  readonly wallNow: number;
}

/** The record of a breaker's state, recovery counters and totals; durations move to the wall clock. */
export function recordOf(
  name: string,
  version: number,
  state: CircuitState,
  { now, wallNow }: RecordClocks,
  stats: BreakerStats,
  recovery: Recovery,
): BreakerRecord {
  return {
    name,
    version,
    state: state.name,
    stateSince: wallNow - (now - state.since),
    openUntil: state.name === 'open' ? wallNow + (state.openUntil - now) : null,
    recoveryAttempts: recovery.attempts,
    failedRecoveries: recovery.failed,
    lastRecoveryAttempt: recovery.lastAttemptAt ?? null,
    lastFailureTime: stats.lastFailureAt ?? null,
    totals: {
      attempts: stats.totalAttempts,
      successes: stats.totalSuccesses,
      failures: stats.totalFailures,
      ignored: stats.totalIgnored,
      rejected: stats.rejected,
      timeouts: stats.timeouts,
    },
  };
}

/** Takes up a record's lifetime totals (after a restart: they are this breaker's own). */
export function takeTotals(stats: BreakerStats, record: BreakerRecord): void {
  const { totals } = record;
  stats.totalAttempts = totals.attempts;
  stats.totalSuccesses = totals.successes;
  stats.totalFailures = totals.failures;
  stats.totalIgnored = totals.ignored;
  stats.rejected = totals.rejected;
  stats.timeouts = totals.timeouts;
  stats.lastFailureAt = record.lastFailureTime ?? undefined;
}

/**
 * Takes up a record's recovery counters, so the backoff goes on where it was.
 * The record does not say whether a recovery succeeded between its failures,
 * so the run of failures toward `maxRecoveryAttempts` is kept as this breaker
 * counted it, never above the record's failed recoveries.
 */
export function takeRecovery(recovery: Recovery, record: BreakerRecord): void {
  recovery.attempts = record.recoveryAttempts;
  recovery.failed = record.failedRecoveries;
  recovery.failedInARow = Math.min(recovery.failedInARow, record.failedRecoveries);
  recovery.lastAttemptAt = record.lastRecoveryAttempt ?? undefined;
}
