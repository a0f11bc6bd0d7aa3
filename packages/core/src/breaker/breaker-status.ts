import type { LatencyPercentiles } from '../window/latency-histogram';
import type { StateName } from './circuit-state';

/**
 * A breaker's plain, JSON-safe snapshot. Field names follow the seeds, so
 * code written against any of them finds what it expects (`status` and
 * `state`, `failures` and `failureCount` are the same values under each
 * seed's name). Durations are ms; rates are fractions in 0..1.
 */
export interface BreakerStatus {
  readonly name: string;
  readonly state: StateName;
  /** Same as `state` (seed 000's name). */
  readonly status: StateName;
  /** One sentence for people: what the breaker is doing and why. */
  readonly details: string;
  /** Failures counted toward `failureThreshold`: consecutive, or inside `monitoringWindow`. */
  readonly failures: number;
  /** Same as `failures` (seeds 002 and 003). */
  readonly failureCount: number;
  /** Consecutive successes; in half-open, the successful trials so far. */
  readonly successes: number;
  /** Last failure, ISO 8601, or null. */
  readonly lastFailure: string | null;
  /** Last failure, epoch ms, or null (seed 004). */
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

/** Renders an epoch-ms time as ISO 8601, keeping null for "never". */
export function isoTime(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
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
