import {
  type BreakerRecord,
  type BreakerTotals,
  maxDuration,
  type StateName,
  type TransitionReason,
  type TripReason,
} from '@breakwater/core';
import {
  type ModelOptions,
  mergeOptions,
  optionProblems,
  type Settings,
  sameWindow,
  settingsOf,
} from './model-options';
import { ModelFailureWindow, ModelSlidingWindow } from './model-windows';

/**
 * A reference model of the breaker's state machine: plain, slow and written
 * to be read next to docs/configuration.md, not to be fast. The property test
 * runs it side by side with `CircuitBreaker` and compares them after every
 * command.
 *
 * The rules it states, where the docs leave room:
 * - A call remembers the state (epoch) it started in. Its outcome always
 *   counts in the lifetime totals, but drives counts, windows and
 *   transitions only if that state is still the current one: a call still
 *   running when the circuit opened, or when it was reset out of open, ends
 *   late and changes nothing but the totals. (`reset()` while closed stays
 *   in the same state, so calls in flight then still count.)
 * - A trial given up at its deadline (`trialTimeout`) counted as a failure
 *   then; whatever it does later — succeed, fail, time out, be aborted — is
 *   ignored entirely, totals included. Its caller still gets it.
 * - `failureCount` is the consecutive failures (every failure of a call that
 *   ends in the state it started in, a failed trial included), or the
 *   failures recorded while closed or disabled inside `monitoringWindow`.
 *   Consecutive counts survive every state but closed-after-a-transition.
 * - Disabled records outcomes as closed does (counts, windows) but never trips.
 * - A caller's abort counts the call as neither success nor failure
 *   (`totalIgnored`), and frees its trial permit.
 * - Durations are measured for one call in `latencySampling`, the first
 *   included, and for every call while `slowCallRateThreshold` is set; only
 *   measured calls can be slow.
 */

/** Monotonic and wall time, as a `FakeClock` at its default start gives them. */
export class ModelClock {
  /** Monotonic ms. */
  now = 0;
  /** Epoch ms at monotonic 0. */
  readonly wallOrigin = Date.UTC(2026, 0, 1);

  get wall(): number {
    return this.wallOrigin + this.now;
  }
}

export type ModelEvent =
  | {
      readonly type: 'stateChange';
      readonly from: StateName;
      readonly to: StateName;
      readonly reason: TransitionReason;
    }
  | {
      readonly type: 'recoveryExhausted';
      readonly failedRecoveries: number;
      readonly failedInARow: number;
      readonly nextResetTimeout: number;
    };

/** What a rejected call's `CircuitOpenError` carries. */
export interface Rejection {
  readonly kind: 'rejected';
  readonly state: 'open' | 'half-open' | 'forced-open';
  readonly retryAfter: number | undefined;
}

/** A half-open trial: it holds a permit until it ends, or until it is given up at its deadline. */
export interface Trial {
  readonly deadline: number;
  readonly limit: number;
  ended: boolean;
}

/** An admitted call, as the breaker that admitted it knows it. */
export interface ModelCall {
  readonly kind: 'admitted';
  readonly breaker: ReferenceBreaker;
  readonly epoch: number;
  readonly startedAt: number;
  /** Its duration is measured (latency, slow-call rate). */
  readonly timed: boolean;
  /** The call's timeout in ms: its own, else the breaker's `timeout`. */
  readonly timeout: number | undefined;
  readonly trial: Trial | undefined;
}

/** The part of `BreakerStatus` the model predicts. */
export interface ModelStatus {
  readonly state: StateName;
  readonly failureCount: number;
  readonly successes: number;
  readonly recoveryAttempts: number;
  readonly failedRecoveries: number;
  readonly currentResetTimeout: number;
  readonly recoveryIn: number | null;
  readonly totalAttempts: number;
  readonly totalSuccesses: number;
  readonly totalFailures: number;
  readonly totalIgnored: number;
  readonly rejected: number;
  readonly timeouts: number;
  readonly halfOpenInFlight: number;
  readonly timeInCurrentState: number;
  readonly failureRate: number;
  readonly slowCallRate: number;
  readonly windowCalls: number;
  readonly latencySamples: number;
  readonly transitions: number;
}

