import type { StateName, TransitionReason } from '@breakwater/core';

/**
 * A reference model of the breaker's state machine: plain, slow and written
 * to be read next to the specification, not to be fast. The property test
 * runs it side by side with `CircuitBreaker` and compares them after every
 * command.
 *
 * Where the specification is silent, the model makes these choices:
 * - `failures` (consecutive mode) counts every failure of a call that
 *   finishes in the state it started in (a failed trial included); any such
 *   success sets it to 0. `successes` is the mirror image.
 * - `failures` (monitoringWindow mode) counts failures recorded while closed
 *   or disabled; a failed trial in half-open is a recovery outcome, not a
 *   windowed failure.
 * - Disabled records outcomes as closed does (counts, windows) but never trips.
 * - The failure-rate window holds the outcomes recorded while closed or
 *   disabled, and is forgotten whenever the failure counts are (entering
 *   closed, `reset()`).
 * - The monitoring window ages failures exactly as the implementation's 20
 *   buckets do (see {@link ReferenceBreaker.failureCount}).
 */

/** The options the model understands (the breaker gets the same object). */
export interface ModelOptions {
  readonly failureThreshold: number;
  readonly successThreshold: number;
  readonly halfOpenMaxCalls: number;
  readonly resetTimeout: number;
  readonly backoffMultiplier: number;
  readonly maxResetTimeout: number;
  /** Only fires `recoveryExhausted`, which the model does not follow. */
  readonly maxRecoveryAttempts: number;
  readonly minHealthyPeriod: number;
  readonly monitoringWindow?: number;
  readonly failureRateThreshold?: number;
  readonly minimumCalls?: number;
  readonly slidingWindow?: { readonly type: 'count'; readonly size: number };
}

/** The part of `BreakerStatus` the model predicts. */
export interface ModelStatus {
  readonly state: StateName;
  readonly failures: number;
  readonly successes: number;
  readonly recoveryAttempts: number;
  readonly failedRecoveries: number;
  readonly recoveryIn: number | null;
  readonly totalSuccesses: number;
  readonly totalFailures: number;
  readonly rejected: number;
}

export interface ModelTransition {
  readonly from: StateName;
  readonly to: StateName;
  readonly reason: TransitionReason;
}

/** An admitted call: it remembers which state (epoch) it started in. */
export interface ModelCall {
  readonly epoch: number;
}

/** The monitoring window ages in this many buckets. */
const windowBuckets = 20;

export class ReferenceBreaker {
  readonly options: ModelOptions;
  /** Every transition so far, in order. */
  readonly transitions: ModelTransition[] = [];
  /** Monotonic time, ms. */
  now = 0;
  state: StateName = 'closed';
  /** Bumped by every transition: a completion from an older epoch is stale. */
  epoch = 0;
  /** When the current state was entered. */
  stateSince = 0;
  /** While open: when a call may become a trial. */
  openUntil = 0;
  consecutiveFailures = 0;
  /** Times of the failures recorded for `monitoringWindow`. */
  failureTimes: number[] = [];
  /** Outcomes for the failure-rate rule, oldest first (true = failure). */
  rateWindow: boolean[] = [];
  successes = 0;
  trialsInFlight = 0;
  recoveryAttempts = 0;
  failedRecoveries = 0;
  totalSuccesses = 0;
  totalFailures = 0;
  rejected = 0;

