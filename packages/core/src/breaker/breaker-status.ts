import type { LatencyPercentiles } from '../window/latency-histogram';
import type { OutcomeWindow } from '../window/outcome-window';
import type { ResolvedOptions } from './breaker-options';
import type { BreakerStats } from './breaker-stats';
import type { CircuitState, StateName } from './circuit-state';
import type { Recovery } from './recovery';

/**
 * A breaker's plain, JSON-safe snapshot. Durations are ms; rates are fractions
 * in 0..1. Each fact has one name, the one the v2 monitoring protocol carries
 * (`state`, `failureCount`, `lastFailure`); the older aliases `status`,
 * `failures` and `lastFailureTime` still carry their values for one release.
 */
export interface BreakerStatus {
  readonly name: string;
  /** The breaker's state. */
  readonly state: StateName;
  /**
   * @deprecated Use {@link BreakerStatus.state}, which holds the same value;
   * `status` goes in the next release. (On the monitoring protocol, `status`
   * is a service's health, not its circuit state.)
   */
  readonly status: StateName;
  /** One sentence for people: what the breaker is doing and why. */
  readonly details: string;
  /** Failures counted toward `failureThreshold`: consecutive, or inside `monitoringWindow`. */
  readonly failureCount: number;
  /**
   * @deprecated Use {@link BreakerStatus.failureCount}, which holds the same
   * value; `failures` goes in the next release.
   */
  readonly failures: number;
  /** Consecutive successes; in half-open, the successful trials so far. */
  readonly successes: number;
  /** Last failure, ISO 8601, or null. */
  readonly lastFailure: string | null;
  /**
   * @deprecated Use {@link BreakerStatus.lastFailure}, the same instant as ISO
   * 8601 (`Date.parse(lastFailure)` gives these epoch ms); `lastFailureTime`
   * goes in the next release.
   */
  readonly lastFailureTime: number | null;
  /** Name and message of the last failure, or null. */
  readonly lastError: { readonly name: string; readonly message: string } | null;
  /** Entries into half-open since the last healthy period. */
  readonly recoveryAttempts: number;
  /** Last entry into half-open, ISO 8601, or null. */
  readonly lastRecoveryAttempt: string | null;
  /** Recoveries that failed since the last healthy period (the backoff step). */
  readonly failedRecoveries: number;
  /** Open period the next (or current) opening lasts, ms. */
  readonly currentResetTimeout: number;
  /** End of the current open period, ISO 8601; null unless open. */
  readonly openUntil: string | null;
  /** Ms until a trial call is admitted (0 = the next call is a trial); null unless open. */
  readonly recoveryIn: number | null;
  readonly totalAttempts: number;
  readonly totalSuccesses: number;
  readonly totalFailures: number;
  readonly totalIgnored: number;
  /** Calls rejected without running (fast fails). */
  readonly rejected: number;
  readonly timeouts: number;
  /** Trial calls running now (half-open only, else 0). */
  readonly halfOpenInFlight: number;
  /** Ms since the last transition (or creation). */
  readonly timeInCurrentState: number;
  /** Failure rate over the sliding window (0 when empty). */
  readonly failureRate: number;
  /** Slow-call rate over the timed calls of the sliding window (0 when none). */
  readonly slowCallRate: number;
  /** Calls in the sliding window. */
  readonly windowCalls: number;
  /** Call duration percentiles, ms, from a fixed-bucket histogram of the timed calls. */
  readonly latency: LatencyPercentiles;
  /** Lifetime failures by error name. */
  readonly failuresByError: Readonly<Record<string, number>>;
  /** Number of state changes. */
  readonly transitions: number;
  /** Lifetime ms spent in each state, including the current one. */
  readonly timeInState: Readonly<Record<StateName, number>>;
  /** Successful recoveries over all finished ones; null before the first. */
  readonly recoverySuccessRate: number | null;
}

/** The furthest instant from 1970 a `Date` can hold, ms (the years −271 821 and 275 760). */
export const dateRange = 8.64e15;

/**
 * Renders an epoch-ms time as ISO 8601, keeping null for "never". A time no
 * `Date` can hold (a record from an old store) is null too: a status must
 * always be readable, and `toISOString` would throw.
 */
export function isoTime(epochMs: number | undefined): string | null {
  if (epochMs === undefined || !(Math.abs(epochMs) <= dateRange)) return null;
  return new Date(epochMs).toISOString();
}

/** The `details` sentence for a state. */
export function describeState(
  state: StateName,
  failures: number,
  recoveryIn: number | null,
  halfOpenProgress: string,
): string {
  switch (state) {
    case 'closed':
      return failures === 0 ? 'Operating normally' : `Operating; ${failures} recent failure(s)`;
    case 'open':
      return recoveryIn === 0
        ? 'Open: the next call is a recovery trial'
        : `Open: rejecting calls; recovery trial in ${Math.ceil(recoveryIn ?? 0)} ms`;
    case 'half-open':
      return `Half-open: testing recovery (${halfOpenProgress})`;
    case 'forced-open':
      return 'Forced open by an operator: rejecting every call until released';
    case 'disabled':
      return 'Disabled by an operator: every call passes, nothing trips';
  }
}

/** Everything a status is made from, read at one instant. */
export interface StatusInput {
  readonly name: string;
  readonly state: CircuitState;
  /** Monotonic ms. */
  readonly now: number;
  /** Wall time, epoch ms. */
  readonly wallNow: number;
  readonly failures: number;
  readonly successes: number;
  readonly options: ResolvedOptions;
  readonly stats: BreakerStats;
  readonly recovery: Recovery;
  readonly window: OutcomeWindow;
}

/** Builds the JSON-safe snapshot. */
export function buildStatus(input: StatusInput): BreakerStatus {
  const { name, state, now, wallNow, failures, options, stats, recovery, window } = input;
  const recoveryIn = state.name === 'open' ? Math.max(0, state.openUntil - now) : null;
  const halfOpen = state.name === 'half-open' ? state : undefined;
  const progress = `${halfOpen?.successes ?? 0}/${options.successThreshold} successful trials`;
  return {
    name,
    state: state.name,
    status: state.name,
    details: describeState(state.name, failures, recoveryIn, progress),
    failures,
    failureCount: failures,
    successes: input.successes,
    lastFailure: isoTime(stats.lastFailureAt),
    lastFailureTime: stats.lastFailureAt ?? null,
    lastError: stats.lastError ?? null,
    recoveryAttempts: recovery.attempts,
    lastRecoveryAttempt: isoTime(recovery.lastAttemptAt),
    failedRecoveries: recovery.failed,
    currentResetTimeout: recovery.openPeriod(options),
    openUntil: state.name === 'open' ? isoTime(wallNow + (state.openUntil - now)) : null,
    recoveryIn,
    totalAttempts: stats.totalAttempts,
    totalSuccesses: stats.totalSuccesses,
    totalFailures: stats.totalFailures,
    totalIgnored: stats.totalIgnored,
    rejected: stats.rejected,
    timeouts: stats.timeouts,
    halfOpenInFlight: halfOpen?.trials.length ?? 0,
    timeInCurrentState: now - state.since,
    failureRate: window.calls === 0 ? 0 : window.failures / window.calls,
    slowCallRate: window.timedCalls === 0 ? 0 : window.slowCalls / window.timedCalls,
    windowCalls: window.calls,
    latency: stats.latency.percentiles(),
    failuresByError: stats.failuresByError(),
    transitions: stats.transitions,
    timeInState: stats.timeInState(state.name, now - state.since),
    recoverySuccessRate: recovery.successRate(),
  };
}