/** The part of `BreakerRecord` the model predicts. */
export type ModelRecord = Pick<
  BreakerRecord,
  'state' | 'stateSince' | 'openUntil' | 'recoveryAttempts' | 'failedRecoveries' | 'totals'
>;

export class ReferenceBreaker {
  readonly clock: ModelClock;
  given: ModelOptions;
  settings: Settings;
  /** Every `stateChange` and `recoveryExhausted` event so far, in order. */
  readonly events: ModelEvent[] = [];
  state: StateName = 'closed';
  /** Bumped by every transition: a completion from an older epoch is stale. */
  epoch = 0;
  /** When the current state was entered (monotonic). */
  since: number;
  /** While open: when a call may become a trial. */
  openUntil = 0;
  /** Trials in flight in the current half-open state, in the order they were admitted. */
  trials: Trial[] = [];
  /** The highest `halfOpenMaxCalls` in force since half-open was entered. */
  permitCeiling = 0;
  consecutiveFailures = 0;
  consecutiveSuccesses = 0;
  window: ModelSlidingWindow;
  failureWindow: ModelFailureWindow | undefined;
  /** Entries into half-open, failed recoveries (the backoff step), failed recoveries in a row. */
  readonly recovery = { attempts: 0, failed: 0, failedInARow: 0 };
  totals: BreakerTotals = {
    attempts: 0,
    successes: 0,
    failures: 0,
    ignored: 0,
    rejected: 0,
    timeouts: 0,
  };
  latencySamples = 0;
  /** Calls left until the next measured one. */
  untilTimedCall = 1;

  constructor(given: ModelOptions, clock: ModelClock) {
    this.clock = clock;
    this.given = given;
    this.settings = settingsOf(given);
    this.since = clock.now;
    this.window = new ModelSlidingWindow(this.settings.slidingWindow);
    this.failureWindow = failureWindowFor(this.settings.monitoringWindow);
  }

  get now(): number {
    return this.clock.now;
  }

  // ── calls ─────────────────────────────────────────────────────────────

  /** `execute()`: the admitted call, or the rejection. */
  start(ownTimeout: number | undefined): ModelCall | Rejection {
    const timeout = ownTimeout ?? this.settings.timeout;
    if (this.state === 'forced-open') return this.reject('forced-open', undefined);
    if (this.state === 'open') {
      if (this.now < this.openUntil) return this.reject('open', this.openUntil - this.now);
      this.recovery.attempts += 1;
      this.enter('half-open', 'reset-timeout-elapsed');
    } else if (this.giveUpOverdueTrial()) {
      return this.reject('open', this.openUntil - this.now);
    }
    let trial: Trial | undefined;
    if (this.state === 'half-open') {
      if (this.trials.length >= this.settings.halfOpenMaxCalls) return this.reject('half-open', 0);
      // Never given up before its own timeout could end it.
      const limit = Math.max(this.settings.trialTimeout, timeout ?? 0);
      trial = { deadline: this.now + limit, limit, ended: false };
      this.trials.push(trial);
    }
    this.count('attempts');
    return {
      kind: 'admitted',
      breaker: this,
      epoch: this.epoch,
      startedAt: this.now,
      timed: this.takeTiming(),
      timeout,
      trial,
    };
  }

  succeed(call: ModelCall): void {
    if (!this.endTrial(call)) return;
    this.count('successes');
    const duration = this.measure(call);
    if (call.epoch !== this.epoch) return;
    this.consecutiveFailures = 0;
    this.consecutiveSuccesses += 1;
    if (this.state === 'closed' || this.state === 'disabled') {
      this.window.record(this.outcome(call, duration, false));
      const reason = this.state === 'closed' ? this.rateRule() : undefined;
      if (reason) this.trip(reason);
    } else if (this.state === 'half-open') {
      if (this.consecutiveSuccesses >= this.settings.successThreshold) {
        this.recovery.failedInARow = 0;
        this.enter('closed', 'half-open-success');
      }
    }
  }