  constructor(options: ModelOptions) {
    this.options = options;
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** `execute()`: the admitted call, or undefined when it is rejected. */
  start(): ModelCall | undefined {
    if (this.state === 'open') {
      if (this.now < this.openUntil) return this.reject();
      this.recoveryAttempts += 1;
      this.enter('half-open', 'reset-timeout-elapsed');
    }
    if (this.state === 'half-open') {
      if (this.trialsInFlight >= this.options.halfOpenMaxCalls) return this.reject();
      this.trialsInFlight += 1;
    }
    if (this.state === 'forced-open') return this.reject();
    return { epoch: this.epoch };
  }

  succeed(call: ModelCall): void {
    this.totalSuccesses += 1;
    if (call.epoch !== this.epoch) return;
    this.consecutiveFailures = 0;
    this.successes += 1;
    if (this.state === 'closed' || this.state === 'disabled') {
      this.recordOutcome(false);
      if (this.state === 'closed' && this.failureRateReached()) this.trip('failure-rate');
    } else if (this.state === 'half-open') {
      this.trialsInFlight -= 1;
      if (this.successes >= this.options.successThreshold) {
        this.enter('closed', 'half-open-success');
      }
    }
  }

  fail(call: ModelCall): void {
    this.totalFailures += 1;
    if (call.epoch !== this.epoch) return;
    this.successes = 0;
    this.consecutiveFailures += 1;
    if (this.state === 'closed' || this.state === 'disabled') {
      this.failureTimes.push(this.now);
      this.recordOutcome(true);
      if (this.state !== 'closed') return;
      if (this.failureCount() >= this.options.failureThreshold) {
        this.trip(
          this.options.monitoringWindow === undefined
            ? 'consecutive-failures'
            : 'failure-count-in-window',
        );
      } else if (this.failureRateReached()) {
        this.trip('failure-rate');
      }
    } else if (this.state === 'half-open') {
      this.trialsInFlight -= 1;
      this.failedRecoveries += 1;
      this.open('half-open-failure');
    }
  }

  forceOpen(): void {
    if (this.state !== 'forced-open') this.enter('forced-open', 'manual');
  }

  disable(): void {
    if (this.state !== 'disabled') this.enter('disabled', 'manual');
  }

  release(): void {
    if (this.state === 'forced-open' || this.state === 'disabled') this.enter('closed', 'manual');
  }

  reset(): void {
    this.recoveryAttempts = 0;
    this.failedRecoveries = 0;
    if (this.state === 'closed') this.forgetCounts();
    else this.enter('closed', 'manual');
  }

  /** `status()`: reading it is also when a long enough closed period ends the episode. */
  status(): ModelStatus {
    this.endEpisodeIfHealthy();
    return {
      state: this.state,
      failures: this.failureCount(),
      successes: this.successes,
      recoveryAttempts: this.recoveryAttempts,
      failedRecoveries: this.failedRecoveries,
      recoveryIn: this.state === 'open' ? Math.max(0, this.openUntil - this.now) : null,
      totalSuccesses: this.totalSuccesses,
      totalFailures: this.totalFailures,
      rejected: this.rejected,
    };
  }

  /**
   * Consecutive failures, or the failures inside `monitoringWindow`. The
   * implementation ages the window in 20 buckets of `monitoringWindow / 20`
   * ms, numbered floor(t / width): a failure counts while fewer than 20
   * bucket numbers separate it from now. That is never longer than the
   * window, and at most one bucket shorter.
   */
  failureCount(): number {
    const size = this.options.monitoringWindow;
    if (size === undefined) return this.consecutiveFailures;
    const bucket = (time: number) => Math.floor(time / (size / windowBuckets));
    return this.failureTimes.filter((time) => bucket(this.now) - bucket(time) < windowBuckets)
      .length;
  }

  // ── helpers ───────────────────────────────────────────────────────────

  private reject(): undefined {
    this.rejected += 1;
    return undefined;
  }

  private recordOutcome(failure: boolean): void {
    const size = this.options.slidingWindow?.size;
    if (size === undefined) return;
    this.rateWindow.push(failure);
    if (this.rateWindow.length > size) this.rateWindow.shift();
  }

  private failureRateReached(): boolean {
    const threshold = this.options.failureRateThreshold;
    if (threshold === undefined) return false;
    const calls = this.rateWindow.length;
    if (calls < (this.options.minimumCalls ?? 10)) return false;
    const failures = this.rateWindow.filter((failure) => failure).length;
    return failures / calls >= threshold;
  }

  private endEpisodeIfHealthy(): void {
    if (this.state === 'closed' && this.now - this.stateSince >= this.options.minHealthyPeriod) {
      this.recoveryAttempts = 0;
      this.failedRecoveries = 0;
    }
  }

  /** Closed → open. */
  private trip(reason: TransitionReason): void {
    this.endEpisodeIfHealthy();
    this.open(reason);
  }

  private open(reason: TransitionReason): void {
    const { resetTimeout, backoffMultiplier, maxResetTimeout } = this.options;
    const period = Math.min(
      resetTimeout * backoffMultiplier ** this.failedRecoveries,
      maxResetTimeout,
    );
    this.openUntil = this.now + period;
    this.enter('open', reason);
  }

  private enter(to: StateName, reason: TransitionReason): void {
    this.transitions.push({ from: this.state, to, reason });
    this.state = to;
    this.epoch += 1;
    this.stateSince = this.now;
    if (to === 'closed') this.forgetCounts();
    if (to === 'half-open') {
      this.successes = 0;
      this.trialsInFlight = 0;
    }
  }

  private forgetCounts(): void {
    this.consecutiveFailures = 0;
    this.failureTimes = [];
    this.rateWindow = [];
    this.successes = 0;
  }
}
