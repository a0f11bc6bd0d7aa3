import type { ResolvedOptions } from './breaker-options';

/**
 * Recovery bookkeeping: attempts (entries into half-open), failed recoveries
 * (the backoff step) and the open period they lead to. Both counters start
 * again from zero only once the circuit has stayed closed for
 * `minHealthyPeriod`, so a flapping dependency keeps backing off.
 */
export class Recovery {
  /** Entries into half-open since the last healthy period. */
  attempts = 0;
  /** Recoveries that failed since the last healthy period: the backoff step k. */
  failed = 0;
  /** Recoveries that failed since the last successful one (for `maxRecoveryAttempts`). */
  failedInARow = 0;
  /** Wall time of the last entry into half-open, epoch ms. */
  lastAttemptAt: number | undefined;
  /** Lifetime totals, for the recovery success rate. */
  totalSucceeded = 0;
  totalFailed = 0;

  /** Open period after `failed` failed recoveries: min(resetTimeout × multiplier^k, maxResetTimeout). */
  openPeriod(options: ResolvedOptions): number {
    const period = options.resetTimeout * options.backoffMultiplier ** this.failed;
    return Math.min(period, options.maxResetTimeout);
  }

  attempted(wallNow: number): void {
    this.attempts++;
    this.lastAttemptAt = wallNow;
  }

  /** Records a failed recovery; true when it is the `maxRecoveryAttempts`-th failure in a row. */
  recordFailure(options: ResolvedOptions): boolean {
    this.failed++;
    this.failedInARow++;
    this.totalFailed++;
    return this.failedInARow === options.maxRecoveryAttempts;
  }

  /** A successful recovery ends a run of failures (the backoff step stays until a healthy period). */
  recordSuccess(): void {
    this.totalSucceeded++;
    this.failedInARow = 0;
  }

  /** Forgets the current episode (after a healthy period or a manual reset). */
  restart(): void {
    this.attempts = 0;
    this.failed = 0;
    this.failedInARow = 0;
  }

  /** Successful recoveries over all finished ones; null before the first. */
  successRate(): number | null {
    const finished = this.totalSucceeded + this.totalFailed;
    return finished === 0 ? null : this.totalSucceeded / finished;
  }
}