  fail(call: ModelCall): void {
    if (this.endTrial(call)) this.recordFailure(call);
  }

  /** The call's timeout fired before it settled: a failure, also counted in `timeouts`. */
  timeOut(call: ModelCall): void {
    if (!this.endTrial(call)) return;
    this.count('timeouts');
    this.recordFailure(call);
  }

  /** The caller's signal aborted the call: neither success nor failure. */
  abort(call: ModelCall): void {
    if (this.endTrial(call)) this.count('ignored');
  }

  // ── operators ─────────────────────────────────────────────────────────

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
    this.restartRecovery();
    if (this.state === 'closed') this.clearCounts();
    else this.enter('closed', 'manual');
  }

  /** Merges `changes` into the options; returns the options a `ConfigError` may name, and then changes nothing. */
  reconfigure(changes: ModelOptions): string[] {
    const given = mergeOptions(this.given, changes);
    const problems = optionProblems(given);
    if (problems.length > 0) return problems;
    const next = settingsOf(given);
    if (!sameWindow(next.slidingWindow, this.settings.slidingWindow)) {
      this.window = new ModelSlidingWindow(next.slidingWindow);
    }
    if (next.monitoringWindow !== this.settings.monitoringWindow) {
      this.failureWindow = failureWindowFor(next.monitoringWindow);
    }
    this.given = given;
    this.settings = next;
    this.untilTimedCall = Math.min(this.untilTimedCall, this.timingInterval());
    this.permitCeiling = Math.max(this.permitCeiling, next.halfOpenMaxCalls);
    return [];
  }

  // ── reading ───────────────────────────────────────────────────────────

  /** `status()`: reading it also gives up an overdue trial and ends a healthy period. */
  status(): ModelStatus {
    this.giveUpOverdueTrial();
    this.endEpisodeIfHealthy();
    const window = this.window.totals(this.now);
    return {
      state: this.state,
      failureCount: this.failureCount(),
      successes: this.consecutiveSuccesses,
      recoveryAttempts: this.recovery.attempts,
      failedRecoveries: this.recovery.failed,
      currentResetTimeout: this.openPeriod(),
      recoveryIn: this.state === 'open' ? Math.max(0, this.openUntil - this.now) : null,
      totalAttempts: this.totals.attempts,
      totalSuccesses: this.totals.successes,
      totalFailures: this.totals.failures,
      totalIgnored: this.totals.ignored,
      rejected: this.totals.rejected,
      timeouts: this.totals.timeouts,
      halfOpenInFlight: this.state === 'half-open' ? this.trials.length : 0,
      timeInCurrentState: this.now - this.since,
      failureRate: window.calls === 0 ? 0 : window.failures / window.calls,
      slowCallRate: window.timedCalls === 0 ? 0 : window.slowCalls / window.timedCalls,
      windowCalls: window.calls,
      latencySamples: this.latencySamples,
      transitions: this.events.filter((event) => event.type === 'stateChange').length,
    };
  }

  /** `toRecord()`: the state on the wall clock, recovery counters and totals. */
  toRecord(): ModelRecord {
    this.giveUpOverdueTrial();
    this.endEpisodeIfHealthy();
    const { wall, now } = this.clock;
    return {
      state: this.state,
      stateSince: wall - (now - this.since),
      openUntil: this.state === 'open' ? wall + (this.openUntil - now) : null,
      recoveryAttempts: this.recovery.attempts,
      failedRecoveries: this.recovery.failed,
      totals: { ...this.totals },
    };
  }

  /** A fresh breaker that took up `record` with `restore()`: state, recovery counters, totals. */
  static restored(given: ModelOptions, clock: ModelClock, record: BreakerRecord): ReferenceBreaker {
    const breaker = new ReferenceBreaker(given, clock);
    breaker.totals = { ...record.totals };
    breaker.takeRecovery(record);
    if (record.state !== 'closed') breaker.takeState(record, 'restored');
    return breaker;
  }

  /** `adopt()`: another instance's state and recovery counters; this breaker's totals stay. */
  adopt(record: BreakerRecord): void {
    this.takeRecovery(record);
    if (record.state !== this.state) {
      this.takeState(record, 'shared');
    } else if (record.state === 'open') {
      // Only the open period moved: no event, no new epoch (an open circuit runs no call).
      this.since = this.sinceOf(record);
      this.openUntil = this.openUntilOf(record);
    }
  }

  // ── rules ─────────────────────────────────────────────────────────────

  failureCount(): number {
    return this.failureWindow?.count(this.now) ?? this.consecutiveFailures;
  }

  /** `failureThreshold` failures: consecutive, or inside `monitoringWindow`. */
  private countRule(): TripReason | undefined {
    if (this.failureCount() < this.settings.failureThreshold) return undefined;
    return this.failureWindow ? 'failure-count-in-window' : 'consecutive-failures';
  }

  /** The rate rules, once the sliding window holds `minimumCalls` calls. */
  private rateRule(): TripReason | undefined {
    const { minimumCalls, failureRateThreshold, slowCallRateThreshold } = this.settings;
    const window = this.window.totals(this.now);
    if (window.calls < minimumCalls) return undefined;
    if (
      failureRateThreshold !== undefined &&
      window.failures / window.calls >= failureRateThreshold
    )
      return 'failure-rate';
    if (
      slowCallRateThreshold !== undefined &&
      window.timedCalls > 0 &&
      window.slowCalls / window.timedCalls >= slowCallRateThreshold
    )
      return 'slow-call-rate';
    return undefined;
  }

  /** min(resetTimeout × backoffMultiplier^failedRecoveries, maxResetTimeout). */
  private openPeriod(): number {
    const { resetTimeout, backoffMultiplier, maxResetTimeout } = this.settings;
    return Math.min(resetTimeout * backoffMultiplier ** this.recovery.failed, maxResetTimeout);
  }

  // ── helpers ───────────────────────────────────────────────────────────

  private recordFailure(call: ModelCall): void {
    this.count('failures');
    const duration = this.measure(call);
    if (call.epoch !== this.epoch) return;
    this.consecutiveSuccesses = 0;
    this.consecutiveFailures += 1;
    if (this.state === 'closed' || this.state === 'disabled') {
      this.failureWindow?.record(this.now);
      this.window.record(this.outcome(call, duration, true));
      const reason = this.state === 'closed' ? (this.countRule() ?? this.rateRule()) : undefined;
      if (reason) this.trip(reason);
    } else if (this.state === 'half-open') {
      this.reopen('half-open-failure');
    }
  }

  /** Ends a call's trial, freeing its permit; false when it was given up already (then nothing counts). */
  private endTrial(call: ModelCall): boolean {
    const trial = call.trial;
    if (trial === undefined) return true;
    if (trial.ended) return false;
    trial.ended = true;
    this.trials = this.trials.filter((running) => running !== trial);
    return true;
  }

  /** A trial past its deadline counts as failed and reopens the circuit; noticed lazily. */
  private giveUpOverdueTrial(): boolean {
    if (this.state !== 'half-open') return false;
    const overdue = this.trials.find((trial) => trial.deadline <= this.now);
    if (overdue === undefined) return false;
    overdue.ended = true;
    this.trials = this.trials.filter((trial) => trial !== overdue);
    this.count('failures');
    this.consecutiveSuccesses = 0;
    this.consecutiveFailures += 1;
    this.reopen('trial-timeout');
    return true;
  }

  private measure(call: ModelCall): number | undefined {
    if (!call.timed) return undefined;
    this.latencySamples += 1;
    return this.now - call.startedAt;
  }

  private outcome(call: ModelCall, duration: number | undefined, failure: boolean) {
    const slow = duration !== undefined && duration > this.settings.slowCallDuration;
    return { at: this.now, failure, timed: call.timed, slow };
  }

  private timingInterval(): number {
    return this.settings.slowCallRateThreshold === undefined ? this.settings.latencySampling : 1;
  }

  private takeTiming(): boolean {
    this.untilTimedCall -= 1;
    if (this.untilTimedCall > 0) return false;
    this.untilTimedCall = this.timingInterval();
    return true;
  }

  private reject(state: Rejection['state'], retryAfter: number | undefined): Rejection {
    this.count('rejected');
    return { kind: 'rejected', state, retryAfter };
  }

  private count(total: keyof BreakerTotals): void {
    this.totals = { ...this.totals, [total]: this.totals[total] + 1 };
  }

  private endEpisodeIfHealthy(): void {
    if (this.state === 'closed' && this.now - this.since >= this.settings.minHealthyPeriod) {
      this.restartRecovery();
    }
  }

  private restartRecovery(): void {
    Object.assign(this.recovery, { attempts: 0, failed: 0, failedInARow: 0 });
  }

  /** Closed → open. */
  private trip(reason: TripReason): void {
    this.endEpisodeIfHealthy();
    this.openUntil = this.now + this.openPeriod();
    this.enter('open', reason);
  }

  /**
   * Half-open → open after a failed recovery, backed off. The
   * `maxRecoveryAttempts`-th failure in a row is announced with the backoff
   * step (the status' `failedRecoveries`), which counts the failures since
   * the last healthy period: more than in a row when a recovery succeeded
   * in between, or when a record brought failures in.
   */
  private reopen(reason: 'half-open-failure' | 'trial-timeout'): void {
    this.recovery.failed += 1;
    this.recovery.failedInARow += 1;
    const period = this.openPeriod();
    this.openUntil = this.now + period;
    this.enter('open', reason);
    if (this.recovery.failedInARow === this.settings.maxRecoveryAttempts) {
      this.events.push({
        type: 'recoveryExhausted',
        failedRecoveries: this.recovery.failed,
        failedInARow: this.recovery.failedInARow,
        nextResetTimeout: period,
      });
    }
  }

  private takeRecovery(record: BreakerRecord): void {
    this.recovery.attempts = record.recoveryAttempts;
    this.recovery.failed = record.failedRecoveries;
    this.recovery.failedInARow = Math.min(this.recovery.failedInARow, record.failedRecoveries);
  }

  /** Enters a record's state: an open period keeps its wall-clock end, half-open has no trial in flight. */
  private takeState(record: BreakerRecord, reason: 'restored' | 'shared'): void {
    if (record.state === 'open') this.openUntil = this.openUntilOf(record);
    this.enter(record.state, reason, this.sinceOf(record));
  }

  private sinceOf(record: BreakerRecord): number {
    return this.now - Math.max(0, this.clock.wall - record.stateSince);
  }

  private openUntilOf(record: BreakerRecord): number {
    const left = (record.openUntil ?? this.clock.wall) - this.clock.wall;
    return this.now + Math.min(maxDuration, Math.max(0, left));
  }

  private enter(to: StateName, reason: TransitionReason, since = this.now): void {
    this.events.push({ type: 'stateChange', from: this.state, to, reason });
    this.state = to;
    this.epoch += 1;
    this.since = since;
    if (to === 'closed') this.clearCounts();
    if (to === 'half-open') {
      this.consecutiveSuccesses = 0;
      this.trials = [];
      this.permitCeiling = this.settings.halfOpenMaxCalls;
    }
  }

  private clearCounts(): void {
    this.consecutiveFailures = 0;
    this.consecutiveSuccesses = 0;
    this.window.clear();
    this.failureWindow?.clear();
  }
}

function failureWindowFor(size: number | undefined): ModelFailureWindow | undefined {
  return size === undefined ? undefined : new ModelFailureWindow(size);
}
